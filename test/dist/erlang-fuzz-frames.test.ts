/**
 * Fuzz (fast-check) of what follows the handshake: random bytes, and real streams from
 * ErlangFrameWriter with bytes flipped, cut anywhere, go into ErlangFrameReader (small
 * limits): only ErlangFrameError comes out, the reader is dead after one, and what it
 * holds stays within its limits; the atom-ref reader and the term skipper alone throw
 * only ErlangFrameError too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErlangAtomCache, ErlangFrameError, ErlangFrameReader, ErlangFrameWriter, kErlangDefaultFlags, skipTerm } from '../../src/dist/erlang/index.ts';
import { readAtomRefs } from '../../src/dist/erlang/dist-header.ts';

const limits = { maxPacketBytes: 600, maxMessageBytes: 2000, maxPartialSequences: 3, maxPartialBytes: 3000 };

function feed(chunks: Uint8Array[]): void {
  const r = new ErlangFrameReader({
    onTick: () => {},
    onMessage: (m) => { expect(m.control.length + (m.payload?.length ?? 0)).toBeLessThanOrEqual(limits.maxMessageBytes); },
  }, limits);
  for (const c of chunks) {
    try {
      r.push(c);
    } catch (e) {
      expect(e).toBeInstanceOf(ErlangFrameError);
      expect(r.failed).toBe(true);
      expect(() => r.push(Uint8Array.of(0))).toThrow(ErlangFrameError);
      return;
    }
    expect(r.bufferedBytes).toBeLessThanOrEqual(4 + limits.maxPacketBytes + limits.maxPartialBytes);
    expect(r.partialSequences).toBeLessThanOrEqual(limits.maxPartialSequences);
  }
}

function cut(b: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (let k = 0; at < b.length; k++) {
    const n = 1 + (sizes.length > 0 ? sizes[k % sizes.length]! : b.length);
    out.push(b.subarray(at, at + n));
    at += n;
  }
  return out;
}

/** A valid stream: messages of random terms-ish bytes (a tuple head and a binary) through the writer. */
const validStream = fc.array(fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 1500 })), { minLength: 1, maxLength: 6 }).map((ms) => {
  const chunks: Uint8Array[] = [];
  const w = new ErlangFrameWriter({ write: (c) => { chunks.push(...c.map((x) => Uint8Array.from(x))); return true; } }, { flags: kErlangDefaultFlags, fragmentBytes: 256 });
  for (const [stream, size] of ms) {
    const payload = new Uint8Array(5 + size);
    payload[0] = 109;
    new DataView(payload.buffer).setUint32(1, size);
    w.send(stream, Uint8Array.of(104, 1, 97, stream), payload);
    if (size % 3 === 0) w.tick();
  }
  w.flush();
  return Buffer.concat(chunks);
});

describe('Erlang framing fuzz', () => {
  it('random bytes, cut anywhere: only ErlangFrameError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 800 }), fc.array(fc.nat({ max: 64 }), { maxLength: 8 }), (b, sizes) => {
      feed(cut(b, sizes));
    }), { numRuns: 1000 });
  });

  it('valid writer streams with bytes flipped, cut anywhere: only ErlangFrameError', () => {
    fc.assert(fc.property(validStream, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.array(fc.nat({ max: 300 }), { maxLength: 8 }), (s, flips, sizes) => {
      const b = Uint8Array.from(s);
      for (const [at, v] of flips) b[at % b.length] = v;
      feed(cut(b, sizes));
    }), { numRuns: 300 });
  });

  it('valid writer streams unflipped always read back whole', () => {
    fc.assert(fc.property(validStream, fc.array(fc.nat({ max: 300 }), { maxLength: 8 }), (s, sizes) => {
      let n = 0;
      const r = new ErlangFrameReader({ onTick: () => {}, onMessage: () => { n++; } });
      for (const c of cut(s, sizes)) r.push(c);
      expect(r.partialSequences).toBe(0);
      expect(n).toBeGreaterThan(0);
    }), { numRuns: 200 });
  });

  it('the atom-ref reader and the term skipper alone: only ErlangFrameError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
      const cache = new ErlangAtomCache();
      for (const f of [() => readAtomRefs(b, 0, cache), () => skipTerm(b, 0)]) {
        try {
          f();
        } catch (e) {
          expect(e).toBeInstanceOf(ErlangFrameError);
        }
      }
    }), { numRuns: 2000 });
  });
});
