import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { makeScheduler } from './helpers.ts';

describe('scheduler: fairness', () => {
  it('an actor with 1,000,000 queued messages delays a pinger on the same scheduler by at most a few slices', () => {
    const { s } = makeScheduler();
    let handledByFlood = 0;
    const flood = s.spawn({ handle: (_m: unknown, st: unknown) => (handledByFlood++, st) });
    const pongs: number[] = []; // slice count at each pong
    const ponger = s.spawn({
      handle(m: { from: Pid; n: number }, st: unknown, ctx: Context) {
        ctx.send(m.from, m.n);
        return st;
      },
    });
    const pinger = s.spawn({
      handle(m: string | number, st: unknown, ctx: Context) {
        if (typeof m === 'number') pongs.push(s.counters.slices);
        if (m === 'start' || (typeof m === 'number' && m < 20)) ctx.send(ponger, { from: ctx.self, n: typeof m === 'number' ? m + 1 : 0 });
        return st;
      },
    });
    for (let i = 0; i < 1_000_000; i++) s.send(flood, i);
    s.send(pinger, 'start');
    const start = s.counters.slices;
    // Run until the ping-pong is over; the flood is far from drained by then.
    while (pongs.length < 21) s.runUntilIdle(1);
    expect(handledByFlood).toBeLessThan(1_000_000);
    // Each round trip is two hops; with the flood in the queue each hop waits at most one
    // flood slice, so a round trip takes at most 4 slices (the first one also waits for
    // the flood's first slice, which was queued before the pinger).
    expect(pongs[0] - start).toBeLessThanOrEqual(5);
    const gaps = pongs.slice(1).map((at, i) => at - pongs[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(4);
    s.runUntilIdle();
    expect(handledByFlood).toBe(1_000_000);
  });
});
