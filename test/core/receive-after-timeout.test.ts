import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { TIMEOUT } from '../../src/core/reason.ts';
import { makeScheduler } from './helpers.ts';

describe('receive: after timeout', () => {
  it('resumes with TIMEOUT once the timeout has passed with no matching message', () => {
    const { s, time } = makeScheduler();
    const got: unknown[] = [];
    const pid = s.spawn(function* (ctx: Context) {
      got.push(yield ctx.receive('wanted', 50));
      got.push(yield ctx.receive());
    });
    s.runUntilIdle();
    s.send(pid, 'other'); // does not match: the timeout keeps running
    s.runUntilIdle();
    time.advance(49);
    s.runUntilIdle();
    expect(got).toEqual([]);
    time.advance(1);
    s.runUntilIdle();
    expect(got).toEqual([TIMEOUT, 'other']);
  });

  it('a match before the deadline cancels the timeout', () => {
    const { s, time } = makeScheduler();
    const got: unknown[] = [];
    const pid = s.spawn(function* (ctx: Context) {
      got.push(yield ctx.receive(undefined, 50));
      got.push(yield ctx.receive(undefined, 1000));
    });
    s.runUntilIdle();
    time.advance(10);
    s.send(pid, 'm');
    s.runUntilIdle();
    expect(got).toEqual(['m']);
    time.advance(100); // past the first deadline: nothing may fire into the second receive
    s.runUntilIdle();
    expect(got).toEqual(['m']);
    time.advance(1000);
    s.runUntilIdle();
    expect(got).toEqual(['m', TIMEOUT]);
    expect(s.pendingTimers).toBe(0);
  });

  it('ctx.sleep(ms) waits ms and leaves the mailbox alone', () => {
    const { s, time } = makeScheduler();
    const got: unknown[] = [];
    const pid = s.spawn(function* (ctx: Context) {
      yield ctx.sleep(30);
      got.push('woke');
      got.push(yield ctx.receive());
    });
    s.runUntilIdle();
    s.send(pid, 'x');
    s.runUntilIdle();
    expect(got).toEqual([]);
    time.advance(30);
    s.runUntilIdle();
    expect(got).toEqual(['woke', 'x']);
  });
});
