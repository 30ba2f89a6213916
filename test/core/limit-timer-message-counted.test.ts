import { describe, expect, it } from 'vitest';
import { makeScheduler, recordExits } from './helpers.ts';

describe('limits: a sendAfter message counts at its real size', () => {
  it('a big delayed message pushes an actor past maxHeapSize just like a direct send', () => {
    const { s, time } = makeScheduler();
    const exits = recordExits(s);
    const pid = s.spawn({ handle: (_m: unknown, st: unknown) => st }, [], { maxHeapSize: 10_000 });
    s.suspend(pid);
    s.sendAfter(10, pid, 'x'.repeat(20_000));
    time.advance(10);
    s.runUntilIdle();
    expect(exits.get(pid.toString())).toMatchObject({ kind: 'maxHeapSize', limit: 10_000 });
  });
});
