import { describe, expect, it } from 'vitest';
import { RunQueue } from '../../src/core/run-queue.ts';

describe('RunQueue: wrap-around and growth', () => {
  it('is FIFO across wrap-around and growth from a wrapped state', () => {
    const q = new RunQueue<number>(4);
    let next = 0;
    let expected = 0;
    for (let i = 0; i < 50; i++) {
      q.push(next++);
      q.push(next++);
      expect(q.shift()).toBe(expected++);
    }
    expect(q.length).toBe(50);
    while (q.length > 0) expect(q.shift()).toBe(expected++);
    expect(q.shift()).toBeUndefined();
    expect(expected).toBe(next);
  });

  it('rounds the initial capacity up to a power of two', () => {
    const q = new RunQueue<number>(5);
    for (let i = 0; i < 8; i++) q.push(i);
    for (let i = 0; i < 8; i++) expect(q.shift()).toBe(i);
  });
});
