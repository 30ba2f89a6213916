/**
 * Worker host: the code of one scheduler thread. It owns one core Scheduler
 * (`{ index: k, stride: E }`), pinned to this worker for the node's life, and is its
 * SchedulerHost: its transport to the other endpoints of the node (worker-transport.ts:
 * everything addressed to a pid of another endpoint becomes a ring record, records.ts),
 * slot reservation and spawn placement (placement.ts), guests and forwarding (migration.ts),
 * the dirty pool (dirty-pool.ts).
 *
 * Its parts:
 *   worker-host.ts          this class: setup, the Endpoint hooks, placement, kills, stop
 *   worker-loop.ts          the loop: drain, run slices, flush, spin, park; stats publishing
 *   scheduler-endpoint.ts   the base it shares with the gateway: emitTo, emitSignal
 *   worker-records.ts       inbound records -> the scheduler's inbound API; peer gone
 *   signal-records.ts       (shared with the gateway) MSG and signal records -> inbound API
 *   worker-control.ts       CONTROL requests from the gateway (spawn, info, register, apply, stop)
 *   worker-transport.ts     outbound: the scheduler's Transport for other endpoints
 *   worker-backpressure.ts  senders held while a ring overflows
 *   dist-forward.ts         a named node: ops on other nodes' pids go to the gateway's
 *                           Distribution (DISTOUT), what they do comes back (DISTIN)
 *
 * Signals across threads follow the core's local semantics (core/signals.ts): links are
 * recorded at once on the linking side and an exit signal 'noproc' comes back if the
 * target is gone; monitors likewise answer DOWN 'noproc'; an exit signal through a link is
 * honoured only while the link exists (an unlink may have crossed it); DOWN after a
 * demonitor is dropped. Per-pair order holds because each ordered pair of threads has one
 * FIFO ring and each thread handles a ring's records in order.
 *
 * Live migration (migration.ts, `balance: 'migrate'`): records for an actor of this
 * scheduler that moved away are forwarded to its host from the miss path of the record
 * handlers and of the outbound (`emitTo`); guests (actors of other schedulers running
 * here) are visible to lookups while ring records are handled (`guestAccess` > 0).
 *
 * Kill of a stuck actor: an untrappable 'kill' is also announced in the target scheduler's
 * kill block (kill-flags.ts); `reductions.poll` takes it from the slow path of instrumented
 * code, so even `while (true) {}` on this thread ends with 'killed'.
 */

import { parentPort } from 'node:worker_threads';
import type { DistLargeEnd } from './dist-large-port.ts';
import { Scheduler, kExiting, type SchedulerHost, type SchedulerOptions, type SpawnOptions } from '../core/scheduler.ts';
import { Pid, type Ref } from '../core/pid.ts';
import { reductions } from '../core/reductions.ts';
import { isReservedSlot } from '../core/process-table.ts';
import { InvalidOptionError, NotRunningError } from '../core/errors.ts';
import type { OutLink } from './endpoint.ts';
import { SchedulerEndpoint } from './scheduler-endpoint.ts';
import { kRecMsg, kOpOk } from './records.ts';
import { computeLayout, statsOffset, kCtlAliveBase, type LayoutParams, type NodeLayout } from './layout.ts';
import { SharedRegistry } from './shared-registry.ts';
import { KillFlags } from './kill-flags.ts';
import { SpawnBalancer } from './balancer.ts';
import { SpawnStealing } from './stealing.ts';
import { portableRef, reserveSlot } from './placement.ts';
import { LiveMigration, type BalanceMode, type MigrationPort } from './migration.ts';
import { StatsWriter, kStState, kStateRunning, kStateStopped } from './stats.ts';
import { ThreadTransport } from './worker-transport.ts';
import { DistForward } from './dist-forward.ts';
import { nodeTable } from '../core/node-table.ts';
import { HeldSenders } from './worker-backpressure.ts';
import { WorkerLoop } from './worker-loop.ts';
import { onSignal, keepEarly, runDeferred, guestsDown, type Deferred } from './worker-records.ts';
import { reply } from './worker-control.ts';

export { errorBody } from './worker-control.ts';

export interface WorkerSetup {
  readonly sab: SharedArrayBuffer;
  readonly params: LayoutParams;
  readonly index: number;
  readonly scheduler: Partial<SchedulerOptions>;
  readonly spinUs: number;
  readonly quantumMs: number;
  readonly overflowBytes: number;
  /**
   * 'steal' (default): spawns stay local, idle schedulers steal new spawns (stealing.ts);
   * 'migrate': that, and live migration of running actors (migration.ts); 'spawn':
   * load-estimate sharing at spawn time only (balancer.ts).
   */
  readonly balance?: BalanceMode;
  /** A named node's identity (this thread's node table is named so); null: not distributed. */
  readonly node?: { readonly name: string; readonly creation: number; readonly large?: DistLargeEnd } | null;
}

