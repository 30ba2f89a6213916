/**
 * Actor view: the per-actor and per-scheduler figures of a running node over an interval
 * (what `switchboard top` shows; Erlang's etop / observer "Processes" and "Load" tabs).
 * Built from the public Node API only (node.processes(), node.processInfo(pid),
 * node.registered() / whereis(), node.stats()), so it works on a LocalNode and on a
 * ThreadedNode alike.
 *
 * One `sample()`, in order:
 *   1. Read node.stats() and compare it with the previous report: per scheduler the
 *      busy / spin / parked milliseconds spent since (ThreadedNode's stats block), or, for
 *      a node whose scheduler runs on this thread without those fields (LocalNode), this
 *      thread's event-loop utilisation over the same interval; reductions/s; the run
 *      queue length now.
 *   2. List the processes (node.processes(): one query per scheduler thread).
 *   3. Choose at most `maxInfoPerTick` of them to ask processInfo of, in this order:
 *        a. the registered ones (up to a quarter of the budget): what an operator named;
 *        b. the rows shown last time (the top `hotRows` by reductions/s, by mailbox and by
 *           memory): so the visible table is fresh every tick;
 *        c. the rest round-robin from a cursor that moves on each tick: every process is
 *           sampled at least once every ceil(P / budget) ticks.
 *      Why a bound: processInfo on a ThreadedNode is one request over the rings to the
 *      actor's scheduler, which answers it between slices; asking for 100 000 actors every
 *      second would make the profiler the node's biggest load. The default budget (500)
 *      keeps a tick to a few milliseconds of the schedulers' time.
 *   4. For each answer: reductions/s = (reductions now - reductions at this pid's previous
 *      sample) / (time between the two samples). A pid sampled for the first time has no
 *      rate yet (null). A pid whose reductions went down (a reused pid of a new
 *      incarnation cannot happen: pids carry a serial) is taken as new.
 *   5. Forget the pids that are no longer listed (they exited).
 *   The snapshot's rows are the latest known figures of every live pid sampled at least
 *   once (`sampledAt` says how old each is); `topActors` sorts and cuts them.
 *
 * Erlang mapping: etop's `reductions` column is also a delta per interval (etop keeps the
 * previous sample); `erlang:statistics(scheduler_wall_time)` deltas give utilisation;
 * `erlang:statistics(run_queue_lengths)`; `process_info(Pid, [message_queue_len, memory,
 * reductions, registered_name, current_function])` (behaviour stands for the initial call).
 */
import type { MicrostateReport } from '../core/microstate.ts';
import { microstateShares, type MicrostateShares } from './msacc/shares.ts';
import { dirtyThreadViews, type DirtyThreadView } from './msacc/dirty-shares.ts';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { Node, NodeSchedulerStats, NodeStatsReport } from '../core/node.ts';
import { checkOptions, mustBePositiveInteger } from '../core/options.ts';
import type { Pid } from '../core/pid.ts';
import type { ProcessInfo } from '../core/types.ts';

/** What the table can be sorted by. */
export type ActorSort = 'reductions' | 'mailbox' | 'memory';
export const kActorSorts: readonly ActorSort[] = ['reductions', 'mailbox', 'memory'];

export interface ActorViewOptions {
  /** processInfo calls per sample at most (default 500). */
  readonly maxInfoPerTick?: number;
  /** Rows per sort kept fresh every tick (step 3b; default 20). */
  readonly hotRows?: number;
}

/** One actor's latest known figures. */
export interface ActorRow {
  readonly pid: Pid;
  readonly registeredName: string | null;
  readonly behaviour: string;
  readonly status: string;
  /** Reductions per second between this pid's last two samples; null after its first. */
  readonly reductionsPerSec: number | null;
  readonly reductions: number;
  readonly mailbox: number;
  /** Bytes (processInfo's estimate: mailbox + state + the record). */
  readonly memory: number;
  /** performance.now() of the sample these figures come from. */
  readonly sampledAt: number;
}

