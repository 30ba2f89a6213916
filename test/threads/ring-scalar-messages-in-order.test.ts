import { describe, expect, it } from 'vitest';
import { Pid } from '../../src/core/pid.ts';
import { Endpoint } from '../../src/threads/endpoint.ts';
import { computeLayout, kCtlAliveBase, kCtlEndpoints, kCtlMagic, kLayoutMagic, ringOffset } from '../../src/threads/layout.ts';
import { initSpscRing } from '../../src/threads/spsc-ring.ts';

// Two endpoints of one node in this thread: A writes MSG records to B through the real
// ring (scalars through the endpoint's scalar fast path, the rest through the encoder).
function pair(ringBytes: number): { a: Sink; b: Sink } {
  const layout = computeLayout({ schedulers: 1, ringBytes, maxNames: 16 });
  const sab = new SharedArrayBuffer(layout.totalBytes);
  const control = new Int32Array(sab, 0, layout.controlWords);
  control[kCtlMagic] = kLayoutMagic;
  control[kCtlEndpoints] = layout.endpoints;
  for (let e = 0; e < layout.endpoints; e++) control[kCtlAliveBase + e] = 1;
  initSpscRing(sab, ringOffset(layout, 0, 1), ringBytes);
  initSpscRing(sab, ringOffset(layout, 1, 0), ringBytes);
  return { a: new Sink(sab, layout, 0, 1 << 24), b: new Sink(sab, layout, 1, 1 << 24) };
}

class Sink extends Endpoint {
  got: { to: number; value: unknown; len: number }[] = [];
  protected localPid(id: number, serial: number): Pid {
    return new Pid(0, id, serial);
  }
  protected onRecord(_src: number, words: Int32Array, w: number, bytes: Uint8Array, len: number): void {
    this.got.push({ to: words[w + 1]!, value: this.decodeValue(bytes, w, 3, len), len });
  }
}

const values: unknown[] = [
  0, 127, -128, 300, -0, NaN, 0.1, -Infinity, 2 ** 40, 'ping', '', 'é'.repeat(31), 'x'.repeat(64), 'y'.repeat(65), 'π',
  true, false, null, undefined, { n: 1 }, [1, 'a'], 7n,
];

describe('rings: scalar messages', () => {
  it('cross the ring as the exact values, in order with encoded ones, through wrap-around and overflow', () => {
    const { a, b } = pair(4096);
    const to = new Pid(0, 3, 0); // endpoint 1's
    const sent: unknown[] = [];
    // 3 rounds of 400 records without draining: the 4 KiB ring fills, the rest overflows.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 400; i++) {
        const v = i % 3 === 0 ? values[i % values.length] : round * 1000 + i;
        sent.push(v);
        expect(a.emit(1, a.hdrMsg(to), v, true)).toBe(true);
      }
      a.flush();
    }
    expect(a.overflowBytes).toBeGreaterThan(0);
    for (let k = 0; k < 1000 && b.got.length < sent.length; k++) {
      b.drain(1000);
      a.flush(); // moves overflow into the room B released
    }
    expect(b.got.length).toBe(sent.length);
    expect(b.got.map((g) => g.value)).toStrictEqual(sent);
    expect(b.got.every((g) => g.to === 3)).toBe(true);
    expect(a.overflowBytes).toBe(0);
  });

  it('takes as many ring bytes as the encoder would: an int32 message is one 24-byte record', () => {
    const { a } = pair(4096);
    const to = new Pid(0, 3, 0);
    const before = Atomics.load(new Int32Array(a.sab, ringOffset(a.layout, 0, 1) + 256, 1), 0);
    a.emit(1, a.hdrMsg(to), 123456, true);
    a.flush();
    const after = Atomics.load(new Int32Array(a.sab, ringOffset(a.layout, 0, 1) + 256, 1), 0);
    // length word 4 + header 12 + INT32 tag and 4 bytes = 21, rounded up to 8.
    expect(after - before).toBe(24);
  });
});
