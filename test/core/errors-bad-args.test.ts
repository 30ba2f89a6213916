import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { BadArgError } from '../../src/core/errors.ts';
import { defineActor } from '../../src/core/behaviour.ts';
import { makeScheduler, recordExits, spawnRecorder } from './helpers.ts';

describe('errors: bad arguments raise BadArgError', () => {
  it('from the scheduler API', () => {
    const { s } = makeScheduler();
    const { pid } = spawnRecorder(s);
    expect(() => s.send(42 as never, 'x')).toThrow(BadArgError);
    expect(() => s.send({} as never, 'x')).toThrow(BadArgError);
    expect(() => s.exit('pid' as never, 'x')).toThrow(BadArgError);
    expect(() => s.spawn({ handle: () => 0 }, 'notarray' as never)).toThrow(BadArgError);
    expect(() => s.register('n', 'pid' as never)).toThrow(BadArgError);
    expect(() => s.cancelTimer(pid as never)).toThrow(BadArgError);
    expect(() => defineActor('', { handle: () => 0 })).toThrow(BadArgError);
  });

  it('from ctx methods (the actor crashes with the error)', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const cases: Array<(ctx: Context) => unknown> = [
      (ctx) => ctx.link('x' as never),
      (ctx) => ctx.unlink(1 as never),
      (ctx) => ctx.monitor(5 as never),
      (ctx) => ctx.demonitor('r' as never),
      (ctx) => ctx.trapExit('yes' as never),
      (ctx) => ctx.setPriority('max' as never),
      (ctx) => ctx.bumpReductions(-1),
      (ctx) => ctx.bumpReductions(1.5),
      (ctx) => ctx.reply(null as never, 1),
    ];
    const pids = cases.map((f) => s.spawn({ handle: (_m: unknown, st: unknown, ctx: Context) => (f(ctx), st) }));
    for (const p of pids) s.send(p, 'go');
    s.runUntilIdle();
    for (const p of pids) expect(exits.get(p.toString()), String(p)).toMatchObject({ kind: 'error', name: 'BadArgError' });
  });

  it('a negative or non-number receive timeout crashes a process actor with BadArgError', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const a = s.spawn(function* (ctx: Context) {
      yield ctx.receive(undefined, -5);
    });
    const b = s.spawn(function* (ctx: Context) {
      yield ctx.receive(undefined, 'soon' as never);
    });
    s.runUntilIdle();
    expect(exits.get(a.toString())).toMatchObject({ kind: 'error', name: 'BadArgError' });
    expect(exits.get(b.toString())).toMatchObject({ kind: 'error', name: 'BadArgError' });
  });

  it('ctx.receive in a handler-style actor is a BadArgError, not a TypeError', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const pid = s.spawn({ handle: (_m: unknown, st: unknown, ctx: Context) => (ctx.receive(), st) });
    s.send(pid, 'go');
    s.runUntilIdle();
    expect(exits.get(pid.toString())).toMatchObject({ kind: 'error', name: 'BadArgError' });
  });
});