/** One scheduler over the interval. */
export interface SchedulerView {
  readonly scheduler: number;
  readonly state: string;
  /**
   * Shares of the interval (0..1): busy running actors, spinning for work, parked.
   * Null before the second sample. `source` says where they come from.
   */
  readonly busy: number | null;
  readonly spin: number | null;
  readonly parked: number | null;
  /** 'stats': the scheduler's own busy/spin/parked counters; 'event-loop': this thread's event-loop utilisation (spin is then 0). */
  readonly source: 'stats' | 'event-loop';
  readonly runQueue: number;
  readonly actors: number;
  readonly reductionsPerSec: number | null;
  /** Microstate shares over the interval (profile/msacc/shares.ts); null before the second sample or with msacc off. */
  readonly msacc: MicrostateShares | null;
}

export interface ActorViewSnapshot {
  /** performance.now() of the sample. */
  readonly at: number;
  /** Milliseconds since the previous sample (null for the first). */
  readonly intervalMs: number | null;
  readonly schedulers: readonly SchedulerView[];
  /** The dirty pool's threads over the interval (profile/msacc/dirty-shares.ts); [] before the pool's first task. */
  readonly dirty: readonly DirtyThreadView[];
  readonly runQueueTotal: number;
  /** Live processes listed (step 2). */
  readonly processCount: number;
  /** processInfo calls made by this sample (step 3). */
  readonly sampled: number;
  readonly rows: readonly ActorRow[];
}

interface PrevStats {
  readonly at: number;
  readonly report: NodeStatsReport;
  readonly elu: EventLoopUtilization;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The sampler (see the header). One per node; `sample()` calls must not overlap. */
export class ActorView {
  private readonly maxInfo: number;
  private readonly hotRows: number;
  private readonly rows = new Map<string, ActorRow>();
  private cursor = 0;
  private prev: PrevStats | null = null;
  private sampling = false;

  constructor(private readonly node: Node, opts?: ActorViewOptions) {
    checkOptions('ActorView', { maxInfoPerTick: mustBePositiveInteger, hotRows: mustBePositiveInteger }, opts);
    this.maxInfo = opts?.maxInfoPerTick ?? 500;
    this.hotRows = opts?.hotRows ?? 20;
  }

  async sample(): Promise<ActorViewSnapshot> {
    if (this.sampling) throw new Error('ActorView.sample: a sample is already running');
    this.sampling = true;
    try {
      return await this.sampleOnce();
    } finally {
      this.sampling = false;
    }
  }

  private async sampleOnce(): Promise<ActorViewSnapshot> {
    // Step 1.
    const at = performance.now();
    const report = this.node.stats();
    const elu = performance.eventLoopUtilization();
    const prev = this.prev;
    this.prev = { at, report, elu };
    const schedulers = report.schedulers.map((s, i) => this.schedulerView(s, prev, at, elu, i));
    // Step 2.
    const pids = await this.node.processes();
    const live = new Map<string, Pid>();
    for (const p of pids) live.set(p.toString(), p);
    // Step 3.
    const chosen = this.choose(pids, live);
    // Step 4.
    const infos = await Promise.all(chosen.map((p) => this.node.processInfo(p).catch(() => undefined)));
    const now = performance.now();
    for (let i = 0; i < chosen.length; i++) {
      const info = infos[i];
      const key = chosen[i]!.toString();
      if (info === undefined) {
        this.rows.delete(key);
        live.delete(key);
        continue;
      }
      this.rows.set(key, this.row(info, this.rows.get(key), now));
    }
    // Step 5.
    for (const key of [...this.rows.keys()]) if (!live.has(key)) this.rows.delete(key);
    return {
      at,
      intervalMs: prev === null ? null : at - prev.at,
      schedulers,
      dirty: dirtyThreadViews(prev?.report, report),
      runQueueTotal: schedulers.reduce((a, s) => a + s.runQueue, 0),
      processCount: live.size,
      sampled: chosen.length,
      rows: [...this.rows.values()],
    };
  }

