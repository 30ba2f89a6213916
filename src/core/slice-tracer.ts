/**
 * SliceTracer: the seam through which a timeline trace (src/profile/trace/) sees a
 * scheduler's slices and parked periods.
 *
 * A Scheduler's `tracer` is null by default. When a tool sets one (on the scheduler's own
 * thread), the slice loop (scheduler.ts runSlice) does, per slice:
 *   1. if `burst` is false (the first slice since the host's loop (re)started, or since
 *      nothing was runnable), call `begin()`: the tracer reads the clock as this slice's
 *      start and sets `burst`;
 *   2. after the slice, call `slice(actor, reductionsSpent)`: the tracer reads the clock
 *      once, as this slice's end and the next slice's start while `burst` holds.
 * So a slice costs one clock read (performance.now() is ~90 ns on some machines, as long as
 * a short slice), and the scheduler's own work between two slices of a burst (finalising
 * exits, flushing rings) counts in the later slice. `fireDueTimers` (called by every
 * host loop when it starts a round) and an empty run queue clear `burst`.
 * A host that parks the thread (src/threads/worker-loop.ts) calls `parked(startMs, endMs)`
 * after each park. With no tracer the cost is two null tests of a local per slice; the
 * implementation must not allocate per call (it writes into fixed typed arrays).
 * Erlang mapping: the scheduler side of `erlang:trace(all, true, [running, timestamp])`
 * (in/out events per process) and `scheduler` profiling (active/inactive), as one seam.
 */
import type { Actor } from './actor.ts';

export interface SliceTracer {
  /** True while slices run back to back (the previous slice's end is the next one's start). */
  burst: boolean;
  /** Step 1: read the clock as the start of the next slice, set `burst`. */
  begin(): void;
  /** Step 2: one actor ran (until now), spending `reductions`. */
  slice(actor: Actor, reductions: number): void;
  /** This thread was parked (waiting for work) from startMs to endMs (performance.now()). */
  parked(startMs: number, endMs: number): void;
}
