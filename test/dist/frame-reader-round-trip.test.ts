import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../src/dist/frame-writer.ts';
import { FrameReader } from '../../src/dist/frame-reader.ts';
import { RecordingHandler, RecordingSink } from './fixtures/frame-sinks.ts';

type Op = { op: 'tick' } | { op: 'control'; body: Uint8Array } | { op: 'message'; stream: number; payload: Uint8Array } | { op: 'flush'; full: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Op>({ op: 'tick' }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map<Op>((body) => ({ op: 'control', body })) },
  { weight: 6, arbitrary: fc.record({ stream: fc.integer({ min: 0, max: 4 }), payload: fc.uint8Array({ maxLength: 300 }) }).map<Op>((m) => ({ op: 'message', ...m })) },
  { weight: 2, arbitrary: fc.boolean().map<Op>((full) => ({ op: 'flush', full })) },
);

/** Cut `bytes` at the given points (sorted, deduplicated) into chunks. */
function cut(bytes: Buffer, points: number[]): Uint8Array[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of [...at, bytes.length]) {
    if (p > from) chunks.push(bytes.subarray(from, p));
    from = p;
  }
  return chunks;
}

function perStream(list: { stream: number; payload: Uint8Array }[]): Map<number, number[][]> {
  const m = new Map<number, number[][]>();
  for (const { stream, payload } of list) m.set(stream, [...(m.get(stream) ?? []), [...payload]]);
  return m;
}

describe('FrameWriter -> FrameReader: a round trip with random messages and random chunking', () => {
  it('every message arrives whole, once, in order per stream; ticks and controls too (fast-check)', () => {
    fc.assert(fc.property(
      fc.array(opArb, { maxLength: 60 }),
      fc.integer({ min: 1, max: 64 }),
      fc.integer({ min: 1, max: 2000 }),
      fc.array(fc.nat(), { maxLength: 40 }),
      fc.boolean(),
      (ops, fragmentBytes, maxBatchBytes, points, oneByte) => {
        const sink = new RecordingSink();
        const w = new FrameWriter(sink, { fragmentBytes, maxBatchBytes });
        const sent: { stream: number; payload: Uint8Array }[] = [];
        const controls: number[][] = [];
        let ticks = 0;
        for (const o of ops) {
          if (o.op === 'tick') { w.tick(); ticks++; }
          else if (o.op === 'control') { w.control(o.body); controls.push([...o.body]); }
          else if (o.op === 'message') { w.message(o.stream, o.payload); sent.push(o); }
          else { sink.answers = o.full ? [false] : []; w.flush(); }
        }
        while (w.pending) w.flush();
        expect(w.queuedBytes).toBe(0);

        const bytes = sink.bytes();
        const h = new RecordingHandler();
        const r = new FrameReader(h, { maxFrameBytes: 2000 });
        const chunks = oneByte ? Array.from(bytes, (b) => Uint8Array.of(b)) : cut(bytes, points);
        for (const c of chunks) r.push(c);
        expect(r.bufferedBytes).toBe(0);
        expect(r.partialStreams).toBe(0);
        expect(r.bytesRead).toBe(bytes.length);
        expect(r.framesRead).toBe(w.framesWritten);
        const got = h.got.flatMap((d) => (d.kind === 'message' ? [{ stream: d.stream, payload: d.payload }] : []));
        expect(perStream(got)).toEqual(perStream(sent));
        expect(r.messagesRead).toBe(sent.length);
        expect(h.got.filter((d) => d.kind === 'tick').length).toBe(ticks);
        expect(h.got.flatMap((d) => (d.kind === 'control' ? [[...d.body]] : []))).toEqual(controls);
      },
    ), { numRuns: 300 });
  });

  it('a 3 MiB message and small ones on other streams with the default fragment size, pushed in odd-sized chunks', () => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink);
    const big = Uint8Array.from({ length: 3 * 1024 * 1024 + 5 }, (_, i) => (i * 31) & 0xff);
    w.message(1, big);
    for (let i = 0; i < 100; i++) w.message(2 + (i % 3), Uint8Array.of(i));
    w.flush();
    const bytes = sink.bytes();
    const h = new RecordingHandler();
    const r = new FrameReader(h);
    for (let at = 0, step = 1; at < bytes.length; at += step, step = (step * 7 + 3) % 100_003) r.push(bytes.subarray(at, at + step));
    const msgs = h.got.filter((d) => d.kind === 'message');
    expect(msgs.length).toBe(101);
    const bigGot = msgs.find((d) => d.kind === 'message' && d.stream === 1);
    expect(bigGot !== undefined && bigGot.kind === 'message' && bigGot.payload.equals(Buffer.from(big))).toBe(true);
    // the small messages are not held back behind the whole large one
    expect(msgs.findIndex((d) => d.kind === 'message' && d.stream === 1)).toBe(100);
  });
});