export class WorkerHost extends SchedulerEndpoint {
  readonly sched: Scheduler;
  readonly registry: SharedRegistry;
  /** @internal The parts (see the header). */
  readonly transport: ThreadTransport;
  /** @internal */ readonly held: HeldSenders;
  /** @internal */ readonly loop: WorkerLoop;
  /** @internal */ readonly stats: StatsWriter;
  /** @internal */ readonly gateway: number;
  /** @internal */ stopped = false;
  /** @internal Set while handling inbound records: emits never block then. */
  inDrain = 0;
  /** @internal Set while waiting for ring space: control records are deferred, not handled. */
  deferControl = false;
  /** @internal Records deferred meanwhile, and the sources that have one (their later records wait too). */
  readonly deferred: Deferred[] = [];
  /** @internal */ readonly deferring: boolean[] = [];
  /** @internal While > 0 guests are visible to the scheduler's lookups (SchedulerHost.guestsVisible). */
  guestAccess = 0;
  /** @internal Shared kill announcements (kill-flags.ts): read by `poll`, written by `exit(.., 'kill')`. */
  readonly kills: KillFlags;
  /** @internal Where a default spawn goes: stealing (stealing.ts) or sharing (balancer.ts). */
  readonly balancer: SpawnBalancer | SpawnStealing;
  /** @internal The same object when spawns are stolen ('steal', 'migrate'); null with 'spawn'. */
  readonly stealing: SpawnStealing | null;
  /** @internal */ remoteSpawns = 0;
  /** @internal Refs `ctx.dirty` returned, by number, until their result comes back (dirty-pool.ts). */
  readonly dirtyRefs = new Map<number, Ref>();
  /** @internal Records for reserved slots whose SPAWN has not arrived yet (placement.ts, step 3), by id. */
  readonly early = new Map<number, Deferred[]>();
  /** @internal Live migration (migration.ts), with `balance: 'migrate'`; null otherwise. */
  readonly migr: LiveMigration | null;
  /** @internal Distribution through the gateway (dist-forward.ts), on a named node; else null. */
  readonly distForward: DistForward | null;
  /** @internal Work to run after the current slice, as if it had arrived as a record. */
  readonly pendingLocal: (() => void)[] = [];
  private readonly keepAlive = (): void => {};

  constructor(setup: WorkerSetup) {
    const layout: NodeLayout = computeLayout(setup.params);
    super(setup.sab, layout, setup.index, setup.overflowBytes);
    this.gateway = layout.gateway;
    this.registry = new SharedRegistry(setup.sab, layout.registryOffset, layout.maxNames, setup.index, layout.endpoints, {
      makePid: (id, serial) => this.internPid(id, serial),
      onForeignRemove: (name, pid) => this.transport.nameCleared(name, pid),
    });
    this.transport = new ThreadTransport(this);
    const named = setup.node ?? null;
    if (named !== null) nodeTable.setLocal(named.name, named.creation);
    this.distForward = named === null ? null : new DistForward(this, named.name, named.large ?? null);
    const migrate = setup.balance === 'migrate';
    const host: SchedulerHost = {
      thread: this.transport,
      movedOut: migrate ? { has: (id) => this.migr!.isMoved(id) } : null,
      dirty: this.sendDirty,
      workArrived: () => this.kick(),
      place: this.place,
      // Fresh slots come from the node-wide counter other threads reserve from (placement.ts).
      nextSlot: () => reserveSlot(this.control, layout, setup.index),
      guestsVisible: () => this.guestAccess > 0,
      guestExited: (pid) => this.migr?.guestExited(pid),
      node: this.distForward,
      dist: this.distForward?.hooks ?? null,
    };
    this.sched = new Scheduler({ ...setup.scheduler, index: setup.index, stride: layout.endpoints }, { registry: this.registry, host });
    this.stats = new StatsWriter(setup.sab, statsOffset(layout, setup.index));
    this.kills = new KillFlags(setup.sab, layout, setup.index);
    const isUp = (k: number): boolean => this.isAlive(k);
    this.stealing = setup.balance === 'spawn' ? null : new SpawnStealing(this.control, layout, setup.index, isUp);
    this.balancer = this.stealing ?? new SpawnBalancer(setup.sab, layout, setup.index, isUp);
    this.held = new HeldSenders(this);
    this.loop = new WorkerLoop(this, setup.spinUs / 1000, setup.quantumMs);
    // Instrumented code calls this from ReductionCounter.slow() (every kGrant reductions of
    // overrun): a kill announced by another thread ends even a `while (true) {}`.
    reductions.poll = this.pollKills;
    this.migr = migrate ? new LiveMigration(this.migrationPort(), 'migrate') : null;
  }

