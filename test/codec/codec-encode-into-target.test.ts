import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pid } from '../../src/core/pid.ts';
import { MessageDecoder, MessageEncoder } from '../../src/codec/index.ts';

const value = fc.anything({ maxDepth: 3, withMap: true, withSet: true, withTypedArray: true, withBigInt: true, withDate: true, stringUnit: 'binary' });

describe('codec: encodeInto a target range', () => {
  it('returns -1 for every range shorter than the message, and the exact length otherwise', () => {
    const encoder = new MessageEncoder();
    const decoder = new MessageDecoder();
    fc.assert(
      fc.property(value, fc.nat(16), (v, offset) => {
        const n = encoder.encodeToScratch(v);
        const expected = encoder.scratch.slice(0, n);
        const target = new Uint8Array(offset + n + 8);
        for (const room of new Set([0, 1, n >> 1, n - 1])) {
          if (room >= n) continue;
          target.fill(0xee);
          expect(encoder.encodeInto(v, target, offset, offset + room)).toBe(-1);
          // Nothing was written outside the allowed range.
          expect(target.subarray(offset + room).every((b) => b === 0xee)).toBe(true);
        }
        expect(encoder.encodeInto(v, target, offset, offset + n)).toBe(n);
        expect(target.subarray(offset, offset + n)).toEqual(expected);
        expect(decoder.decode(target, offset, n)).toStrictEqual(v);
      }),
      { numRuns: 300 },
    );
  });

  it('fits a long UTF-8 string exactly, though its worst case (3 bytes a char) would not fit', () => {
    const encoder = new MessageEncoder();
    const s = 'é'.repeat(100); // 200 bytes of UTF-8, worst case 300
    const n = encoder.encodeToScratch(s);
    const target = new Uint8Array(n);
    expect(encoder.encodeInto(s, target)).toBe(n);
    expect(new MessageDecoder().decode(target)).toBe(s);
  });

  it('grows the scratch buffer from a small start, one pass', () => {
    const encoder = new MessageEncoder(64);
    const big = { pid: new Pid(0, 1, 0), data: new Float64Array(10_000).fill(1.5), text: 'x'.repeat(5000) };
    const bytes = encoder.encode(big);
    expect(bytes.length).toBeGreaterThan(80_000);
    expect(new MessageDecoder().decode(bytes)).toStrictEqual(big);
  });

  it('rejects a bad range with BadArgError', () => {
    const encoder = new MessageEncoder();
    expect(() => encoder.encodeInto(1, new Uint8Array(4), 3, 2)).toThrow(/bad range/);
    expect(() => encoder.encodeInto(1, new Uint8Array(4), 0, 5)).toThrow(/bad range/);
  });
});
