import { describe, expect, it } from 'vitest';
import { MessageDecoder, MessageEncoder } from '../../src/codec/index.ts';
import { isScalarTag, kNotScalar, readScalar, writeScalar } from '../../src/codec/scalar-values.ts';

const latin1 = (n: number): string => Array.from({ length: n }, (_, i) => String.fromCharCode(0x20 + ((i * 7) % 0xdf))).join('');

// Every form of scalar-values.ts, at and around each boundary between forms.
const scalars: unknown[] = [
  0, 1, 127, 128, -1, -128, -129, 255, 0x7fffffff, -0x80000000, 0x80000000, -0x80000001,
  -0, 0.5, -2.25, 1e300, Number.MIN_VALUE, NaN, Infinity, -Infinity, 2 ** 53,
  '', 'a', 'ping', 'ÿé', latin1(31), latin1(32), latin1(64),
  true, false, null, undefined,
];

describe('codec: scalar fast path (scalar-values.ts)', () => {
  it('writes exactly the bytes MessageEncoder writes, and reads them back as the same value', () => {
    const encoder = new MessageEncoder();
    const decoder = new MessageDecoder();
    for (const v of scalars) {
      const out = new Uint8Array(80);
      const n = writeScalar(v, out, 3, out.length);
      const expected = encoder.encode(v);
      expect(n, String(v)).toBe(expected.length);
      expect(out.subarray(3, 3 + n)).toEqual(expected);
      expect(isScalarTag(out[3]!)).toBe(true);
      expect(Object.is(readScalar(out, 3, n), v), String(v)).toBe(true);
      expect(Object.is(decoder.decode(out, 3, n), v)).toBe(true);
    }
  });

  it('refuses what is not a short Latin-1 scalar (-1), so the encoder takes it', () => {
    const out = new Uint8Array(200);
    for (const v of [latin1(65), 'π', 'a\u{1F600}', '\ud800', 1n, { n: 1 }, [1], Symbol('s'), () => 1]) {
      expect(writeScalar(v, out, 0, out.length)).toBe(-1);
    }
  });

  it('returns -1 when the value does not fit before `end`, writing nothing past it', () => {
    for (const v of scalars) {
      const n = new MessageEncoder().encode(v).length;
      const out = new Uint8Array(n + 4).fill(0xee);
      expect(writeScalar(v, out, 2, 2 + n - 1), String(v)).toBe(-1);
      expect(out[2 + n - 1]).toBe(0xee);
      expect(writeScalar(v, out, 2, 2 + n)).toBe(n);
    }
  });

  it('reads kNotScalar for containers, trailing bytes and truncated scalars', () => {
    const encoder = new MessageEncoder();
    const obj = encoder.encode({ n: 1 }).slice();
    expect(isScalarTag(obj[0]!)).toBe(false);
    expect(readScalar(obj, 0, obj.length)).toBe(kNotScalar);
    const arr = encoder.encode([1]).slice();
    expect(readScalar(arr, 0, arr.length)).toBe(kNotScalar);
    for (const v of [5, 300, 0.5, 'ping', latin1(40), true]) {
      const b = new Uint8Array(encoder.encode(v).length + 1);
      b.set(encoder.encode(v));
      expect(readScalar(b, 0, b.length - 1)).toBe(v);
      expect(readScalar(b, 0, b.length), `${String(v)} + 1 byte`).toBe(kNotScalar);
      expect(readScalar(b, 0, b.length - 2), `${String(v)} - 1 byte`).toBe(kNotScalar);
    }
    expect(readScalar(new Uint8Array(4), 0, 0)).toBe(kNotScalar);
  });

  it('leaves malformed input to the decoder, which still reports it', () => {
    const bytes = new Uint8Array([0x06, 1, 2]); // INT32 with 2 of its 4 bytes
    expect(readScalar(bytes, 0, 3)).toBe(kNotScalar);
    expect(() => new MessageDecoder().decode(bytes)).toThrow('malformed message at byte 1: truncated');
  });

  it('reads each short string back right while strings of one length share the cache', () => {
    const encoder = new MessageEncoder();
    const words = ['ping', 'pong', 'ping', 'abcd', 'abce', 'ping', '', 'x', 'y'];
    const encoded = words.map((w) => encoder.encode(w).slice());
    for (let round = 0; round < 3; round++) {
      expect(encoded.map((b) => readScalar(b, 0, b.length))).toEqual(words);
    }
  });
});
