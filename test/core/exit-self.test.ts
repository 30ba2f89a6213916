import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { makeScheduler, recordExits } from './helpers.ts';

describe('exit: ctx.exit(reason) ends the caller', () => {
  it('with the given reason, stopping its code at once (handler and process style)', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const steps: string[] = [];
    const h = s.spawn({
      handle(_m: unknown, st: unknown, ctx: Context) {
        steps.push('h');
        ctx.exit({ why: 'done' });
      },
    });
    const p = s.spawn(function* (ctx: Context) {
      yield ctx.receive();
      steps.push('p');
      ctx.exit('finished');
      steps.push('unreachable');
    });
    s.send(h, 'go');
    s.send(h, 'never');
    s.send(p, 'go');
    s.runUntilIdle();
    expect(steps.sort()).toEqual(['h', 'p']);
    expect(exits.get(h.toString())).toEqual({ why: 'done' });
    expect(exits.get(p.toString())).toBe('finished');
  });

  it("ends a trapping caller too, even with reason 'normal', and sends it no EXIT message", () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    let queued = -1;
    const pid = s.spawn({
      handle(_m: unknown, st: unknown, ctx: Context) {
        try {
          ctx.exit('normal');
        } finally {
          queued = ctx.processInfo(ctx.self)!.messageQueueLen;
        }
      },
    }, [], { trapExit: true });
    s.send(pid, 'go');
    s.runUntilIdle();
    expect(exits.get(pid.toString())).toBe('normal');
    expect(queued).toBe(0);
  });

  it('linked actors see the reason', () => {
    const { s } = makeScheduler();
    const got: unknown[] = [];
    s.spawn(function* (ctx: Context) {
      ctx.trapExit(true);
      ctx.spawnLink(function* (c: Context) {
        c.exit('my reason');
      });
      got.push(yield ctx.receive());
    });
    s.runUntilIdle();
    expect(got).toMatchObject([{ type: 'EXIT', reason: 'my reason' }]);
  });
});
