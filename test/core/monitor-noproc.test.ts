import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Ref } from '../../src/core/pid.ts';
import { makeScheduler } from './helpers.ts';

describe('monitor: a dead process', () => {
  it("monitoring a dead pid delivers DOWN with reason 'noproc' at once", () => {
    const { s } = makeScheduler();
    const dead = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    s.exit(dead, 'kill');
    s.runUntilIdle();
    const got: unknown[] = [];
    let ref: Ref | undefined;
    const watcher = s.spawn({
      handle(m: unknown, st: unknown, ctx: Context) {
        if (m === 'watch') ref = ctx.monitor(dead);
        else got.push(m);
        return st;
      },
    });
    s.send(watcher, 'watch');
    s.runUntilIdle();
    expect(got).toEqual([{ type: 'DOWN', ref, pid: dead, reason: 'noproc' }]);
    expect(s.processInfo(watcher)!.monitors).toEqual([]);
  });

  it("monitoring an unregistered name delivers DOWN with 'noproc'", () => {
    const { s } = makeScheduler();
    const got: unknown[] = [];
    const watcher = s.spawn({
      handle(m: unknown, st: unknown, ctx: Context) {
        if (m === 'watch') ctx.monitor('nobody');
        else got.push(m);
        return st;
      },
    });
    s.send(watcher, 'watch');
    s.runUntilIdle();
    expect(got).toMatchObject([{ type: 'DOWN', reason: 'noproc' }]);
  });
});
