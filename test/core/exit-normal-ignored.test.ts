import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { makeScheduler, spawnRecorder } from './helpers.ts';

describe("exit signals: exit(pid, 'normal')", () => {
  it('is ignored by a process that does not trap exits (sent by another actor)', () => {
    const { s } = makeScheduler();
    const target = spawnRecorder(s);
    const sender = s.spawn({ handle: (m: Pid, st: unknown, ctx: Context) => (ctx.exit(m, 'normal'), st) });
    s.send(sender, target.pid);
    s.runUntilIdle();
    expect(s.isAlive(target.pid)).toBe(true);
    s.send(target.pid, 'still here');
    s.runUntilIdle();
    expect(target.log).toEqual(['still here']);
  });

  it('is ignored too when sent from outside any actor', () => {
    const { s } = makeScheduler();
    const target = spawnRecorder(s);
    s.exit(target.pid, 'normal');
    s.runUntilIdle();
    expect(s.isAlive(target.pid)).toBe(true);
  });

  it('becomes an EXIT message for a process that traps exits', () => {
    const { s } = makeScheduler();
    const got: unknown[] = [];
    const target = s.spawn({ handle: (m: unknown, st: unknown) => (got.push(m), st) }, [], { trapExit: true });
    const sender = s.spawn({ handle: (m: Pid, st: unknown, ctx: Context) => (ctx.exit(m, 'normal'), st) });
    s.send(sender, target);
    s.runUntilIdle();
    expect(got).toEqual([{ type: 'EXIT', from: sender, reason: 'normal' }]);
    expect(s.isAlive(target)).toBe(true);
  });

  it('sent by a process to itself ends it normally (when not trapping)', () => {
    const { s } = makeScheduler();
    let after = false;
    const pid = s.spawn({
      handle(_m: unknown, st: unknown, ctx: Context) {
        ctx.exit(ctx.self, 'normal');
        after = true;
        return st;
      },
    });
    s.send(pid, 'go');
    s.runUntilIdle();
    expect(after).toBe(false);
    expect(s.isAlive(pid)).toBe(false);
  });

  it('any other reason kills a non-trapping target with that reason', () => {
    const { s } = makeScheduler();
    const reasons: unknown[] = [];
    s.onExit = (_p, r) => reasons.push(r);
    const target = spawnRecorder(s);
    s.exit(target.pid, 'shutdown');
    s.runUntilIdle();
    expect(reasons).toEqual(['shutdown']);
  });
});
