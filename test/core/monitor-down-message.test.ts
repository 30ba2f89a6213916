import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Pid, Ref } from '../../src/core/pid.ts';
import { isDownMessage } from '../../src/core/reason.ts';
import { makeScheduler } from './helpers.ts';

describe('monitor: DOWN message', () => {
  it('delivers {type:DOWN, ref, pid, reason} when the monitored process exits, and the watcher lives on', () => {
    const { s } = makeScheduler();
    const target = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    const got: unknown[] = [];
    let ref: Ref | undefined;
    const watcher = s.spawn({
      handle(m: unknown, st: unknown, ctx: Context) {
        if (m === 'watch') ref = ctx.monitor(target);
        else got.push(m);
        return st;
      },
    });
    s.send(watcher, 'watch');
    s.runUntilIdle();
    expect(s.processInfo(watcher)!.monitors).toEqual([ref]);
    expect(s.processInfo(target)!.monitoredBy).toEqual([watcher]);
    s.exit(target, { custom: 'reason' });
    s.runUntilIdle();
    expect(got).toEqual([{ type: 'DOWN', ref, pid: target, reason: { custom: 'reason' } }]);
    expect(isDownMessage(got[0])).toBe(true);
    expect(s.isAlive(watcher)).toBe(true);
    expect(s.processInfo(watcher)!.monitors).toEqual([]);
  });

  it("a monitor does not link: an abnormal exit doesn't kill the watcher, and 'normal' is reported too", () => {
    const { s } = makeScheduler();
    const got: unknown[] = [];
    const watcher = s.spawn(function* (ctx: Context) {
      const [pid, ref] = ctx.spawnMonitor(function* (c: Context) {
        yield c.receive();
      });
      ctx.send(pid, 'stop');
      const down: { ref: Ref; pid: Pid; reason: unknown } = yield ctx.receive({ type: 'DOWN' });
      got.push(down.ref === ref, down.pid === pid, down.reason);
      yield ctx.receive();
    });
    s.runUntilIdle();
    expect(got).toEqual([true, true, 'normal']);
    expect(s.isAlive(watcher)).toBe(true);
  });

  it('monitors a registered name', () => {
    const { s } = makeScheduler();
    const target = s.spawn({ handle: (_m: unknown, st: unknown) => st }, [], { name: 'db' });
    const got: unknown[] = [];
    const watcher = s.spawn({
      handle(m: unknown, st: unknown, ctx: Context) {
        if (m === 'watch') ctx.monitor('db');
        else got.push(m);
        return st;
      },
    });
    s.send(watcher, 'watch');
    s.runUntilIdle();
    s.exit(target, 'gone');
    s.runUntilIdle();
    expect(got).toMatchObject([{ type: 'DOWN', pid: target, reason: 'gone' }]);
  });
});
