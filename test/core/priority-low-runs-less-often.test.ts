import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { makeScheduler } from './helpers.ts';

describe('priority: low', () => {
  it('still runs while normal actors are busy, but gets fewer slices than a normal actor', () => {
    const { s } = makeScheduler({ budget: 10 });
    const slices = new Map<string, number>();
    // Each busy actor keeps itself runnable forever by mailing itself before its budget ends.
    const busy = (name: string) => ({
      handle(_m: unknown, st: unknown, ctx: Context) {
        ctx.bumpReductions(100); // spend the whole slice on one message
        ctx.send(ctx.self, 'again');
        slices.set(name, (slices.get(name) ?? 0) + 1);
        return st;
      },
    });
    const n1 = s.spawn(busy('normal1'));
    const n2 = s.spawn(busy('normal2'));
    const low = s.spawn(busy('low'), [], { priority: 'low' });
    for (const p of [n1, n2, low]) s.send(p, 'go');
    s.runUntilIdle(900);
    const l = slices.get('low') ?? 0;
    const n = slices.get('normal1') ?? 0;
    expect(l).toBeGreaterThan(0); // not starved
    expect(l).toBeLessThan(n / 2); // but clearly less often than a normal actor
    expect(l + n + (slices.get('normal2') ?? 0)).toBe(900);
  });

  it('a low actor alone runs every slice', () => {
    const { s } = makeScheduler();
    const got: number[] = [];
    const low = s.spawn({ handle: (m: number, st: unknown) => (got.push(m), st) }, [], { priority: 'low' });
    for (let i = 0; i < 5; i++) s.send(low, i);
    s.runUntilIdle();
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });
});
