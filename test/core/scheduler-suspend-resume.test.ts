import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { NoProcError } from '../../src/core/errors.ts';
import type { Pid } from '../../src/core/pid.ts';
import type { Scheduler } from '../../src/core/scheduler.ts';
import { makeScheduler, spawnRecorder } from './helpers.ts';

async function loaded(s: Scheduler, pid: Pid): Promise<void> {
  for (let i = 0; i < 500 && s.processInfo(pid)?.status === 'loading'; i++) await new Promise((r) => setTimeout(r, 2));
}

describe('scheduler: suspend and resume', () => {
  it('a suspended actor keeps receiving but does not run until resumed', () => {
    const { s } = makeScheduler();
    const { pid, log } = spawnRecorder(s);
    s.suspend(pid);
    s.send(pid, 1);
    s.send(pid, 2);
    s.runUntilIdle();
    expect(log).toEqual([]);
    expect(s.processInfo(pid)!.messageQueueLen).toBe(2);
    s.resume(pid);
    s.runUntilIdle();
    expect(log).toEqual([1, 2]);
  });

  it('a process actor suspended while preempted continues when resumed', async () => {
    const { s } = makeScheduler({ budget: 100 });
    const sink = spawnRecorder(s);
    const url = new URL('./fixtures/busy-loop.ts', import.meta.url).href;
    const pid = s.spawn({ module: url, export: 'BusyLoop' }, [sink.pid, 5000]);
    await loaded(s, pid);
    s.runUntilIdle(2); // started, then preempted
    s.suspend(pid);
    s.runUntilIdle();
    expect(sink.log).toEqual([]);
    s.resume(pid);
    s.runUntilIdle();
    expect(sink.log).toEqual([(5000 * 4999) / 2]);
  });

  it('a process actor whose receive timed out while suspended gets TIMEOUT when resumed', () => {
    const { s, time } = makeScheduler();
    const got: unknown[] = [];
    const pid = s.spawn(function* (ctx: Context) {
      got.push(yield ctx.receive(undefined, 10));
    });
    s.runUntilIdle();
    s.suspend(pid);
    time.advance(10);
    s.runUntilIdle();
    expect(got).toEqual([]);
    s.resume(pid);
    s.runUntilIdle();
    expect(got.length).toBe(1);
  });

  it('suspending a dead pid raises NoProcError', () => {
    const { s } = makeScheduler();
    const { pid } = spawnRecorder(s);
    s.exit(pid, 'kill');
    s.runUntilIdle();
    expect(() => s.suspend(pid)).toThrow(NoProcError);
    expect(() => s.resume(pid)).toThrow(NoProcError);
  });
});