  /** What live migration needs of this host (migration.ts). */
  private migrationPort(): MigrationPort {
    return {
      sched: this.sched,
      index: this.index,
      endpoints: this.endpoints,
      layout: this.layout,
      sab: this.sab,
      isAlive: (e) => this.isAlive(e),
      emitRaw: (dest, rec) => this.emitRaw(dest, rec),
      internPid: (id, serial) => this.internPid(id, serial),
      replay: (src, rec) => {
        this.guestAccess++;
        try {
          onSignal(this, src, new Int32Array(rec.buffer, rec.byteOffset, rec.length >> 2), 0, rec, rec.length);
        } finally {
          this.guestAccess--;
        }
      },
      overflowing: (dest) => (this.out[dest]?.overflowBytes ?? 0) > 0,
      guestsDown: (host, dead, reason) => guestsDown(this, host, dead, reason),
    };
  }

  /**
   * @internal Emit a record (header `h[0..n)`) addressed to `to`: to its endpoint, or, for
   * an actor of this scheduler that moved away, to where it went (migration.ts, step 4).
   */
  override emitTo(to: Pid, n: number, value: unknown, hasValue: boolean): boolean {
    const dest = to.id % this.endpoints;
    if (dest !== this.index) return this.emit(dest, n, value, hasValue);
    return this.migr !== null && this.migr.forwardLocal(to.id, this.h, n, value, hasValue);
  }

  /**
   * SchedulerHost.place: a spawn by the running actor. With `scheduler: k` (k not this one)
   * or when an idle scheduler k steals it (stealing.ts) or the balancer shares it away
   * (balancer.ts), reserve the pid on k and send SPAWN (placement.ts); null spawns it here.
   */
  private readonly place = (target: unknown, args: readonly unknown[], opts: SpawnOptions | undefined): Pid | null => {
    const explicit = opts?.scheduler;
    const N = this.layout.schedulers;
    let k: number;
    if (explicit !== undefined) {
      if (explicit === this.index) return null;
      if (explicit >= N) throw new InvalidOptionError('scheduler', `spawn: option "scheduler" must be below ${N} (the node's schedulers), got ${explicit}`);
      if (!this.isAlive(explicit)) throw new NotRunningError(`scheduler ${explicit} is down`);
      k = explicit;
    } else {
      if (opts?.name !== undefined) return null;
      // A spawn stays on its parent's scheduler as in Erlang (and keeps its locality)
      // unless an idle scheduler wants work (or, with 'spawn', this one looks overloaded).
      k = this.balancer.pick(this.sched.runQueueLength);
      if (k < 0) return null;
    }
    const ref = portableRef(target, explicit !== undefined, k);
    if (ref === null) return null;
    const parent = this.sched.current!;
    const pid = this.internPid(reserveSlot(this.control, this.layout, k) * this.endpoints + k, 0);
    let rest = opts;
    if (opts !== undefined && ('scheduler' in opts || 'link' in opts)) {
      const { scheduler: _s, link: _l, ...others } = opts;
      rest = others;
    }
    const link = opts?.link === true;
    const sent = this.emit(k, this.hdrSpawn(pid.id, parent.pid, link), { module: ref.module, export: ref.export, args, opts: rest }, true);
    if (link) {
      (parent.x().links ??= new Set()).add(pid);
      // Scheduler k went down meanwhile: the process never existed, as for a link to it.
      if (!sent) this.later(() => this.sched.inbound.exitIn(parent.pid, pid, 'noproc', true));
    }
    reductions.left -= 10;
    if (explicit === undefined) this.balancer.placed(k);
    return pid;
  };

  /** ctx.dirty: hand the task to the gateway's dirty pool (dirty-pool.ts, step 1). */
  private readonly sendDirty = (pid: Pid, ref: Ref, module: string, exportName: string, args: readonly unknown[]): void => {
    this.emit(this.gateway, this.hdrDirty(pid.id, pid.serial, ref.n), { module, export: exportName, args }, true);
    this.dirtyRefs.set(ref.n, ref);
    this.migr?.noteDirty(pid.id, 1);
  };

  /** ReductionCounter.poll: apply a kill announced for the running actor; non-zero = stop it. */
  private readonly pollKills = (): number => {
    this.kills.take(this.index, this.onKillFlag);
    return reductions.kill;
  };

