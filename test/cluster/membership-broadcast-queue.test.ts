/**
 * The transmit-limited claim queue (src/cluster/membership/broadcast-queue.ts): fewest
 * transmits first, a newer claim about a member replaces the pending one, a claim is
 * dropped after `limit` transmits.
 */
import { describe, expect, it } from 'vitest';
import { BroadcastQueue } from '../../src/cluster/membership/broadcast-queue.ts';
import type { Claim } from '../../src/cluster/membership/types.ts';

const alive = (node: string, inc = 0): Claim => ({ t: 'alive', node, inc, addr: '' });

describe('membership broadcast queue', () => {
  it('takes the least-sent claims first and drops a claim after limit transmits', () => {
    const q = new BroadcastQueue();
    q.push(alive('a'));
    q.push(alive('b'));
    expect(q.take(1, 3).map((c) => c.node)).toEqual(['a']);
    q.push(alive('c'));
    expect(q.take(2, 3).map((c) => c.node)).toEqual(['b', 'c']); // both unsent before a
    expect(q.take(5, 3).map((c) => c.node)).toEqual(['a', 'b', 'c']);
    expect(q.take(5, 3).map((c) => c.node)).toEqual(['a', 'b', 'c']);
    expect(q.size).toBe(0); // all three were sent 3 times
    expect(q.take(5, 3)).toEqual([]);
  });

  it('a newer claim about the same member replaces the pending one and restarts its count', () => {
    const q = new BroadcastQueue();
    q.push(alive('a', 1));
    q.take(1, 10);
    q.take(1, 10);
    q.push({ t: 'suspect', node: 'a', inc: 1, from: 'x' });
    q.push(alive('b'));
    expect(q.size).toBe(2);
    const first = q.take(1, 10);
    expect(first).toEqual([{ t: 'suspect', node: 'a', inc: 1, from: 'x' }]);
    expect(q.take(10, 10).map((c) => c.node)).toEqual(['b', 'a']);
  });
});
