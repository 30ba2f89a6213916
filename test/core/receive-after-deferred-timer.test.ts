/**
 * Deferred receive timers (src/core/scheduler-timers.ts): a receive-after of kDeferFromMs
 * or more arms no wheel timer while the slice that started it runs; the next timer tick
 * arms it from that tick's time, so the timeout fires late by at most a tick, never early.
 * A shorter receive-after is armed at once, as before.
 */
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { TIMEOUT } from '../../src/core/reason.ts';
import { kDeferFromMs } from '../../src/core/scheduler-timers.ts';
import { makeScheduler } from './helpers.ts';

describe('receive: deferred receive-after timers', () => {
  it('a long receive-after waits in the deferred list until the next tick, then times out from that tick', () => {
    const { s, time } = makeScheduler();
    const got: unknown[] = [];
    s.spawn(function* (ctx: Context) {
      got.push(yield ctx.receive('wanted', kDeferFromMs));
    });
    expect(s.runSlice()).toBe(true); // the receive starts: nothing in the wheel yet
    expect(s.pendingTimers).toBe(0);
    expect(s.deferredTimers.length).toBe(1);
    time.advance(30); // the tick comes 30 ms later: the deadline counts from here
    s.fireDueTimers();
    expect(s.deferredTimers.length).toBe(0);
    expect(s.pendingTimers).toBe(1);
    time.advance(kDeferFromMs - 1);
    s.runUntilIdle();
    expect(got).toEqual([]);
    time.advance(1);
    s.runUntilIdle();
    expect(got).toEqual([TIMEOUT]);
    expect(s.pendingTimers).toBe(0);
  });

  it('an answer before the tick leaves no timer, and a second wait before the tick is armed once', () => {
    const { s } = makeScheduler();
    const got: unknown[] = [];
    const pid = s.spawn(function* (ctx: Context) {
      got.push(yield ctx.receive(undefined, 5000));
      got.push(yield ctx.receive(undefined, 5000));
    });
    expect(s.runSlice()).toBe(true);
    s.send(pid, 'a');
    expect(s.runSlice()).toBe(true); // takes 'a', waits again: pushed a second time
    expect(got).toEqual(['a']);
    expect(s.deferredTimers.length).toBe(2);
    const wait = s.msUntilNextTimer(); // what a host asks before it sleeps: armed, once
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(5000); // the wheel's slot start for a far deadline
    expect(s.pendingTimers).toBe(1);
    expect(s.deferredTimers.length).toBe(0);
    s.send(pid, 'b');
    s.runUntilIdle();
    expect(got).toEqual(['a', 'b']);
    expect(s.pendingTimers).toBe(0);
  });

  it('a short receive-after is armed at once', () => {
    const { s } = makeScheduler();
    s.spawn(function* (ctx: Context) {
      yield ctx.receive('wanted', kDeferFromMs - 1);
    });
    expect(s.runSlice()).toBe(true);
    expect(s.deferredTimers.length).toBe(0);
    expect(s.pendingTimers).toBe(1);
  });

  it('an actor killed while its timer is deferred is not armed', () => {
    const { s } = makeScheduler();
    const pid = s.spawn(function* (ctx: Context) {
      yield ctx.receive('wanted', 5000);
    });
    expect(s.runSlice()).toBe(true);
    s.exit(pid, 'kill');
    s.runUntilIdle();
    expect(s.deferredTimers.length).toBe(0);
    expect(s.pendingTimers).toBe(0);
  });
});
