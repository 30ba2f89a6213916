import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { TIMEOUT } from '../../src/core/reason.ts';
import { makeScheduler } from './helpers.ts';

describe('receive: timeout 0 polls', () => {
  it('returns TIMEOUT at once when nothing matches, without waiting for the clock', () => {
    const { s } = makeScheduler();
    const got: unknown[] = [];
    const pid = s.spawn(function* (ctx: Context) {
      got.push(yield ctx.receive('x', 0));
    });
    s.send(pid, 'y');
    s.runUntilIdle();
    expect(got).toEqual([TIMEOUT]);
    expect(s.isAlive(pid)).toBe(false);
    expect(s.pendingTimers).toBe(0);
  });

  it('returns a matching message that is already queued', () => {
    const { s } = makeScheduler();
    const got: unknown[] = [];
    const pid = s.spawn(function* (ctx: Context) {
      got.push(yield ctx.receive('x', 0));
    });
    s.send(pid, 'y');
    s.send(pid, 'x');
    s.runUntilIdle();
    expect(got).toEqual(['x']);
  });
});
