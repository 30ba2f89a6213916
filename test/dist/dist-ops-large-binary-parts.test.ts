import { describe, expect, it } from 'vitest';
import { BadArgError } from '../../src/core/errors.ts';
import { Pid } from '../../src/core/pid.ts';
import { OpDecoder, OpEncoder, kOpRegSend, kOpSend } from '../../src/codec/dist-ops.ts';
import { kOutOfBandBytes, kPartsTag } from '../../src/codec/op-parts.ts';

// A send whose message holds large binaries carries them after the op's codec bytes
// (op-parts.ts): the sender's message is untouched, the receiver gets equal views over
// the payload's own buffer when it owns it, over copies when it does not.

/** Same kind and bytes (vitest's deep equality walks typed arrays element by element: slow). */
const same = (x: unknown, y: ArrayBufferView): boolean =>
  ArrayBuffer.isView(x) && Object.getPrototypeOf(x) === Object.getPrototypeOf(y)
  && Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));

const big = (n: number, seed: number): Uint8Array => {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 997) b[i] = (i + seed) & 0xff;
  return b;
};

describe('dist ops: large binaries out of band', () => {
  const to = new Pid(0, 7, 1);

  it('a top-level binary and nested ones round-trip as views of the payload', () => {
    const top = big(kOutOfBandBytes, 1);
    const payload = new OpEncoder().send(to, top);
    expect(payload[0]).toBe(kPartsTag);
    const op = new OpDecoder().decode(payload);
    expect(op[0]).toBe(kOpSend);
    expect(same(op[2], top)).toBe(true);
    expect((op[2] as Uint8Array).buffer).toBe(payload.buffer);

    const f64 = new Float64Array(20_000).map((_, i) => i / 3);
    const buf = Buffer.from(big(100_000, 2));
    const msg = { big: big(300_000, 3), tag: 'x', list: [1, buf, { f64 }], small: new Uint8Array([1, 2, 3]) };
    const p2 = new OpEncoder().send(to, msg);
    expect(p2[0]).toBe(kPartsTag);
    const got = new OpDecoder().decode(p2)[2] as typeof msg;
    expect(Object.keys(got)).toEqual(['big', 'tag', 'list', 'small']);
    expect(same(got.big, msg.big)).toBe(true);
    expect(got.tag).toBe('x');
    expect(got.list.length).toBe(3);
    expect(got.list[0]).toBe(1);
    expect(same(got.list[1], buf)).toBe(true);
    expect(same((got.list[2] as { f64: Float64Array }).f64, f64)).toBe(true);
    expect(got.small).toEqual(new Uint8Array([1, 2, 3]));
    // The sender's message is as it was (holes were made in copies).
    expect(msg.big).toBeInstanceOf(Uint8Array);
    expect(msg.list[1]).toBe(buf);
  });

  it('a named send carries parts; small binaries stay inline', () => {
    const enc = new OpEncoder();
    const p = enc.regSend(to, 'sink', { blob: big(kOutOfBandBytes + 5, 4) });
    const op = new OpDecoder().decode(p);
    expect(op[0]).toBe(kOpRegSend);
    expect((op[3] as { blob: Uint8Array }).blob.length).toBe(kOutOfBandBytes + 5);
    expect(enc.send(to, { b: new Uint8Array(kOutOfBandBytes - 1) })[0]).not.toBe(kPartsTag);
  });

  it('a payload it does not own (a view into a larger buffer) gives copies', () => {
    const p = new OpEncoder().send(to, { b: big(kOutOfBandBytes, 5) });
    const inside = new Uint8Array(p.length + 16);
    inside.set(p, 8);
    const got = (new OpDecoder().decode(inside, 8, p.length)[2] as { b: Uint8Array }).b;
    expect(got.buffer).not.toBe(inside.buffer);
    expect(got.byteOffset).toBe(0);
    expect(same(got, big(kOutOfBandBytes, 5))).toBe(true);
  });

  it('a truncated or mangled parts payload is BadArgError', () => {
    const p = new OpEncoder().send(to, { b: big(kOutOfBandBytes, 6) });
    const dec = new OpDecoder();
    expect(() => dec.decode(p.slice(0, p.length - 1))).toThrow(BadArgError);
    expect(() => dec.decode(p.slice(0, 6))).toThrow('dist op parts: a payload shorter than its header');
    const bad = p.slice();
    bad[4] = 0xff; bad[5] = 0xff; bad[6] = 0xff;
    expect(() => dec.decode(bad)).toThrow(BadArgError);
  });
});
