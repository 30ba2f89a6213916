import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { BadArgError } from '../../src/core/errors.ts';
import { makeScheduler, spawnRecorder } from './helpers.ts';

describe('timers: cancelTimer', () => {
  it('returns the ms that were left and the message is never delivered', () => {
    const { s, time } = makeScheduler();
    const { pid, log } = spawnRecorder(s);
    const ref = s.sendAfter(100, pid, 'x');
    time.advance(30);
    s.runUntilIdle();
    expect(s.cancelTimer(ref)).toBe(70);
    time.advance(100);
    s.runUntilIdle();
    expect(log).toEqual([]);
    expect(s.pendingTimers).toBe(0);
  });

  it('returns false for a timer that already fired or was cancelled', () => {
    const { s, time } = makeScheduler();
    const { pid } = spawnRecorder(s);
    const fired = s.sendAfter(10, pid, 'x');
    time.advance(10);
    s.runUntilIdle();
    expect(s.cancelTimer(fired)).toBe(false);
    const twice = s.sendAfter(10, pid, 'y');
    expect(s.cancelTimer(twice)).toBe(10);
    expect(s.cancelTimer(twice)).toBe(false);
    expect(s.cancelTimer(s.makeRef())).toBe(false);
    expect(() => s.cancelTimer('nope' as never)).toThrow(BadArgError);
  });

  it('works from an actor through ctx.cancelTimer', () => {
    const { s, time } = makeScheduler();
    const left: Array<number | false> = [];
    const pid = s.spawn({
      handle(m: string, st: import('../../src/core/pid.ts').Ref | null, ctx: Context) {
        if (m === 'arm') return ctx.sendAfter(50, ctx.self, 'fire');
        if (m === 'cancel' && st !== null) left.push(ctx.cancelTimer(st));
        if (m === 'fire') left.push(-1);
        return st;
      },
    });
    s.send(pid, 'arm');
    s.runUntilIdle();
    time.advance(20);
    s.send(pid, 'cancel');
    s.runUntilIdle();
    time.advance(100);
    s.runUntilIdle();
    expect(left).toEqual([30]);
  });
});
