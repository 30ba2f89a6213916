import { describe, expect, it } from 'vitest';
import { RunQueue } from '../../src/core/run-queue.ts';

describe('RunQueue: remove', () => {
  it('removes an item anywhere, keeping the order of the others, also when wrapped', () => {
    for (let i = 0; i < 6; i++) {
      const q = new RunQueue<string>(8);
      for (let k = 0; k < 5; k++) q.push('pad');
      for (let k = 0; k < 5; k++) q.shift(); // head at 5: the next 6 items wrap
      const items = ['a', 'b', 'c', 'd', 'e', 'f'];
      for (const it of items) q.push(it);
      expect(q.remove(items[i])).toBe(true);
      const out: string[] = [];
      while (q.length > 0) out.push(q.shift()!);
      expect(out).toEqual(items.filter((_, k) => k !== i));
    }
  });

  it('returns false for an item not queued', () => {
    const q = new RunQueue<object>();
    const a = {};
    q.push(a);
    expect(q.remove({})).toBe(false);
    expect(q.remove(a)).toBe(true);
    expect(q.remove(a)).toBe(false);
    expect(q.length).toBe(0);
  });
});
