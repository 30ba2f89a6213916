// ETF codec: encode -> decode gives back every term in the decoder's canonical JS form
// (fast-check), with and without compression, and through decodeTerm (no version byte).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EtfDecoder, EtfEncoder, EtfLimitError, EtfUnsupportedError } from '../../src/codec/etf/index.ts';
import { termArb } from './fixtures/etf-arbitrary.ts';

describe('etf: round trips', () => {
  const enc = new EtfEncoder();
  const dec = new EtfDecoder();

  it('decode(encode(t)) equals t for arbitrary terms', () => {
    fc.assert(
      fc.property(termArb(4), (t) => {
        expect(dec.decode(enc.encode(t))).toEqual(t);
      }),
      { numRuns: 800 },
    );
  });

  it('encodeToScratch writes the bytes encode returns, with or without the version byte', () => {
    fc.assert(
      fc.property(termArb(3), (t) => {
        const n = enc.encodeToScratch(t);
        expect(enc.scratch.slice(0, n)).toEqual(enc.encode(t));
        const m = enc.encodeToScratch(t, false);
        expect(enc.scratch.slice(0, m)).toEqual(enc.encodeTerm(t));
        expect(m).toBe(n - 1);
      }),
      { numRuns: 200 },
    );
  });

  it('round trips compressed terms, and compresses only when that is smaller', () => {
    const packer = new EtfEncoder({ compressed: true });
    fc.assert(
      fc.property(termArb(3), (t) => {
        const packed = packer.encode(t);
        const plain = enc.encode(t);
        expect(packed.length).toBeLessThanOrEqual(plain.length);
        expect(dec.decode(packed)).toEqual(t);
      }),
      { numRuns: 300 },
    );
    const big = Array.from({ length: 2000 }, (_, i) => i % 7);
    const packed = packer.encode(big);
    expect(packed[1]).toBe(80);
    expect(dec.decode(packed)).toEqual(big);
  });

  it('decodeTerm reads terms one after another without version bytes', () => {
    fc.assert(
      fc.property(fc.array(termArb(2), { minLength: 1, maxLength: 4 }), (ts) => {
        const parts = ts.map((t) => enc.encodeTerm(t));
        const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) {
          all.set(p, at);
          at += p.length;
        }
        let off = 0;
        for (const t of ts) {
          expect(dec.decodeTerm(all, off, all.length)).toEqual(t);
          off = dec.offset;
        }
        expect(off).toBe(all.length);
      }),
      { numRuns: 300 },
    );
  });

  it('the encoder throws only its typed errors on arbitrary JS values, and what it encodes decodes', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3, withMap: true, withSet: true, withTypedArray: true, withBigInt: true, withDate: true, withNullPrototype: true, withSparseArray: true }), (v) => {
        let bytes: Uint8Array;
        try {
          bytes = enc.encode(v);
        } catch (e) {
          expect(e instanceof EtfUnsupportedError || e instanceof EtfLimitError).toBe(true);
          return;
        }
        dec.decode(bytes);
      }),
      { numRuns: 1000 },
    );
  });
});
