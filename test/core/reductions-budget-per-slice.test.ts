import { describe, expect, it } from 'vitest';
import { makeScheduler } from './helpers.ts';

describe('reductions: budget per slice', () => {
  it('a handler actor handles at most `budget` messages per slice', () => {
    const { s } = makeScheduler({ budget: 100 });
    const pid = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    for (let i = 0; i < 1000; i++) s.send(pid, i);
    const before = s.counters.slices;
    expect(s.runUntilIdle(1)).toBe(1);
    expect(s.processInfo(pid)!.messageQueueLen).toBe(900);
    s.runUntilIdle();
    expect(s.counters.slices - before).toBe(10);
    expect(s.processInfo(pid)!.reductions).toBe(1000);
  });

  it('the default budget is 4000 reductions', () => {
    const { s } = makeScheduler();
    expect(s.options.budget).toBe(4000);
    const pid = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    for (let i = 0; i < 5000; i++) s.send(pid, i);
    s.runUntilIdle(1);
    expect(s.processInfo(pid)!.messageQueueLen).toBe(1000);
  });
});
