import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { makeScheduler, recordExits, spawnRecorder } from './helpers.ts';

describe('link: to a dead pid', () => {
  it("ends a non-trapping caller with 'noproc'", () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const dead = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    s.exit(dead, 'kill');
    s.runUntilIdle();
    let after = false;
    const me = s.spawn({
      handle(_m: unknown, st: unknown, ctx: Context) {
        ctx.link(dead);
        after = true;
        return st;
      },
    });
    s.send(me, 'go');
    s.runUntilIdle();
    expect(after).toBe(false);
    expect(exits.get(me.toString())).toBe('noproc');
  });

  it("gives a trapping caller an EXIT message with reason 'noproc'", () => {
    const { s } = makeScheduler();
    const sink = spawnRecorder(s);
    const dead = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    s.exit(dead, 'kill');
    s.runUntilIdle();
    const me = s.spawn(function* (ctx: Context, d: Pid) {
      ctx.trapExit(true);
      ctx.link(d);
      ctx.send(sink.pid, yield ctx.receive());
    }, [dead]);
    s.runUntilIdle();
    expect(s.isAlive(me)).toBe(false);
    expect(sink.log).toEqual([{ type: 'EXIT', from: dead, reason: 'noproc' }]);
  });
});
