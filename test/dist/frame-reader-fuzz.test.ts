import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../src/dist/frame-writer.ts';
import { FrameReader, type FrameHandler, type FrameReaderLimits } from '../../src/dist/frame-reader.ts';
import { FrameError } from '../../src/dist/frame-errors.ts';
import { kFragFirstHeaderBytes } from '../../src/dist/channel-frames.ts';
import { RecordingSink } from './fixtures/frame-sinks.ts';

const limits = { maxFrameBytes: 64, maxMessageBytes: 200, maxPartialStreams: 3, maxPartialBytes: 400 } satisfies FrameReaderLimits;
const bound = kFragFirstHeaderBytes + limits.maxFrameBytes + limits.maxPartialBytes;

/** Push `chunks` into a reader with small limits: only FrameError may come out, memory stays bounded. */
function feed(chunks: Uint8Array[]): void {
  let reader: FrameReader | null = null;
  let peak = 0;
  const watch = (): void => { peak = Math.max(peak, reader!.bufferedBytes); };
  const handler: FrameHandler = { onTick: watch, onControl: watch, onMessage: (_s, p) => { watch(); expect(p.length).toBeLessThanOrEqual(limits.maxMessageBytes); } };
  reader = new FrameReader(handler, limits);
  for (const c of chunks) {
    try {
      reader.push(c);
    } catch (err) {
      expect(err).toBeInstanceOf(FrameError);
      expect(reader.failed).toBe(true);
      expect(() => reader.push(Uint8Array.of(0))).toThrow(FrameError);
      return;
    }
    watch();
    expect(peak).toBeLessThanOrEqual(bound);
    expect(reader.partialStreams).toBeLessThanOrEqual(limits.maxPartialStreams);
  }
}

function chunked(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const n = 1 + (sizes.length > 0 ? sizes[k % sizes.length]! : bytes.length);
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

/** Writer output of random messages (fragmented at 16 bytes) for the reader to get mutated. */
const validStream = fc.array(fc.record({ stream: fc.integer({ min: 0, max: 5 }), payload: fc.uint8Array({ maxLength: 120 }), tick: fc.boolean() }), { minLength: 1, maxLength: 20 })
  .map((msgs) => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink, { fragmentBytes: 16, maxBatchBytes: 50 });
    for (const m of msgs) {
      if (m.tick) w.tick();
      w.message(m.stream, m.payload);
    }
    w.flush();
    return new Uint8Array(sink.bytes());
  });

describe('FrameReader fuzz: random and mutated bytes give a FrameError or nothing, and bounded memory', () => {
  it('random bytes in random chunks', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(40), { maxLength: 10 }), (bytes, sizes) => {
      feed(chunked(bytes, sizes));
    }), { numRuns: 3000 });
  });

  it('random frames: plausible headers with random kinds, lengths and totals', () => {
    const header = fc.record({ kind: fc.integer({ min: 0, max: 7 }), stream: fc.integer({ min: 0, max: 4 }), total: fc.integer({ min: 0, max: 300 }), body: fc.uint8Array({ maxLength: 30 }), slack: fc.integer({ min: -2, max: 2 }) })
      .map(({ kind, stream, total, body, slack }) => {
        const fixed = kind === 4 ? [0, 0, 0, stream, 0, 0, 0, 0, 0, 0, total >> 8, total & 0xff] : kind >= 3 ? [0, 0, 0, stream] : [];
        const len = Math.max(0, 1 + fixed.length + body.length + (kind === 1 ? 0 : slack));
        return [len >>> 24, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff, kind, ...fixed, ...body];
      });
    fc.assert(fc.property(fc.array(header, { maxLength: 30 }), fc.array(fc.nat(20), { maxLength: 8 }), (frames, sizes) => {
      feed(chunked(Uint8Array.from(frames.flat()), sizes));
    }), { numRuns: 3000 });
  });

  it('valid writer output with bytes mutated, cut and spliced', () => {
    fc.assert(fc.property(validStream, fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }), fc.nat(), fc.array(fc.nat(30), { maxLength: 8 }), (bytes, mutations, cutAt, sizes) => {
      const bad = new Uint8Array(bytes);
      for (const m of mutations) bad[m.at % bad.length] = m.byte;
      const cutLen = cutAt % (bad.length + 1);
      feed(chunked(bad, sizes));
      feed(chunked(Uint8Array.from([...bad.subarray(0, cutLen), ...bad.subarray(Math.min(bad.length, cutLen + 7))]), sizes));
    }), { numRuns: 2000 });
  });
});
