/**
 * SliceTracer: the seam through which a timeline trace (src/profile/trace/) sees a
 * scheduler's slices and parked periods.
 *
 * A Scheduler's `tracer` is null by default. When a tool sets one (on the scheduler's own
 * thread), the slice loop (scheduler.ts runSlice) does, per slice:
 *   1. read the clock (performance.now(), ms) before the actor runs;
 *   2. after the slice, call `slice(actor, startMs, endMs, reductionsSpent)`.
 * A host that parks the thread (src/threads/worker-loop.ts) calls `parked(startMs, endMs)`
 * after each park. With no tracer the cost is a null test of a local per slice; the
 * implementation must not allocate per call (it writes into fixed typed arrays).
 * Erlang mapping: the scheduler side of `erlang:trace(all, true, [running, timestamp])`
 * (in/out events per process) and `scheduler` profiling (active/inactive), as one seam.
 */
import type { Actor } from './actor.ts';

export interface SliceTracer {
  /** One actor ran from startMs to endMs (performance.now() of this thread), spending `reductions`. */
  slice(actor: Actor, startMs: number, endMs: number, reductions: number): void;
  /** This thread was parked (waiting for work) from startMs to endMs. */
  parked(startMs: number, endMs: number): void;
}
