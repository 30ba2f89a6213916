import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { BadArgError } from '../../src/core/errors.ts';
import type { Ref } from '../../src/core/pid.ts';
import { makeScheduler, spawnRecorder } from './helpers.ts';

describe('timers: sendAfter', () => {
  it('delivers the message when its time comes, not before', () => {
    const { s, time } = makeScheduler();
    const { pid, log } = spawnRecorder(s);
    s.sendAfter(100, pid, 'tick');
    s.runUntilIdle();
    time.advance(99);
    s.runUntilIdle();
    expect(log).toEqual([]);
    time.advance(1);
    s.runUntilIdle();
    expect(log).toEqual(['tick']);
    expect(s.pendingTimers).toBe(0);
  });

  it('copies the message when the timer is set', () => {
    const { s, time } = makeScheduler();
    const { pid, log } = spawnRecorder(s);
    const msg = { n: 1 };
    s.sendAfter(5, pid, msg);
    msg.n = 2;
    time.advance(5);
    s.runUntilIdle();
    expect(log).toEqual([{ n: 1 }]);
  });

  it('fires timers in deadline order, and timers with the same deadline in the order they were set', () => {
    const { s, time } = makeScheduler();
    const { pid, log } = spawnRecorder(s);
    s.sendAfter(30, pid, 'c');
    s.sendAfter(10, pid, 'a1');
    s.sendAfter(10, pid, 'a2');
    s.sendAfter(10, pid, 'a3');
    s.sendAfter(20, pid, 'b');
    s.sendAfter(5000, pid, 'far1');
    s.sendAfter(5000, pid, 'far2');
    time.advance(10_000);
    s.runUntilIdle();
    expect(log).toEqual(['a1', 'a2', 'a3', 'b', 'c', 'far1', 'far2']);
  });

  it('resolves a registered name when the timer fires; an unknown name or dead pid drops it', () => {
    const { s, time } = makeScheduler();
    const first = spawnRecorder(s);
    s.sendAfter(10, 'svc', 'hello');
    s.register('svc', first.pid);
    s.sendAfter(20, 'nobody', 'lost');
    const dead = spawnRecorder(s);
    s.sendAfter(20, dead.pid, 'lost too');
    s.exit(dead.pid, 'kill');
    time.advance(20);
    s.runUntilIdle();
    expect(first.log).toEqual(['hello']);
    expect(dead.log).toEqual([]);
    expect(s.counters.timersFired).toBe(3);
  });

  it('ctx.sendAfter from an actor: a self-timer loop ticks once per period', () => {
    const { s, time } = makeScheduler();
    const ticks: number[] = [];
    const pid = s.spawn({
      handle(m: string, st: unknown, ctx: Context) {
        ticks.push(ctx.now());
        if (ticks.length < 3) ctx.sendAfter(25, ctx.self, 'tick');
        return st;
      },
    });
    s.send(pid, 'tick');
    for (let i = 0; i < 10; i++) {
      s.runUntilIdle();
      time.advance(10);
    }
    expect(ticks).toEqual([0, 30, 60]);
  });

  it('refuses a bad delay or destination', () => {
    const { s } = makeScheduler();
    const { pid } = spawnRecorder(s);
    expect(() => s.sendAfter(-1, pid, 'x')).toThrow(BadArgError);
    expect(() => s.sendAfter(Number.NaN, pid, 'x')).toThrow(BadArgError);
    expect(() => s.sendAfter(Infinity, pid, 'x')).toThrow(BadArgError);
    expect(() => s.sendAfter(1, 42 as unknown as Ref as never, 'x')).toThrow(BadArgError);
  });
});
