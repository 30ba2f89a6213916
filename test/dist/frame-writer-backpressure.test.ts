import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../src/dist/frame-writer.ts';
import { RecordingSink, kFragFirst, kFragLast, kFragNext, kMessage, kTick, parseFrames } from './fixtures/frame-sinks.ts';

describe('FrameWriter: a sink that says false stops the flush, the next flush resumes exactly there', () => {
  it('one batch per flush while the sink is full; every byte once, in order; counters exact', () => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink, { fragmentBytes: 1000, maxBatchBytes: 3000 });
    const big = Uint8Array.from({ length: 25_000 }, (_, i) => i & 0xff);
    const small = Array.from({ length: 40 }, (_, i) => Uint8Array.of(i, i, i));
    w.message(1, big);
    for (const p of small) w.message(2, p);
    w.tick();
    expect(w.queuedBytes).toBe(25_000 + 120);
    expect(w.pending).toBe(true);

    let flushes = 0;
    let queued = w.queuedBytes;
    while (w.pending) {
      sink.answers = [false];
      w.flush();
      flushes++;
      expect(sink.writes.length).toBe(flushes); // false: exactly one write per flush
      expect(w.queuedBytes).toBeLessThan(queued);
      queued = w.queuedBytes;
    }
    expect(w.queuedBytes).toBe(0);
    const frames = parseFrames(sink.bytes());
    const body1 = Buffer.concat(frames.filter((f) => f.stream === 1).map((f) => f.body));
    expect(body1.equals(Buffer.from(big))).toBe(true);
    expect(frames.filter((f) => f.stream === 2 && f.kind === kMessage).map((f) => f.body[0])).toEqual(small.map((p) => p[0]));
    expect(frames[0]!.kind).toBe(kTick);

    expect(w.batches).toBe(flushes);
    expect(w.ticksWritten).toBe(1);
    expect(w.fragmentsWritten).toBe(25);
    expect(w.messagesWritten).toBe(41);
    expect(w.framesWritten).toBe(frames.length);
    expect(w.framesWritten).toBe(1 + 25 + 40);
    expect(w.bytesWritten).toBe(sink.bytes().length);
    expect(w.bytesWritten).toBe(5 + 17 + 24 * 9 + 25_000 + 40 * 12);
    // maxBatchBytes: no batch is larger than the limit plus the frame that crossed it
    for (const chunks of sink.writes) expect(chunks.reduce((n, c) => n + c.length, 0)).toBeLessThanOrEqual(3000 + 1017);
  });

  it('a tick queued while the sink is full goes first in the next batch', () => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink, { fragmentBytes: 100, maxBatchBytes: 200 });
    w.message(1, new Uint8Array(1000));
    sink.answers = [false];
    w.flush();
    expect(w.pending).toBe(true);
    w.tick();
    sink.answers = [false];
    w.flush();
    expect(parseFrames(Buffer.concat(sink.writes[1]!))[0]!.kind).toBe(kTick);
    w.flush(); // the sink says true from now on: everything left goes, in as many batches as maxBatchBytes asks
    expect(w.pending).toBe(false);
    const kinds = parseFrames(sink.bytes()).filter((f) => f.stream === 1).map((f) => f.kind);
    expect(kinds).toEqual([kFragFirst, ...Array<number>(8).fill(kFragNext), kFragLast]);
  });

  it('flush with nothing pending writes nothing', () => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink);
    w.flush();
    expect(sink.writes.length).toBe(0);
    expect(w.pending).toBe(false);
    expect(w.batches).toBe(0);
  });
});
