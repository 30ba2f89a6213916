import { describe, expect, it } from 'vitest';
import { FrameReader } from '../../src/dist/frame-reader.ts';
import { RecordingHandler, frame, kControl, kFragFirst, kFragLast, kFragNext, kMessage, kTick, u32 } from './fixtures/frame-sinks.ts';

describe('FrameReader: payloads are views of the chunk when whole in it, copied only across chunks', () => {
  it('several frames in one chunk: each message and control body is a subarray of that chunk', () => {
    const h = new RecordingHandler();
    const r = new FrameReader(h);
    const chunk = Uint8Array.from([...frame(8, kMessage, ...u32(1), 10, 11, 12), ...frame(1, kTick), ...frame(3, kControl, 7, 8), ...frame(5, kMessage, ...u32(2))]);
    r.push(chunk);
    expect(h.got).toEqual([
      { kind: 'message', stream: 1, payload: Buffer.from([10, 11, 12]) },
      { kind: 'tick' },
      { kind: 'control', body: Buffer.from([7, 8]) },
      { kind: 'message', stream: 2, payload: Buffer.alloc(0) },
    ]);
    expect(h.raw[0]!.buffer).toBe(chunk.buffer);
    expect(h.raw[0]!.byteOffset).toBe(9);
    expect(r.bufferedBytes).toBe(0);
  });

  it('a message across chunks is copied into one buffer of its size', () => {
    const h = new RecordingHandler();
    const r = new FrameReader(h);
    const bytes = Uint8Array.from(frame(5 + 6, kMessage, ...u32(3), 1, 2, 3, 4, 5, 6));
    r.push(bytes.subarray(0, 12));
    expect(r.bufferedBytes).toBe(6);
    r.push(bytes.subarray(12));
    expect(h.got).toEqual([{ kind: 'message', stream: 3, payload: Buffer.from([1, 2, 3, 4, 5, 6]) }]);
    expect(h.raw[0]!.buffer).not.toBe(bytes.buffer);
    expect(r.bufferedBytes).toBe(0);
  });

  it('a fragmented message: allocated once at its total from the first header, handed out whole', () => {
    const h = new RecordingHandler();
    const r = new FrameReader(h);
    r.push(Uint8Array.from(frame(13 + 2, kFragFirst, ...u32(9), ...u32(0), ...u32(5), 1, 2)));
    expect(r.bufferedBytes).toBe(5);
    expect(r.partialStreams).toBe(1);
    r.push(Uint8Array.from([...frame(5 + 2, kFragNext, ...u32(9), 3, 4), ...frame(5 + 1, kFragLast, ...u32(9), 5)]));
    expect(h.got).toEqual([{ kind: 'message', stream: 9, payload: Buffer.from([1, 2, 3, 4, 5]) }]);
    expect(h.raw[0]!.byteLength).toBe(5);
    expect(h.raw[0]!.buffer.byteLength).toBe(5);
    expect(r.bufferedBytes).toBe(0);
    expect(r.partialStreams).toBe(0);
  });
});
