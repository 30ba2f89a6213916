/**
 * Chrome Trace Event Format: turns the ThreadTraces of one node's schedulers into the
 * JSON object that Perfetto (ui.perfetto.dev) and chrome://tracing open.
 *
 * Layout:
 *   1. One process per node: pid 1, named by an 'M' process_name event (the node's name).
 *   2. One thread per scheduler: tid = scheduler index, named by an 'M' thread_name event
 *      (`scheduler <k>`), ordered by an 'M' thread_sort_index event.
 *   3. A slice: an 'X' complete event, name = the actor's registered name, else its
 *      behaviour's export name, else its pid; cat 'slice'; args { pid, reductions, sends },
 *      plus estimated: true when its times were interpolated (thread-collect.ts, step 1).
 *   4. A parked period: an 'X' event named 'parked', cat 'parked'.
 *   5. A GC: an 'X' event named `gc <kind>` (minor, major, incremental, weakcb), cat 'gc'.
 *   6. Times: each thread's performance.now() is converted to epoch microseconds
 *      ((timeOrigin + now) * 1000), so the threads' clocks line up; dur in microseconds.
 *   7. After every thread's events: the sends as flow events ('s' / 'f', flow-match.ts).
 * Erlang mapping: none in OTP (ttb writes its own format); this is the format Chrome's and
 * Perfetto's viewers read.
 */
import { flowEvents, type PlacedSlice } from './flow-match.ts';
import type { ThreadTrace } from './thread-collect.ts';
import { kEventGc, kEventParked, kEventSlice } from './trace-ring.ts';

/** One Trace Event Format event (the fields this module emits). */
export interface TraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'M' | 's' | 'f';
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly cat?: string;
  /** Flow events: the id an 's' and its 'f' share. */
  readonly id?: number;
  /** Flow finish: 'e' binds it to the enclosing slice. */
  readonly bp?: 'e';
  readonly args?: Readonly<Record<string, unknown>>;
}

export interface ChromeTrace {
  readonly traceEvents: TraceEvent[];
  readonly displayTimeUnit: 'ms';
  /**
   * Per scheduler: events kept, rows in the ring, ring rows overwritten because its ring was full (slices,
   * sends, parks, GCs), the sampling, slices left out (unplaceable times); the flows drawn.
   */
  readonly metadata: { readonly node: string; readonly schedulers: { readonly scheduler: number; readonly kept: number; readonly rows: number; readonly dropped: number; readonly capacity: number; readonly sampleSlices: number; readonly clockEvery: number; readonly slicesRun: number; readonly unresolved: number }[]; readonly flows: number };
}

const kNodePid = 1;

function gcName(kind: number): string {
  // node:perf_hooks constants NODE_PERFORMANCE_GC_* (bit flags).
  if ((kind & 4) !== 0) return 'gc major';
  if ((kind & 1) !== 0) return 'gc minor';
  if ((kind & 8) !== 0) return 'gc incremental';
  if ((kind & 16) !== 0) return 'gc weakcb';
  return 'gc';
}

/** Steps 1-7. */
export function toChromeTrace(nodeName: string, threads: readonly ThreadTrace[]): ChromeTrace {
  const ev: TraceEvent[] = [];
  const placed: (PlacedSlice | undefined)[][] = [];
  ev.push({ name: 'process_name', ph: 'M', pid: kNodePid, tid: 0, ts: 0, args: { name: nodeName } });
  for (const t of threads) {
    const tid = t.scheduler;
    ev.push({ name: 'thread_name', ph: 'M', pid: kNodePid, tid, ts: 0, args: { name: `scheduler ${tid}` } });
    ev.push({ name: 'thread_sort_index', ph: 'M', pid: kNodePid, tid, ts: 0, args: { sort_index: tid } });
    const us = (ms: number): number => (t.timeOrigin + ms) * 1000;
    const p: (PlacedSlice | undefined)[] = [];
    placed.push(p);
    for (const [kind, start, end, v, v2, label, pid, estimated] of t.events) {
      const ts = us(start);
      const dur = Math.max(0, us(end) - ts);
      if (kind === kEventSlice) {
        const args = estimated === 1 ? { pid: t.strings[pid]!, reductions: v, sends: v2, estimated: true } : { pid: t.strings[pid]!, reductions: v, sends: v2 };
        ev.push({ name: t.strings[label]!, ph: 'X', cat: 'slice', pid: kNodePid, tid, ts, dur, args });
        p.push({ ts, dur });
        continue;
      }
      p.push(undefined);
      if (kind === kEventParked) ev.push({ name: 'parked', ph: 'X', cat: 'parked', pid: kNodePid, tid, ts, dur });
      else if (kind === kEventGc) ev.push({ name: gcName(v), ph: 'X', cat: 'gc', pid: kNodePid, tid, ts, dur, args: { kind: v } });
    }
  }
  const flows = flowEvents(kNodePid, threads, placed);
  for (const f of flows) ev.push(f);
  return {
    traceEvents: ev,
    displayTimeUnit: 'ms',
    metadata: { node: nodeName, schedulers: threads.map((t) => ({ scheduler: t.scheduler, kept: t.events.length, rows: t.rows, dropped: t.dropped, capacity: t.capacity, sampleSlices: t.every, clockEvery: t.clockEvery, slicesRun: t.slicesRun, unresolved: t.unresolved })), flows: flows.length / 2 },
  };
}
