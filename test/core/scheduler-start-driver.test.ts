import { afterEach, describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { Scheduler } from '../../src/core/scheduler.ts';

let s: Scheduler | null = null;
afterEach(() => {
  s?.stop();
  s?.shutdown();
  s = null;
});

describe('scheduler: start() drives it from the event loop', () => {
  it('runs actors for messages sent from outside, without runUntilIdle', async () => {
    s = new Scheduler();
    s.start();
    const done = new Promise<unknown[]>((resolve) => {
      const got: unknown[] = [];
      const pid = s!.spawn({
        handle(m: unknown, st: unknown) {
          got.push(m);
          if (got.length === 3) resolve(got);
          return st;
        },
      });
      for (const m of [1, 2, 3]) s!.send(pid, m);
    });
    expect(await done).toEqual([1, 2, 3]);
  });

  it('fires timers on its own (the wait is short; the test asserts what arrives, not when)', async () => {
    s = new Scheduler();
    s.start();
    const got = await new Promise<unknown>((resolve) => {
      const pid = s!.spawn(function* (ctx: Context) {
        ctx.sendAfter(2, ctx.self, 'tick');
        resolve(yield ctx.receive());
      });
      void pid;
    });
    expect(got).toBe('tick');
  });

  it('after stop() nothing runs until runUntilIdle is called', async () => {
    s = new Scheduler();
    s.start();
    s.stop();
    const got: unknown[] = [];
    const pid = s.spawn({ handle: (m: unknown, st: unknown) => (got.push(m), st) });
    s.send(pid, 'x');
    await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual([]);
    s.runUntilIdle();
    expect(got).toEqual(['x']);
  });
});