  private schedulerView(s: NodeSchedulerStats, prev: PrevStats | null, at: number, elu: EventLoopUtilization, i: number): SchedulerView {
    const before = prev?.report.schedulers[i];
    const dt = prev === null ? 0 : (at - prev.at) / 1000;
    const redRate = before !== undefined && dt > 0 ? Math.max(0, (s.reductions - before.reductions) / dt) : null;
    const busyMs = num(s.busyMs);
    const spinMs = num(s.spinMs);
    const parkedMs = num(s.parkedMs);
    const msacc = microstateShares(before?.['msacc'] as MicrostateReport | undefined, s['msacc'] as MicrostateReport | undefined);
    const base = { scheduler: s.scheduler, state: s.state, runQueue: s.runQueue, actors: s.actors, reductionsPerSec: redRate, msacc };
    if (busyMs !== undefined && spinMs !== undefined && parkedMs !== undefined) {
      let busy: number | null = null;
      let spin: number | null = null;
      let parked: number | null = null;
      if (before !== undefined) {
        const db = busyMs - (num(before.busyMs) ?? 0);
        const ds = spinMs - (num(before.spinMs) ?? 0);
        const dp = parkedMs - (num(before.parkedMs) ?? 0);
        const total = db + ds + dp;
        if (total > 0) {
          busy = db / total;
          spin = ds / total;
          parked = dp / total;
        } else {
          // Nothing published in the interval: the scheduler is in one long state (a
          // long slice, or asleep); its state field says which.
          busy = s.state === 'running' ? 1 : 0;
          spin = 0;
          parked = 1 - busy;
        }
      }
      return { ...base, source: 'stats', busy, spin, parked };
    }
    // The scheduler runs on this thread (LocalNode): its event loop's utilisation.
    if (prev === null) return { ...base, source: 'event-loop', busy: null, spin: null, parked: null };
    const u = performance.eventLoopUtilization(elu, prev.elu).utilization;
    return { ...base, source: 'event-loop', busy: u, spin: 0, parked: 1 - u };
  }

  private choose(pids: readonly Pid[], live: Map<string, Pid>): Pid[] {
    const out: Pid[] = [];
    const taken = new Set<string>();
    const take = (p: Pid | undefined): void => {
      if (p === undefined || out.length >= this.maxInfo) return;
      const key = p.toString();
      if (taken.has(key) || !live.has(key)) return;
      taken.add(key);
      out.push(p);
    };
    // a. Registered.
    const regBudget = Math.max(1, Math.floor(this.maxInfo / 4));
    for (const name of this.node.registered()) {
      if (out.length >= regBudget) break;
      take(this.node.whereis(name));
    }
    // b. Last tick's top rows by each sort.
    const known = [...this.rows.values()];
    for (const sort of kActorSorts) for (const r of sortRows(known, sort).slice(0, this.hotRows)) take(r.pid);
    // c. Round-robin over the rest.
    const n = pids.length;
    if (n === 0) return out;
    let start = this.cursor % n;
    let i = 0;
    for (; i < n && out.length < this.maxInfo; i++) take(pids[(start + i) % n]);
    this.cursor = (start + i) % n;
    return out;
  }

  private row(info: ProcessInfo, before: ActorRow | undefined, now: number): ActorRow {
    let rate: number | null = null;
    if (before !== undefined && info.reductions >= before.reductions && now > before.sampledAt) {
      rate = (info.reductions - before.reductions) / ((now - before.sampledAt) / 1000);
    }
    return {
      pid: info.pid,
      registeredName: info.registeredName,
      behaviour: info.behaviour,
      status: info.status,
      reductionsPerSec: rate,
      reductions: info.reductions,
      mailbox: info.messageQueueLen,
      memory: info.memory,
      sampledAt: now,
    };
  }
}

/** Rows sorted by `sort`, largest first (a pid without a rate yet counts as 0/s); ties in pid order (node, id, serial as numbers). */
export function sortRows(rows: readonly ActorRow[], sort: ActorSort): ActorRow[] {
  const key = (r: ActorRow): number => (sort === 'reductions' ? (r.reductionsPerSec ?? 0) : sort === 'mailbox' ? r.mailbox : r.memory);
  return [...rows].sort((a, b) => key(b) - key(a) || a.pid.node - b.pid.node || a.pid.id - b.pid.id || a.pid.serial - b.pid.serial);
}

/** The first `limit` rows of the snapshot by `sort`. */
export function topActors(snap: ActorViewSnapshot, sort: ActorSort, limit: number): ActorRow[] {
  return sortRows(snap.rows, sort).slice(0, limit);
}
