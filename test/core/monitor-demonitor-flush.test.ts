import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Ref } from '../../src/core/pid.ts';
import { makeScheduler } from './helpers.ts';

describe('monitor: demonitor with flush', () => {
  it('removes a DOWN that was already delivered, and only that one', () => {
    const { s } = makeScheduler();
    const t1 = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    const t2 = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    const got: unknown[] = [];
    const watcher = s.spawn(function* (ctx: Context) {
      const r1 = ctx.monitor(t1);
      const r2 = ctx.monitor(t2);
      yield ctx.receive('both dead');
      // Both DOWNs are queued before 'later'.
      ctx.demonitor(r1, { flush: true });
      for (;;) {
        const m: unknown = yield ctx.receive(undefined, 0);
        if (typeof m === 'symbol') break;
        got.push(m);
      }
      got.push(r2);
    });
    s.runUntilIdle();
    s.exit(t1, 'x');
    s.exit(t2, 'y');
    s.runUntilIdle();
    s.send(watcher, 'later');
    s.send(watcher, 'both dead');
    s.runUntilIdle();
    const r2 = got.pop() as Ref;
    expect(got).toEqual([{ type: 'DOWN', ref: r2, pid: t2, reason: 'y' }, 'later']);
  });

  it('without flush, a delivered DOWN stays in the mailbox', () => {
    const { s } = makeScheduler();
    const t = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    const got: unknown[] = [];
    s.spawn(function* (ctx: Context) {
      const r = ctx.monitor(t);
      yield ctx.receive('go');
      got.push(ctx.demonitor(r));
      got.push(yield ctx.receive(undefined, 0));
    });
    s.runUntilIdle();
    s.exit(t, 'z');
    s.runUntilIdle();
    const w = s.processes().find((p) => p !== t)!;
    s.send(w, 'go');
    s.runUntilIdle();
    expect(got).toMatchObject([false, { type: 'DOWN', reason: 'z' }]);
  });
});
