import { describe, expect, it } from 'vitest';
import { PayloadSlab } from '../../src/dist/payload-slab.ts';

// The I/O thread's copies of inline payloads (payload-slab.ts): each copy keeps its bytes
// after the source is overwritten (the ring slot is reused), small ones share slabs, a
// large one gets its own buffer.

describe('PayloadSlab', () => {
  it('copies stay intact when the source is reused; small copies share a slab', () => {
    const slab = new PayloadSlab();
    const src = new Uint8Array(new SharedArrayBuffer(64));
    const copies: Uint8Array[] = [];
    for (let i = 0; i < 1000; i++) {
      src.fill(i & 0xff);
      copies.push(slab.copy(src.subarray(0, 1 + (i % 60))));
    }
    for (let i = 0; i < 1000; i++) {
      expect(copies[i]!.length).toBe(1 + (i % 60));
      expect(copies[i]!.every((b) => b === (i & 0xff))).toBe(true);
      expect(copies[i]!.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    }
    expect(slab.slabs).toBe(1);
  });

  it('moves to a new slab when one is full, and a large payload gets a buffer of its own', () => {
    const slab = new PayloadSlab();
    const piece = new Uint8Array(10_000).fill(3);
    const first = slab.copy(piece);
    for (let i = 0; i < 30; i++) slab.copy(piece);
    expect(slab.slabs).toBe(2);
    expect(first.every((b) => b === 3)).toBe(true);
    const big = slab.copy(new Uint8Array(20_000).fill(5));
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(20_000);
    expect(slab.slabs).toBe(2);
  });
});
