/**
 * Flow events: the arrows from the slice that sent a message to the slice that handled
 * it, as Trace Event Format flow events ('s' start, 'f' finish, matched by cat + name +
 * id), which Perfetto and chrome://tracing draw between slices, across threads too.
 *
 *   thread 0  [== A ==]-- s                 s: ts inside A's slice (its middle, or halfway
 *                        \                     to B's start if that is sooner); it binds to
 *                                              the enclosing slice, A's
 *   thread 1              `->[== B ==]      f: ts = the middle of B's slice, bp 'e' (it
 *                           f                  binds to the enclosing slice, B's)
 *
 * Protocol (on the embedding thread, after every thread's ThreadTrace came back):
 *   1. Flows on one thread (ThreadTrace.flows, matched on that thread by message counts,
 *      thread-collect.ts): one s/f pair each.
 *   2. Sends to another thread (ThreadTrace.flowsOut: sending slice, target pid): the
 *      receiving slice is the first slice of that pid on another thread that starts after
 *      the sending slice started (not ended: interpolated ends, thread-collect.ts step 1,
 *      may be late by a little, and a worker hands its outbound messages to the rings
 *      only after its slices). This is a match by time: with a backlog in the target's
 *      mailbox, or a slice of the target that started while the sender's ran, the arrow
 *      ends on the first slice the target ran after the send began, which may not be the
 *      one that took that message. No such slice in the trace: no flow.
 *   3. Ids: 1, 2, ... in that order; name 'send', cat 'flow'.
 * Erlang mapping: `send` / `'receive'` trace events of erlang:trace, drawn as one arrow.
 */
import type { TraceEvent } from './chrome-trace.ts';
import type { ThreadTrace } from './thread-collect.ts';

/** A slice as placed on the trace's clock: epoch µs start and duration. */
export interface PlacedSlice {
  readonly ts: number;
  readonly dur: number;
}

/** Per thread: the placed slice of each event index (undefined: not a slice). */
export type Placement = readonly (PlacedSlice | undefined)[];

/** Steps 1-3: the flow events of a trace whose process id is `pid`. */
export function flowEvents(pid: number, threads: readonly ThreadTrace[], placed: readonly Placement[]): TraceEvent[] {
  const out: TraceEvent[] = [];
  let id = 0;
  const pair = (fromTid: number, from: PlacedSlice, toTid: number, to: PlacedSlice): void => {
    id++;
    // Inside the sending slice and before the 'f' (the receiving slice starts after the
    // sending one did, step 2, so halfway to it is both).
    out.push({ name: 'send', cat: 'flow', ph: 's', id, pid, tid: fromTid, ts: from.ts + Math.max(0, Math.min(from.dur, to.ts - from.ts)) / 2 });
    out.push({ name: 'send', cat: 'flow', ph: 'f', bp: 'e', id, pid, tid: toTid, ts: to.ts + to.dur / 2 });
  };
  // Step 1.
  threads.forEach((t, k) => {
    const p = placed[k]!;
    for (let i = 0; i < t.flows.length; i += 2) pair(t.scheduler, p[t.flows[i]!]!, t.scheduler, p[t.flows[i + 1]!]!);
  });
  // Step 2: each thread's slices by pid, in time order (a thread's slices are).
  const byPid = threads.map((t, k) => {
    const m = new Map<string, PlacedSlice[]>();
    t.events.forEach((e, i) => {
      const s = placed[k]![i];
      if (s === undefined) return;
      const key = t.strings[e[6]]!;
      let l = m.get(key);
      if (l === undefined) m.set(key, (l = []));
      l.push(s);
    });
    return m;
  });
  threads.forEach((t, k) => {
    const p = placed[k]!;
    for (let i = 0; i < t.flowsOut.length; i += 2) {
      const from = p[t.flowsOut[i]!]!;
      const target = t.strings[t.flowsOut[i + 1]!]!;
      const after = from.ts;
      let best: PlacedSlice | undefined;
      let bestTid = -1;
      threads.forEach((u, j) => {
        if (j === k) return;
        const l = byPid[j]!.get(target);
        if (l === undefined) return;
        const s = firstAfter(l, after);
        if (s !== undefined && (best === undefined || s.ts < best.ts)) {
          best = s;
          bestTid = u.scheduler;
        }
      });
      if (best !== undefined) pair(t.scheduler, from, bestTid, best);
    }
  });
  return out;
}

/** The first slice of a time-ordered list starting after `ts` (binary search). */
function firstAfter(l: readonly PlacedSlice[], ts: number): PlacedSlice | undefined {
  let lo = 0;
  let hi = l.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (l[mid]!.ts <= ts) lo = mid + 1;
    else hi = mid;
  }
  return l[lo];
}
