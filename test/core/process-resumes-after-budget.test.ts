import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { TIMEOUT } from '../../src/core/reason.ts';
import type { Scheduler } from '../../src/core/scheduler.ts';
import type { Pid } from '../../src/core/pid.ts';
import { makeScheduler, spawnRecorder } from './helpers.ts';

async function loaded(s: Scheduler, pid: Pid): Promise<void> {
  for (let i = 0; i < 500 && s.processInfo(pid)?.status === 'loading'; i++) await new Promise((r) => setTimeout(r, 2));
}

describe('process style: a generator that spends its budget is resumed without a new message', () => {
  it('a generator preempted at a loop back-edge is rescheduled and finishes', async () => {
    const { s } = makeScheduler({ budget: 200 });
    const sink = spawnRecorder(s);
    const url = new URL('./fixtures/busy-loop.ts', import.meta.url).href;
    const pid = s.spawn({ module: url, export: 'BusyLoop' }, [sink.pid, 10_000]);
    await loaded(s, pid);
    const before = s.counters.slices;
    s.runUntilIdle();
    expect(sink.log).toEqual([(10_000 * 9_999) / 2]);
    // It really was preempted: many slices, not one.
    expect(s.counters.slices - before).toBeGreaterThan(10);
    expect(s.processInfo(sink.pid)!.instrumented).toBe(false);
  });

  it('a poll (timeout 0) reached with the budget spent still returns TIMEOUT', () => {
    const { s } = makeScheduler({ budget: 10 });
    const got: unknown[] = [];
    s.spawn(function* (ctx: Context) {
      ctx.bumpReductions(100);
      got.push(yield ctx.receive(undefined, 0));
    });
    s.runUntilIdle();
    expect(got).toEqual([TIMEOUT]);
  });

  it('a receive with a timeout reached with the budget spent still times out', () => {
    const { s, time } = makeScheduler({ budget: 10 });
    const got: unknown[] = [];
    s.spawn(function* (ctx: Context) {
      ctx.bumpReductions(100);
      got.push(yield ctx.receive(undefined, 50));
    });
    s.runUntilIdle();
    time.advance(50);
    s.runUntilIdle();
    expect(got).toEqual([TIMEOUT]);
  });
});