  /** A kill flag was taken (kill-flags.ts, step 4): only the running actor is acted on here. */
  private readonly onKillFlag = (id: number, serial: number, sender: number): void => {
    const cur = this.sched.current;
    if (cur === null || cur.pid.id !== id || cur.pid.serial !== serial || cur.status >= kExiting) return;
    // 'kill' not via a link is untrappable: `from` only names the sending endpoint.
    this.sched.inbound.exitIn(cur.pid, new Pid(0, sender, 0), 'kill', false);
  };

  protected localPid(id: number, serial: number): Pid {
    const a = this.sched.lookupId(id, serial);
    return a !== undefined ? a.pid : new Pid(0, id, serial);
  }

  start(): void {
    parentPort?.on('message', this.keepAlive);
    // Makes this scheduler "up" to every endpoint (isAlive reads the word with Atomics.load).
    Atomics.store(this.control, kCtlAliveBase + this.index, 1);
    this.stats.fields[kStState] = kStateRunning;
    this.loop.publish(performance.now());
    this.loop.run();
  }

  /** Something arrived from outside a slice (a load finished, a spawn): run soon. */
  kick(): void {
    this.loop.kick();
  }

  /** @internal Run `fn` after the current slice, as if it had arrived as a record. */
  later(fn: () => void): void {
    this.pendingLocal.push(fn);
  }

  // ---------------------------------------------------------------------------------
  // Endpoint hooks
  // ---------------------------------------------------------------------------------

  protected override onOverflow(link: OutLink): void {
    this.held.onOverflow(link);
  }

  protected override onOverflowDrained(link: OutLink): void {
    this.held.onOverflowDrained(link);
  }

  override drain(max: number): number {
    // Hand the kill slots back to their senders (the EXIT records are in the rings).
    this.kills.take(this.index, this.onKillFlag);
    if (this.kills.pendingCount > 0) this.kills.retry();
    // Ring records reach guests (migration.ts, step 5): lookups find them meanwhile.
    this.guestAccess++;
    try {
      if (this.deferred.length > 0 && !this.deferControl) runDeferred(this);
      this.inDrain++;
      try {
        return super.drain(max);
      } finally {
        this.inDrain--;
      }
    } finally {
      this.guestAccess--;
    }
  }

  protected onRecord(src: number, words: Int32Array, w: number, bytes: Uint8Array, len: number): void {
    const kind = words[w]!;
    const s = this.sched;
    if (kind === kRecMsg && !this.deferring[src]) {
      // The message fast path: no Pid is made.
      const a = s.lookupId(words[w + 1]! >>> 0, words[w + 2]! >>> 0);
      if (a === undefined || a.status >= kExiting) {
        if (a === undefined && words[w + 2] === 0 && isReservedSlot(s, words[w + 1]! >>> 0)) {
          keepEarly(this, src, words[w + 1]! >>> 0, bytes, w, len);
          return;
        }
        // Moved away (migration.ts, step 4): forwarded to its host.
        if (a === undefined && this.migr !== null && this.migr.forwardRecord(words[w + 1]! >>> 0, bytes.subarray(w * 4, w * 4 + len))) return;
        s.counters.messagesDropped++;
        return;
      }
      s.deliver(a, this.decodeValue(bytes, w, 3, len), len);
      return;
    }
    if (this.deferControl) {
      // Waiting for ring space inside a send: messages are delivered now, signals and
      // requests after it; once one record of a source is deferred, all later ones from
      // that source are too, so each pair's order holds.
      this.deferring[src] = true;
      this.deferred.push({ src, rec: bytes.slice(w * 4, w * 4 + len) });
      return;
    }
    onSignal(this, src, words, w, bytes, len);
  }

  /** @internal CONTROL stop (worker-control.ts): end every actor, answer, let the worker exit. */
  stop(reqId: number, body: unknown): void {
    if (this.stopped) return;
    const reason = (body as { reason?: unknown } | null)?.reason ?? 'shutdown';
    this.sched.shutdown(reason);
    this.flush();
    this.stopped = true;
    this.loop.publishState(kStateStopped);
    reply(this, reqId, kOpOk, true);
    this.flush();
    // Down to every endpoint: nothing more is written to us, after the reply above.
    Atomics.store(this.control, kCtlAliveBase + this.index, 0);
    parentPort?.off('message', this.keepAlive);
    parentPort?.unref();
  }
}

/** Entry point, called by worker-entry.mjs with the workerData. */
export function runWorker(setup: WorkerSetup): WorkerHost {
  const host = new WorkerHost(setup);
  host.start();
  parentPort?.postMessage({ type: 'ready', index: setup.index });
  return host;
}
