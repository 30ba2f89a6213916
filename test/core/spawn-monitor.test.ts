import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { NotInActorError } from '../../src/core/errors.ts';
import { makeScheduler } from './helpers.ts';

describe('spawn: spawnMonitor', () => {
  it('spawns and monitors in one step', () => {
    const { s } = makeScheduler();
    const got: unknown[] = [];
    s.spawn(function* (ctx: Context) {
      const [pid, ref] = ctx.spawnMonitor({ handle: () => { throw new Error('x'); } });
      ctx.send(pid, 'crash');
      const down: { ref: unknown; pid: unknown } = yield ctx.receive({ type: 'DOWN' });
      got.push(down.ref === ref, down.pid === pid);
    });
    s.runUntilIdle();
    expect(got).toEqual([true, true]);
  });

  it('from outside any actor raises NotInActorError and spawns nothing', () => {
    const { s } = makeScheduler();
    expect(() => s.spawnMonitor({ handle: (_m: unknown, st: unknown) => st })).toThrow(NotInActorError);
    expect(s.size).toBe(0);
  });
});
