/**
 * Driver: runs a Scheduler from the Node.js event loop (`scheduler.start()`), for an
 * embedding with the scheduler on the calling thread.
 *
 *   1. Work arrives from outside a slice (`wake`): a pump is queued with setImmediate
 *      (a pending sleep timer is cleared).
 *   2. The pump runs slices, finalises exits and fires due timers (checked every 64
 *      slices) for up to `maxBusyMs`, then yields to I/O: another setImmediate if work is
 *      left.
 *   3. Idle with a timer pending: sleep on setTimeout until its deadline, then pump.
 *   4. Idle without timers: no handle is held, so the process can exit.
 * Microstates (microstate.ts): the pump stores timers / housekeeping around those calls
 * (runSlice stores actor), and idle when it returns to the event loop.
 */
import type { SchedulerState } from './scheduler-state.ts';
import { kMsHousekeeping, kMsIdle, kMsTimers } from './microstate.ts';

export class Driver {
  private readonly s: SchedulerState;
  private immediate: ReturnType<typeof setImmediate> | null = null;
  private timeout: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(s: SchedulerState) {
    this.s = s;
  }

  /** Step 1. */
  readonly wake = (): void => {
    if (this.stopped || this.immediate !== null) return;
    if (this.timeout !== null) {
      clearTimeout(this.timeout);
      this.timeout = null;
    }
    this.immediate = setImmediate(this.pump);
  };

  stop(): void {
    this.stopped = true;
    if (this.immediate !== null) clearImmediate(this.immediate);
    if (this.timeout !== null) clearTimeout(this.timeout);
    this.immediate = null;
    this.timeout = null;
  }

  /** Steps 2-4. */
  private readonly pump = (): void => {
    if (this.stopped) return;
    this.immediate = null;
    const s = this.s;
    const ms = s.ms;
    const until = s.now() + s.options.maxBusyMs;
    let n = 0;
    for (;;) {
      if ((n & 63) === 0) {
        ms[0] = kMsTimers;
        s.fireDueTimers();
        if (n > 0 && s.now() >= until) break;
      }
      ms[0] = kMsHousekeeping;
      s.processExits();
      if (!s.runSlice()) {
        ms[0] = kMsTimers;
        s.fireDueTimers();
        ms[0] = kMsHousekeeping;
        s.processExits();
        if (!s.hasWork()) break;
      }
      n++;
    }
    // Back to the event loop: whatever runs there is not the scheduler's (microstate.ts).
    ms[0] = kMsIdle;
    if (this.stopped) return;
    if (s.hasWork()) {
      this.immediate = setImmediate(this.pump);
      return;
    }
    const wait = s.msUntilNextTimer();
    if (wait >= 0) {
      this.timeout = setTimeout(this.wakeFromTimer, Math.max(1, Math.ceil(wait)));
    }
  };

  private readonly wakeFromTimer = (): void => {
    this.timeout = null;
    this.wake();
  };
}

/**
 * Drive a scheduler by hand (unit tests, `Scheduler.runUntilIdle`): run until no actor is
 * runnable and no exit is pending, firing the timers due now but not waiting for later
 * ones. Returns the number of slices run.
 */
export function runUntilIdle(s: SchedulerState, maxSlices: number): number {
  let n = 0;
  for (;;) {
    s.fireDueTimers();
    s.processExits();
    if (n >= maxSlices || !s.runSlice()) break;
    n++;
  }
  return n;
}
