import { describe, expect, it } from 'vitest';
import { Mailbox } from '../../src/core/mailbox.ts';

function drain(m: Mailbox): unknown[] {
  const out: unknown[] = [];
  while (m.mlen > 0) out.push(m.shift());
  return out;
}

describe('Mailbox: wrap-around', () => {
  it('stays FIFO when the head wraps around the end of the array many times', () => {
    const m = new Mailbox();
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 100; round++) {
      // Keep 3 queued in a capacity-4 array, so every push/shift wraps eventually.
      while (m.mlen < 3) m.push(next++);
      expect(m.shift()).toBe(expected++);
      expect(m.mbuf!.length).toBe(4);
    }
    expect(drain(m)).toEqual([expected, expected + 1]);
  });

  it('at(i) indexes from the oldest message across the wrap', () => {
    const m = new Mailbox();
    for (let i = 0; i < 4; i++) m.push(i);
    m.shift();
    m.shift();
    m.push(4);
    m.push(5); // now wrapped: head at 2
    expect([0, 1, 2, 3].map((i) => m.at(i))).toEqual([2, 3, 4, 5]);
  });
});
