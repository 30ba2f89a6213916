import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../src/dist/frame-writer.ts';
import { RecordingSink, kControl, kFragFirst, kFragLast, kFragNext, kMessage, kTick, parseFrames } from './fixtures/frame-sinks.ts';

const MiB = 1024 * 1024;
const isFragmentOf = (stream: number) => (f: { kind: number; stream: number }): boolean =>
  f.stream === stream && (f.kind === kFragFirst || f.kind === kFragNext || f.kind === kFragLast);

describe('FrameWriter: ticks, control and small messages wait behind at most one fragment', () => {
  it('queued together with a 10 MiB message: the small message comes after at most one of its fragments, the tick first', () => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink);
    w.message(1, new Uint8Array(10 * MiB));
    w.message(2, Uint8Array.of(42));
    w.tick();
    w.flush();
    const frames = parseFrames(sink.bytes());
    expect(frames[0]!.kind).toBe(kTick);
    const small = frames.findIndex((f) => f.kind === kMessage && f.stream === 2);
    expect(frames.slice(0, small).filter(isFragmentOf(1)).length).toBeLessThanOrEqual(1);
    expect(frames.filter(isFragmentOf(1)).length).toBe(160);
  });

  it('queued while a 10 MiB message is in flight on a socket-like sink: out after at most one more fragment', () => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink);
    w.message(1, new Uint8Array(10 * MiB));
    let rounds = 0;
    while (w.pending) {
      sink.answers = [false]; // full after every batch, as a socket past its highWaterMark
      w.flush();
      rounds++;
      if (rounds === 5) {
        const before = parseFrames(sink.bytes()).length;
        w.tick();
        w.control(Uint8Array.of(9));
        w.message(3, Uint8Array.of(1, 2, 3));
        sink.answers = [false];
        w.flush();
        const after = parseFrames(sink.bytes()).slice(before);
        expect(after.slice(0, 2).map((f) => f.kind)).toEqual([kTick, kControl]);
        const small = after.findIndex((f) => f.kind === kMessage && f.stream === 3);
        expect(small).toBeGreaterThan(-1);
        expect(after.slice(0, small).filter(isFragmentOf(1)).length).toBeLessThanOrEqual(1);
      }
    }
    expect(rounds).toBeGreaterThan(5);
    const frames = parseFrames(sink.bytes());
    expect(Buffer.concat(frames.filter(isFragmentOf(1)).map((f) => f.body)).length).toBe(10 * MiB);
  });

  it('three large messages on three streams go round-robin, one fragment each per turn', () => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink, { fragmentBytes: 1024 });
    for (const s of [4, 5, 6]) w.message(s, new Uint8Array(10 * 1024));
    w.flush();
    const frames = parseFrames(sink.bytes());
    expect(frames.length).toBe(30);
    expect(frames.map((f) => f.stream)).toEqual(Array.from({ length: 30 }, (_, i) => [4, 5, 6][i % 3]));
  });

  it('a stream\'s messages stay in order: a small message after a large one on the same stream waits for all of it', () => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink, { fragmentBytes: 1000 });
    w.message(1, new Uint8Array(5500).fill(1));
    w.message(1, Uint8Array.of(2));
    w.message(2, Uint8Array.of(3));
    w.flush();
    const frames = parseFrames(sink.bytes());
    expect(frames.filter((f) => f.stream === 1).map((f) => f.kind)).toEqual([kFragFirst, kFragNext, kFragNext, kFragNext, kFragNext, kFragLast, kMessage]);
    expect(frames[0]!.total).toBe(5500);
    expect(frames.findIndex((f) => f.stream === 2)).toBe(1);
  });
});
