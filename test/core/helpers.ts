/**
 * Shared helpers for the core tests: a manual clock, a scheduler driven by it, and small
 * actors that record what they see. Nothing here waits on wall time.
 */
import { Scheduler, type SchedulerOptions } from '../../src/core/scheduler.ts';
import type { Pid } from '../../src/core/pid.ts';

export interface ManualClock {
  /** The clock function to pass as `clock`. */
  readonly clock: () => number;
  /** Move time forward by `ms`. */
  advance(ms: number): void;
  readonly now: number;
}

export function manualClock(start = 0): ManualClock {
  let t = start;
  return {
    clock: () => t,
    advance(ms: number) {
      t += ms;
    },
    get now() {
      return t;
    },
  };
}

/** A scheduler on a manual clock (time starts at 0 and moves only when told). */
export function makeScheduler(opts: Partial<SchedulerOptions> = {}): { s: Scheduler; time: ManualClock } {
  const time = manualClock();
  const s = new Scheduler({ clock: time.clock, ...opts });
  return { s, time };
}

/** Spawn a handler actor that appends every message it receives to `log`. */
export function spawnRecorder(s: Scheduler, log: unknown[] = []): { pid: Pid; log: unknown[] } {
  const pid = s.spawn({
    handle(msg: unknown, state: unknown) {
      log.push(msg);
      return state;
    },
  });
  return { pid, log };
}

/** Record the exit reason of every actor that ends on `s` (by pid string). */
export function recordExits(s: Scheduler): Map<string, unknown> {
  const reasons = new Map<string, unknown>();
  s.onExit = (pid, reason) => {
    reasons.set(pid.toString(), reason);
  };
  return reasons;
}
