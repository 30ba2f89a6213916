/**
 * ThreadRecorder: the timeline trace of one scheduler, recorded on the scheduler's own
 * thread (a SliceTracer, core/slice-tracer.ts, writing into a TraceRing).
 *
 * Protocol (node.applyOnSchedulers calls the two exported functions by name, on every
 * scheduler's thread; on a LocalNode, on the calling thread):
 *   1. `startThreadTrace(scheduler, capacity, every)`: refuses a scheduler already tracing
 *      (TraceAlreadyStartedError); makes a ring of `capacity` events, sets
 *      `scheduler.tracer`, and observes this thread's 'gc' performance entries.
 *   2. While set: each slice is one event (actor, start, end, reductions, and the messages
 *      the scheduler sent during it, from its messagesOut counter; one clock read per
 *      slice, see core/slice-tracer.ts); with every = N > 1 only one slice in N (the
      first of each N, then every Nth; after a burst ends, the next slice once N-1 were
      skipped) is recorded, with two clock reads, the others cost a counter; each park of the
 *      worker loop one 'parked' event; each GC one 'gc' event.
 *   3. `stopThreadTrace(scheduler)`: refuses one not tracing (TraceNotStartedError);
 *      clears `scheduler.tracer`, disconnects the GC observer, and returns the events as
 *      ThreadTrace: plain numbers and strings (they travel encoded to the embedding
 *      thread), times still in this thread's performance.now() ms with its timeOrigin,
 *      so the caller can put every thread on one epoch clock.
 * Erlang mapping: per-scheduler trace collection, as `ttb` collects each node's trace files.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import type { Actor } from '../../core/actor.ts';
import type { Scheduler } from '../../core/scheduler.ts';
import type { SliceTracer } from '../../core/slice-tracer.ts';
import { TraceAlreadyStartedError, TraceNotStartedError } from './errors.ts';
import { TraceRing, kEventGc, kEventParked, kEventSlice } from './trace-ring.ts';

/** One event as collected: [kind, startMs, endMs, value, value2, label index, pid index]. */
export type ThreadTraceEvent = [number, number, number, number, number, number, number];

/** What one scheduler hands back (step 3). */
export interface ThreadTrace {
  readonly scheduler: number;
  /** performance.timeOrigin of the recording thread (epoch ms). */
  readonly timeOrigin: number;
  readonly capacity: number;
  readonly dropped: number;
  /** One slice in `every` was recorded (1: all). */
  readonly every: number;
  /** Slices the scheduler ran while tracing (recorded or not). */
  readonly slicesRun: number;
  /** Distinct strings the events point into (actor labels and pids). */
  readonly strings: string[];
  readonly events: ThreadTraceEvent[];
}

class ThreadRecorder implements SliceTracer {
  readonly ring: TraceRing;
  private readonly sched: Scheduler;
  private lastOut: number;
  burst = false;
  private start = 0;
  /** Sample one slice in `every` (1: all). */
  readonly every: number;
  /** Slices still to skip before the next sampled one. */
  private skip = 0;
  /** Whether the running slice is timed (its start was read). */
  private timed = false;
  /** Slices run while tracing (recorded or skipped by sampling). */
  slicesRun = 0;
  private readonly gc: PerformanceObserver;

  constructor(sched: Scheduler, capacity: number, every: number) {
    this.sched = sched;
    this.every = every;
    this.ring = new TraceRing(capacity);
    this.lastOut = sched.counters.messagesOut;
    this.gc = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = ((e as { detail?: unknown }).detail as { kind?: number } | null | undefined)?.kind ?? 0;
        this.ring.push(kEventGc, e.startTime, e.startTime + e.duration, kind, 0, null);
      }
    });
    this.gc.observe({ entryTypes: ['gc'] });
  }

  begin(): void {
    this.burst = true;
    if (this.skip > 0) return;
    this.start = performance.now();
    this.timed = true;
  }

  slice(actor: Actor, reductions: number): void {
    this.slicesRun++;
    if (!this.timed) {
      // Sampling (every > 1): a slice between two sampled ones; the one after the last
      // skipped slice reads its own start.
      if (--this.skip === 0) this.burst = false;
      return;
    }
    const end = performance.now();
    const out = this.sched.counters.messagesOut;
    this.ring.push(kEventSlice, this.start, end, reductions, out - this.lastOut, actor);
    this.lastOut = out;
    this.start = end;
    if (this.every > 1) {
      this.timed = false;
      this.skip = this.every - 1;
    }
  }

  parked(startMs: number, endMs: number): void {
    this.burst = false;
    this.ring.push(kEventParked, startMs, endMs, 0, 0, null);
  }

  close(): void {
    this.gc.disconnect();
  }
}

/** An actor's name in the trace: its registered name, else its behaviour, else its pid. */
function labelOf(a: Actor): string {
  const reg = a.ext?.name;
  if (reg !== null && reg !== undefined) return reg;
  const b = a.behaviour;
  if (b !== null && b.module !== null) return b.exportName ?? b.label;
  return a.pid.toString();
}

/** Step 1. */
export function startThreadTrace(sched: Scheduler, capacity: number, every: number): void {
  if (sched.tracer !== null) throw new TraceAlreadyStartedError(`startTrace: scheduler ${sched.index} is already tracing`);
  sched.tracer = new ThreadRecorder(sched, capacity, every);
}

/** Step 3. */
export function stopThreadTrace(sched: Scheduler): ThreadTrace {
  const rec = sched.tracer;
  if (!(rec instanceof ThreadRecorder)) throw new TraceNotStartedError(`stopTrace: scheduler ${sched.index} is not tracing`);
  sched.tracer = null;
  rec.close();
  const strings: string[] = [];
  const index = new Map<string, number>();
  const intern = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const events: ThreadTraceEvent[] = [];
  rec.ring.forEach((kind, start, end, v, v2, actor) => {
    const label = actor === null ? -1 : intern(labelOf(actor));
    const pid = actor === null ? -1 : intern(actor.pid.toString());
    events.push([kind, start, end, v, v2, label, pid]);
  });
  return { scheduler: sched.index, timeOrigin: performance.timeOrigin, capacity: rec.ring.capacity, dropped: rec.ring.dropped, every: rec.every, slicesRun: rec.slicesRun, strings, events };
}
