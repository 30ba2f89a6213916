/**
 * ObserverFrame: one sample of a node as the observer page gets it (JSON over SSE), and
 * how it is made from an ActorView snapshot and node.stats().
 *
 * Build, in order:
 *   1. Schedulers: the ActorView's per-scheduler view (utilisation shares, run queue,
 *      reductions/s) plus `fields`: every finite number of that scheduler's node.stats()
 *      entry, nested objects flattened one level as `outer.inner`. The page draws the
 *      fields it knows and lists the others generically, so counters added to node.stats()
 *      later (microstate accounting) appear without a change here. Times (names ending in
 *      `Ms`) inside a nested object are drawn as a microstate split when present.
 *      The dirty pool's threads (ActorView's `dirty`: slot, thread, microstate shares).
 *   2. Actors: every row if there are at most `actorRows`, else the union of the top
 *      ceil(actorRows / 3) by reductions/s, by mailbox and by memory; pids as text.
 *   3. Nodes: the visible and hidden nodes connected (null on a node without a name), and
 *      the gateway's and distribution's numeric counters, flattened as in 1.
 * Everything is plain data, so a frame built on a remote node (the profile agent) crosses
 * the distribution link unchanged.
 * Erlang mapping: observer's "Load Charts" (scheduler utilisation, run queues) and
 * "Processes" tab, one refresh.
 */
import type { Node, NodeStatsReport } from '../../core/node.ts';
import { sortRows, type ActorRow, type ActorViewSnapshot, type SchedulerView } from '../actor-view.ts';
import type { DirtyThreadView } from '../msacc/dirty-shares.ts';

export interface SchedulerFrame extends Omit<SchedulerView, never> {
  readonly fields: Readonly<Record<string, number>>;
}

export interface ActorFrameRow {
  readonly pid: string;
  readonly name: string | null;
  readonly behaviour: string;
  readonly status: string;
  readonly reductionsPerSec: number | null;
  readonly reductions: number;
  readonly mailbox: number;
  readonly memory: number;
}

export interface ObserverFrame {
  /** Sample number of this observer (1, 2, ...). */
  readonly seq: number;
  /** Date.now() on the node when sampled. */
  readonly wallTime: number;
  readonly node: string;
  readonly intervalMs: number | null;
  readonly schedulers: readonly SchedulerFrame[];
  /** The dirty pool's threads over the interval ([] before its first task). */
  readonly dirty: readonly DirtyThreadView[];
  readonly runQueueTotal: number;
  readonly processCount: number;
  readonly sampled: number;
  readonly actors: readonly ActorFrameRow[];
  readonly nodes: { readonly visible: readonly string[]; readonly hidden: readonly string[] } | null;
  readonly gateway: Readonly<Record<string, number>>;
  readonly dist: Readonly<Record<string, number>> | null;
}

/** Finite numbers of `o`, nested objects flattened one level (step 1). */
export function numericFields(o: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof o !== 'object' || o === null) return out;
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
    else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v)) if (typeof v2 === 'number' && Number.isFinite(v2)) out[`${k}.${k2}`] = v2;
    }
  }
  return out;
}

function actorRow(r: ActorRow): ActorFrameRow {
  return {
    pid: r.pid.toString(),
    name: r.registeredName,
    behaviour: r.behaviour,
    status: r.status,
    reductionsPerSec: r.reductionsPerSec,
    reductions: r.reductions,
    mailbox: r.mailbox,
    memory: r.memory,
  };
}

/** Step 2. */
export function frameActors(rows: readonly ActorRow[], limit: number): ActorFrameRow[] {
  if (rows.length <= limit) return sortRows(rows, 'reductions').map(actorRow);
  const each = Math.ceil(limit / 3);
  const picked = new Map<string, ActorRow>();
  for (const sort of ['reductions', 'mailbox', 'memory'] as const) for (const r of sortRows(rows, sort).slice(0, each)) picked.set(r.pid.toString(), r);
  return sortRows([...picked.values()], 'reductions').map(actorRow);
}

/** Steps 1-3 (`seq` is the caller's). */
export function buildFrame(node: Node, seq: number, snap: ActorViewSnapshot, stats: NodeStatsReport, actorRows: number): ObserverFrame {
  const named = node.name !== 'nonode@nohost';
  return {
    seq,
    wallTime: Date.now(),
    node: node.name,
    intervalMs: snap.intervalMs,
    schedulers: snap.schedulers.map((s, i) => ({ ...s, fields: numericFields(stats.schedulers[i]) })),
    dirty: snap.dirty ?? [],
    runQueueTotal: snap.runQueueTotal,
    processCount: snap.processCount,
    sampled: snap.sampled,
    actors: frameActors(snap.rows, actorRows),
    nodes: named ? { visible: node.nodes('visible'), hidden: node.nodes('hidden') } : null,
    gateway: numericFields(stats.gateway),
    dist: stats.dist === undefined || stats.dist === null ? null : numericFields(stats.dist),
  };
}
