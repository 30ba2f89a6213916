/**
 * collectThreadTrace: turns one thread's TraceRing rows (trace-ring.ts) into the
 * ThreadTrace that travels to the embedding thread: plain numbers and strings, times still
 * in the recording thread's performance.now() ms (with its timeOrigin, so the caller can
 * put every thread on one epoch clock).
 *
 * Protocol (one pass over the rows, oldest first):
 *   1. Slice times. A run of slices is bounded by clock reads: the run's first slice has
 *      its start, and every slice whose end was read closes a group (the slices since the
 *      last read). A group of one has exact times; a longer group's span (from the end of
 *      the slice before it, or the run's start, to the end read) is shared by its slices in
 *      proportion to their reductions (at least 1 each): those slices are marked
 *      estimated. A group whose start was overwritten in the ring, or which is followed by
 *      a new run before its end was read, cannot be placed: its slices are left out and
 *      counted in `unresolved`.
 *   2. Flows on this thread. 'send' rows come just before the row of the slice that sent
 *      them: at that slice row, each waits on its target actor's queue with the target's
 *      msgsIn after the delivery (seq). At each slice row of an actor, the waiting sends
 *      with seq <= its taken count (messages taken out of its mailbox after the slice) were
 *      handled by that slice: one flow (sending slice -> this slice) each, in FIFO order;
 *      a message the sending slice handled itself (a self-send taken in the same slice)
 *      gives no flow. Exact for handler-style actors (FIFO mailboxes); for process-style
 *      actors (selective receive takes messages out of order) the count says when as many
 *      messages were taken, not which ones.
 *   3. Sends to other threads ('sendOut' rows): kept as (sending slice, target pid) for
 *      flow-match.ts, which finds the receiving slice on the target's thread.
 *   4. Sends still waiting at the end (never handled, or their target's later slices were
 *      not recorded) give no flow; so does a flow whose slice was left out in step 1.
 * Erlang mapping: what `ttb:format` does with a node's raw trace file, before merging.
 */
import type { Actor } from '../../core/actor.ts';
import { Pid } from '../../core/pid.ts';
import { kLocalNode } from '../../core/router.ts';
import { kEventSend, kEventSendOut, kEventSlice, type TraceRing } from './trace-ring.ts';

/** One event: [kind, startMs, endMs, value, value2, label index, pid index, estimated 0|1]. */
export type ThreadTraceEvent = [number, number, number, number, number, number, number, number];

/** What one scheduler hands back. */
export interface ThreadTrace {
  readonly scheduler: number;
  /** performance.timeOrigin of the recording thread (epoch ms). */
  readonly timeOrigin: number;
  readonly capacity: number;
  /** Rows in the ring when the trace stopped (at most capacity). */
  readonly rows: number;
  /** Rows overwritten because the ring was full. */
  readonly dropped: number;
  /** One slice in `every` was recorded (1: all). */
  readonly every: number;
  /** The clock was read after every Nth slice of a run (1: each slice's times are exact). */
  readonly clockEvery: number;
  /** Slices the scheduler ran while tracing (recorded or not). */
  readonly slicesRun: number;
  /** Slices left out because their times could not be placed (step 1). */
  readonly unresolved: number;
  /** Distinct strings the events point into (actor labels and pids). */
  readonly strings: string[];
  readonly events: ThreadTraceEvent[];
  /** Flows on this thread, flattened pairs of event indexes: sending slice, receiving slice. */
  readonly flows: number[];
  /** Sends to other threads, flattened pairs: sending slice's event index, target pid (string index). */
  readonly flowsOut: number[];
}

export interface ThreadInfo {
  readonly scheduler: number;
  readonly timeOrigin: number;
  readonly every: number;
  readonly clockEvery: number;
  readonly slicesRun: number;
}

/** An actor's name in the trace: its registered name, else its behaviour, else its pid. */
function labelOf(a: Actor): string {
  const reg = a.ext?.name;
  if (reg !== null && reg !== undefined) return reg;
  const b = a.behaviour;
  if (b !== null && b.module !== null) return b.exportName ?? b.label;
  return a.pid.toString();
}

/** FIFO of waiting sends of one target: flattened [seq, sending slice index], head at h. */
interface Waiting { q: number[]; h: number }

