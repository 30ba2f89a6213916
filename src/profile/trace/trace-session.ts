/**
 * startTrace / stopTrace: record a timeline trace of every scheduler of a node.
 *
 *   await startTrace(node, { bufferEvents, sampleSlices, clockEvery })   // defaults 65536 rows per scheduler, 1, 16
 *   ... the node runs ...
 *   const trace = await stopTrace(node)        // Chrome Trace Event Format object
 *   writeFileSync('trace.json', JSON.stringify(trace))
 *
 * Protocol:
 *   1. Check the options (core/options.ts): `bufferEvents` an integer 16..10_000_000,
 *      `sampleSlices` an integer 1..1_000_000 (record one slice in N; default 1),
 *      `clockEvery` an integer 1..1024 (with every slice recorded, read the clock after every
 *      Nth slice of a run and interpolate the times of the others by reductions; 1: exact
 *      times for each slice, at one clock read per slice; default 16, thread-recorder.ts).
 *   2. node.applyOnSchedulers(traceStartOnScheduler, [bufferEvents, sampleSlices, clockEvery]): on a ThreadedNode each
 *      scheduler thread sets its own tracer (thread-recorder.ts); on a LocalNode the one
 *      scheduler on this thread. A scheduler already tracing rejects with
 *      TraceAlreadyStartedError (the others started: stopTrace clears them).
 *   3. stopTrace: node.applyOnSchedulers(traceStopOnScheduler) collects each thread's events
 *      and clears its tracer; chrome-trace.ts turns them into one trace (epoch µs clock).
 * Works with the node kinds that have applyOnSchedulers (LocalNode, ThreadedNode).
 * Erlang mapping: `ttb:tracer(Nodes)` + `ttb:p(all, [running, timestamp])` to start,
 * `ttb:stop([format])` to collect and format.
 */
import { checkOptions } from '../../core/options.ts';
import type { Node } from '../../core/node.ts';
import { toChromeTrace, type ChromeTrace } from './chrome-trace.ts';
import type { Scheduler } from '../../core/scheduler.ts';
import { startThreadTrace, stopThreadTrace, type ThreadTrace } from './thread-recorder.ts';

export interface TraceOptions {
  /** Ring capacity per scheduler thread, in events (default 65536; oldest overwritten). */
  readonly bufferEvents?: number;
  /** Record one slice in N (default 1: every slice); parked and GC events are all kept. */
  readonly sampleSlices?: number;
  /** With every slice recorded: read the clock after every Nth slice (default 16; 1: every slice, exact times). */
  readonly clockEvery?: number;
}

export const kDefaultBufferEvents = 65536;
export const kDefaultClockEvery = 16;
// applyOnSchedulers names functions of this module (as the OTP code server does), so the
// reference holds in the TypeScript source and in a bundled build alike.
const self = import.meta.url;

/** Run on each scheduler's thread (step 2). */
export function traceStartOnScheduler(sched: Scheduler, capacity: number, every: number, clockEvery: number): void {
  startThreadTrace(sched, capacity, every, clockEvery);
}

/** Run on each scheduler's thread (step 3). */
export function traceStopOnScheduler(sched: Scheduler): ThreadTrace {
  return stopThreadTrace(sched);
}

/** Steps 1-2. */
export async function startTrace(node: Node, opts?: TraceOptions): Promise<void> {
  checkOptions('startTrace', {
    bufferEvents: (v) => (Number.isInteger(v) && (v as number) >= 16 && (v as number) <= 10_000_000 ? null : 'must be an integer 16..10000000'),
    sampleSlices: (v) => (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 1_000_000 ? null : 'must be an integer 1..1000000'),
    clockEvery: (v) => (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 1024 ? null : 'must be an integer 1..1024'),
  }, opts);
  const capacity = opts?.bufferEvents ?? kDefaultBufferEvents;
  await node.applyOnSchedulers({ module: self, export: 'traceStartOnScheduler' }, [capacity, opts?.sampleSlices ?? 1, opts?.clockEvery ?? kDefaultClockEvery]);
}

/** Step 3. */
export async function stopTrace(node: Node): Promise<ChromeTrace> {
  const threads = (await node.applyOnSchedulers({ module: self, export: 'traceStopOnScheduler' })) as ThreadTrace[];
  return toChromeTrace(node.name, threads);
}
