import { describe, expect, it } from 'vitest';
import { FrameWriter, kCopyBelowBytes } from '../../src/dist/frame-writer.ts';
import { RecordingSink, kControl, kFragFirst, kFragLast, kMessage, kTick, parseFrames } from './fixtures/frame-sinks.ts';

const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);

describe('FrameWriter: small frames are coalesced, big bodies are views', () => {
  it('a tick and a message: the exact bytes, in one chunk of one write', () => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink);
    w.message(7, Uint8Array.of(0xa, 0xb, 0xc));
    w.tick();
    w.flush();
    expect(sink.writes.length).toBe(1);
    expect(sink.writes[0]!.length).toBe(1);
    expect([...sink.writes[0]![0]!]).toEqual([0, 0, 0, 1, kTick, 0, 0, 0, 8, kMessage, 0, 0, 0, 7, 0xa, 0xb, 0xc]);
  });

  it('N small messages on several streams, a tick and a control: one sink write of one chunk', () => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink);
    const sent = new Map<number, Uint8Array[]>();
    for (let i = 0; i < 300; i++) {
      const stream = i % 3;
      const p = bytes(1 + (i % 50), i);
      w.message(stream, p);
      sent.set(stream, [...(sent.get(stream) ?? []), p]);
    }
    w.control(Uint8Array.of(1, 2, 3));
    w.tick();
    w.flush();
    expect(sink.writes.length).toBe(1);
    expect(sink.writes[0]!.length).toBe(1);
    const frames = parseFrames(sink.bytes());
    expect(frames.slice(0, 2).map((f) => f.kind)).toEqual([kTick, kControl]);
    expect([...frames[1]!.body]).toEqual([1, 2, 3]);
    // round-robin, one frame per stream per turn, each stream in order
    expect(frames.slice(2, 8).map((f) => f.stream)).toEqual([0, 1, 2, 0, 1, 2]);
    for (const [stream, payloads] of sent) {
      const got = frames.filter((f) => f.kind === kMessage && f.stream === stream).map((f) => [...f.body]);
      expect(got).toEqual(payloads.map((p) => [...p]));
    }
    expect(w.batches).toBe(1);
    expect(w.framesWritten).toBe(302);
    expect(w.bytesWritten).toBe(sink.bytes().length);
  });

  it('a body of kCopyBelowBytes or more is handed out as the payload itself; a fragment as a subarray of it', () => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink, { fragmentBytes: 16384 });
    const mid = bytes(kCopyBelowBytes, 1);
    const big = bytes(16384 * 2 + 100, 2);
    w.message(1, mid);
    w.message(2, big);
    w.flush();
    const chunks = sink.writes.flat();
    expect(chunks.some((c) => c === mid)).toBe(true);
    const views = chunks.filter((c) => c.buffer === big.buffer);
    expect(views.map((c) => [c.byteOffset, c.length])).toEqual([[0, 16384], [16384, 16384]]);
    // the last 100 bytes are small: copied into the coalesced chunk after their header
    const frames = parseFrames(sink.bytes());
    expect(frames.map((f) => f.kind)).toEqual([kMessage, kFragFirst, 5, kFragLast]);
    expect(Buffer.concat(frames.slice(1).map((f) => f.body)).equals(Buffer.from(big))).toBe(true);
  });

  it('bytes already given to the sink are never overwritten by later batches', () => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink);
    for (let i = 0; i < 10; i++) w.message(1, bytes(100, i));
    w.flush();
    const first = sink.writes[0]![0]!;
    const snapshot = Buffer.from(first);
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) w.message(round % 4, bytes(1000, round + i));
      w.flush();
    }
    expect(Buffer.from(first).equals(snapshot)).toBe(true);
  });
});