/** Steps 1-4. */
export function collectThreadTrace(ring: TraceRing<Actor>, info: ThreadInfo): ThreadTrace {
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
  const weights: number[] = [];
  const dead: boolean[] = [];
  let group: number[] = [];
  let groupStart = NaN;
  let prevEnd = NaN;
  let unresolved = 0;
  const drop = (): void => {
    for (const i of group) dead[i] = true;
    unresolved += group.length;
    group = [];
  };
  const sendSeq: number[] = [];
  const sendTarget: Actor[] = [];
  const outTarget: number[] = [];
  const waiting = new Map<Actor, Waiting>();
  const flows: number[] = [];
  const flowsOut: number[] = [];

  ring.forEach((kind, t0, t1, a, b, c, ref) => {
    if (kind === kEventSend) {
      sendSeq.push(a);
      sendTarget.push(ref!);
      return;
    }
    if (kind === kEventSendOut) {
      outTarget.push(intern(new Pid(kLocalNode, a, b).toString()));
      return;
    }
    if (kind !== kEventSlice) {
      events.push([kind, t0, t1, a, b, -1, -1, 0]);
      weights.push(0);
      dead.push(false);
      return;
    }
    // Step 1.
    if (t0 === t0) {
      if (group.length > 0) drop();
      groupStart = t0;
    } else if (group.length === 0) groupStart = prevEnd;
    const idx = events.length;
    const actor = ref!;
    events.push([kEventSlice, NaN, NaN, a, b, intern(labelOf(actor)), intern(actor.pid.toString()), 0]);
    weights.push(Math.max(1, a));
    dead.push(false);
    group.push(idx);
    if (t1 === t1) {
      if (groupStart !== groupStart) drop();
      else place(events, weights, group, groupStart, t1);
      group = [];
      prevEnd = t1;
    }
    // Steps 2-3.
    for (let k = 0; k < sendSeq.length; k++) {
      const target = sendTarget[k]!;
      let w = waiting.get(target);
      if (w === undefined) waiting.set(target, (w = { q: [], h: 0 }));
      w.q.push(sendSeq[k]!, idx);
    }
    sendSeq.length = 0;
    sendTarget.length = 0;
    for (const t of outTarget) flowsOut.push(idx, t);
    outTarget.length = 0;
    const w = waiting.get(actor);
    if (w !== undefined) {
      while (w.h < w.q.length && w.q[w.h]! <= c) {
        const from = w.q[w.h + 1]!;
        if (from !== idx) flows.push(from, idx);
        w.h += 2;
      }
      if (w.h === w.q.length) waiting.delete(actor);
    }
  });
  if (group.length > 0) drop();

  // Step 4: leave out the slices that could not be placed, and the flows that touch them.
  const at: number[] = [];
  const kept: ThreadTraceEvent[] = [];
  for (let i = 0; i < events.length; i++) {
    at.push(dead[i] ? -1 : kept.length);
    if (!dead[i]) kept.push(events[i]!);
  }
  const keptFlows: number[] = [];
  for (let i = 0; i < flows.length; i += 2) {
    const f = at[flows[i]!]!;
    const t = at[flows[i + 1]!]!;
    if (f >= 0 && t >= 0) keptFlows.push(f, t);
  }
  const keptOut: number[] = [];
  for (let i = 0; i < flowsOut.length; i += 2) {
    const f = at[flowsOut[i]!]!;
    if (f >= 0) keptOut.push(f, flowsOut[i + 1]!);
  }
  return {
    scheduler: info.scheduler, timeOrigin: info.timeOrigin, capacity: ring.capacity, rows: ring.size, dropped: ring.dropped,
    every: info.every, clockEvery: info.clockEvery, slicesRun: info.slicesRun, unresolved,
    strings, events: kept, flows: keptFlows, flowsOut: keptOut,
  };
}

/** Step 1: share [start, end] among the group's slices by weight. */
function place(events: ThreadTraceEvent[], weights: number[], group: number[], start: number, end: number): void {
  let total = 0;
  for (const i of group) total += weights[i]!;
  const span = Math.max(0, end - start);
  const estimated = group.length > 1 ? 1 : 0;
  let t = start;
  let acc = 0;
  for (let k = 0; k < group.length; k++) {
    const e = events[group[k]!]!;
    acc += weights[group[k]!]!;
    const next = k === group.length - 1 ? Math.max(start, end) : start + (span * acc) / total;
    e[1] = t;
    e[2] = next;
    e[7] = estimated;
    t = next;
  }
}
