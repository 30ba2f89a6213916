/**
 * ThreadRecorder: the timeline trace of one scheduler, recorded on the scheduler's own
 * thread (a SliceTracer, core/slice-tracer.ts, writing rows into a TraceRing).
 *
 * Protocol (node.applyOnSchedulers calls the two exported functions by name, on every
 * scheduler's thread; on a LocalNode, on the calling thread):
 *   1. `startThreadTrace(scheduler, capacity, every, clockEvery)`: refuses a scheduler
 *      already tracing (TraceAlreadyStartedError); makes a ring of `capacity` rows, sets
 *      `scheduler.tracer`, and observes this thread's 'gc' performance entries.
 *   2. While set, with every = 1 (all slices): each slice is one row (actor, reductions,
 *      the messages the scheduler sent during it from its messagesOut counter, and the
 *      actor's taken count, see trace-ring.ts). The clock is read at the start of a run of
 *      slices (`begin`), after every `clockEvery`-th slice of the run and after every
 *      slice of at least kHeavySlice (500) reductions, and when the run ends (`idle`, if
 *      the last slice's end is unread); the slices in between get their times by
 *      interpolation at collection (thread-collect.ts). clockEvery = 1: exact times, one
 *      clock read per slice. A slice whose end was read gives the next slice its start,
 *      so a group of interpolated slices never depends on an older row.
 *      Flows: each message the running actor delivers to another actor of this thread is
 *      one 'send' row (the target and its msgsIn; sends to itself are not recorded: no
 *      arrow), each send to a pid of another thread one 'sendOut' row.
 *      With every = N > 1 only one slice in N is recorded (the first of each N, then every
 *      Nth; after a run ends, the next slice once N-1 were skipped), with two clock reads,
 *      the others cost a counter; no sends are recorded (a flow's receiving slice would
 *      mostly be one not recorded).
 *      Each park of the worker loop is one 'parked' row, each GC one 'gc' row.
 *   3. `stopThreadTrace(scheduler)`: refuses one not tracing (TraceNotStartedError);
 *      closes the run in progress, clears `scheduler.tracer`, disconnects the GC
 *      observer, and returns the rows collected as a ThreadTrace (thread-collect.ts).
 * Erlang mapping: per-scheduler trace collection, as `ttb` collects each node's trace files.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import type { Actor } from '../../core/actor.ts';
import type { Pid } from '../../core/pid.ts';
import { kLocalNode } from '../../core/router.ts';
import type { Scheduler } from '../../core/scheduler.ts';
import type { SliceTracer } from '../../core/slice-tracer.ts';
import type { SchedulerCounters } from '../../core/types.ts';
import { TraceAlreadyStartedError, TraceNotStartedError } from './errors.ts';
import { TraceRing, kEventGc, kEventParked, kEventSend, kEventSendOut, kEventSlice } from './trace-ring.ts';
import { collectThreadTrace, type ThreadTrace } from './thread-collect.ts';

/** A slice spending this many reductions (a long one, likely) reads its own end. */
const kHeavySlice = 500;

class ThreadRecorder implements SliceTracer {
  readonly ring: TraceRing<Actor>;
  private readonly sched: Scheduler;
  private readonly counters: SchedulerCounters;
  private lastOut: number;
  burst = false;
  /** Start of the next slice; NaN: the previous slice's end. */
  private start = NaN;
  /** Sample one slice in `every` (1: all). */
  readonly every: number;
  /** With every = 1: read the clock after every Nth slice of a run (1: after each). */
  readonly clockEvery: number;
  private untilClock: number;
  /** The row of the last slice if its end is unread, else -1. */
  private pendingRow = -1;
  /** Slices still to skip before the next sampled one. */
  private skip = 0;
  /** Whether the running slice is recorded (every = 1: always, once a run began). */
  private timed = false;
  /** Whether sends are recorded (every = 1). */
  private readonly flows: boolean;
  /** Slices run while tracing (recorded or skipped by sampling). */
  slicesRun = 0;
  private readonly gc: PerformanceObserver;

