/**
 * SliceTracer: the seam through which a timeline trace (src/profile/trace/) sees a
 * scheduler's slices, the sends made inside them, and its idle and parked periods.
 *
 * A Scheduler's `tracer` is null by default. When a tool sets one (on the scheduler's own
 * thread), the scheduler calls, per slice:
 *   1. if `burst` is false (the first slice since the host's loop (re)started, or since
 *      nothing was runnable), `begin()`: the tracer reads the clock as this slice's start
 *      and sets `burst`;
 *   2. for each message the running actor delivers to an actor of this scheduler
 *      (deliver: sends, calls, replies), `delivered(target)` after the target's msgsIn
 *      counted it; for each send to a pid this scheduler does not own (sendOut: another
 *      thread, another node), `sentOut(to)`;
 *   3. after the slice, `slice(actor, reductionsSpent)`: the end of this slice is the start
 *      of the next one while `burst` holds. The tracer decides when it reads the clock (at
 *      most once here; it may read it only every Nth slice and interpolate the others).
 *   4. `idle()` when a run of slices ends (`fireDueTimers`, which every host loop calls
 *      when it (re)starts a round, and an empty run queue): the tracer closes the run
 *      (reads the clock if the last slice's end is still unread) and clears `burst`.
 * A host that parks the thread (src/threads/worker-loop.ts) calls `parked(startMs, endMs)`
 * after each park. With no tracer the cost is one null test per call site; an
 * implementation must not allocate per call (it writes into fixed typed arrays).
 * Erlang mapping: the scheduler side of `erlang:trace(all, true, [running, send,
 * timestamp])` (in/out and send events per process) and `scheduler` profiling
 * (active/inactive), as one seam.
 */
import type { Actor } from './actor.ts';
import type { Pid } from './pid.ts';

export interface SliceTracer {
  /** True while slices run back to back (the previous slice's end is the next one's start). */
  burst: boolean;
  /** Step 1: read the clock as the start of the next slice, set `burst`. */
  begin(): void;
  /** Step 2: the running actor's message was just delivered to `target` (this scheduler's). */
  delivered(target: Actor): void;
  /** Step 2: the running actor (if any) sent a message to a pid of another thread or node. */
  sentOut(to: Pid): void;
  /** Step 3: one actor ran (until now), spending `reductions`. */
  slice(actor: Actor, reductions: number): void;
  /** Step 4: the run of slices ended. */
  idle(): void;
  /** This thread was parked (waiting for work) from startMs to endMs (performance.now()). */
  parked(startMs: number, endMs: number): void;
}