  constructor(sched: Scheduler, capacity: number, every: number, clockEvery: number) {
    this.sched = sched;
    this.counters = sched.counters;
    this.every = every;
    this.flows = every === 1;
    this.clockEvery = every === 1 ? clockEvery : 1;
    this.untilClock = this.clockEvery;
    this.ring = new TraceRing<Actor>(capacity);
    this.lastOut = sched.counters.messagesOut;
    this.gc = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = ((e as { detail?: unknown }).detail as { kind?: number } | null | undefined)?.kind ?? 0;
        this.ring.push(kEventGc, e.startTime, e.startTime + e.duration, kind, 0, 0, null);
      }
    });
    this.gc.observe({ entryTypes: ['gc'] });
  }

  begin(): void {
    this.burst = true;
    if (this.skip > 0) return;
    this.start = performance.now();
    this.timed = true;
    this.untilClock = this.clockEvery;
  }

  delivered(target: Actor): void {
    const cur = this.sched.current;
    if (this.flows && this.timed && cur !== null && cur !== target) this.ring.push(kEventSend, NaN, NaN, target.msgsIn, 0, 0, target);
  }

  sentOut(to: Pid): void {
    if (this.flows && this.timed && this.sched.current !== null && to.node === kLocalNode) this.ring.push(kEventSendOut, NaN, NaN, to.id, to.serial, 0, null);
  }

  slice(actor: Actor, reductions: number): void {
    this.slicesRun++;
    if (!this.timed) {
      // Sampling (every > 1): a slice between two sampled ones; the one after the last
      // skipped slice reads its own start.
      if (--this.skip === 0) this.burst = false;
      return;
    }
    const out = this.counters.messagesOut;
    const ring = this.ring;
    if (--this.untilClock === 0 || reductions >= kHeavySlice) {
      this.untilClock = this.clockEvery;
      const end = performance.now();
      ring.push(kEventSlice, this.start, end, reductions, out - this.lastOut, actor.msgsIn - actor.mlen, actor);
      this.pendingRow = -1;
      this.start = end;
    } else {
      ring.push(kEventSlice, this.start, NaN, reductions, out - this.lastOut, actor.msgsIn - actor.mlen, actor);
      this.pendingRow = ring.last;
      this.start = NaN;
    }
    this.lastOut = out;
    if (this.every > 1) {
      this.timed = false;
      this.skip = this.every - 1;
    }
  }

  idle(): void {
    this.burst = false;
    if (this.pendingRow >= 0) this.closeRun(performance.now());
  }

  /** Set the end of the run's last slice if still unread (step 2). */
  private closeRun(ms: number): void {
    const row = this.pendingRow;
    this.pendingRow = -1;
    if (this.ring.endPending(row)) this.ring.setT1(row, ms);
  }

  parked(startMs: number, endMs: number): void {
    this.burst = false;
    if (this.pendingRow >= 0) this.closeRun(startMs);
    this.ring.push(kEventParked, startMs, endMs, 0, 0, 0, null);
  }

  close(): void {
    if (this.pendingRow >= 0) this.closeRun(performance.now());
    this.gc.disconnect();
  }
}

/** Step 1. */
export function startThreadTrace(sched: Scheduler, capacity: number, every: number, clockEvery: number): void {
  if (sched.tracer !== null) throw new TraceAlreadyStartedError(`startTrace: scheduler ${sched.index} is already tracing`);
  sched.tracer = new ThreadRecorder(sched, capacity, every, clockEvery);
}

/** Step 3. */
export function stopThreadTrace(sched: Scheduler): ThreadTrace {
  const rec = sched.tracer;
  if (!(rec instanceof ThreadRecorder)) throw new TraceNotStartedError(`stopTrace: scheduler ${sched.index} is not tracing`);
  sched.tracer = null;
  rec.close();
  return collectThreadTrace(rec.ring, { scheduler: sched.index, timeOrigin: performance.timeOrigin, every: rec.every, clockEvery: rec.clockEvery, slicesRun: rec.slicesRun });
}

export type { ThreadTrace, ThreadTraceEvent } from './thread-collect.ts';
