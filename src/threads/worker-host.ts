/**
 * Worker host: the code of one scheduler thread. It owns one core Scheduler
 * (`{ index: k, stride: E }`), pinned to this worker for the node's life, and is the
 * scheduler's `outbound` (everything addressed to a pid of another endpoint becomes a
 * ring record, see endpoint.ts).
 *
 * The loop (one "round" repeats until the quantum is spent, then yields to the worker's
 * event loop with setImmediate so module imports and Node callbacks progress):
 *
 *   drain inbound rings (<= kDrainBatch records per ring) -> deliver / apply signals
 *   fire due timers, finalise exits
 *   run up to kSlicesPerRound slices; after each: hold a sender whose ring was full,
 *       finalise exits, flush (commit every ring written, ring doorbells of parked peers)
 *   nothing ran and nothing arrived:
 *       spin up to `spinUs` polling the inbound tails (Atomics.load), timers, overflows
 *       then park on this thread's doorbell with Atomics.waitAsync (so the worker's event
 *       loop keeps serving imports and callbacks), until a ring, the next timer, or a kick
 *
 * A ref'd MessagePort listener keeps the worker alive while parked (a pending waitAsync
 * alone does not); it is dropped at stop, so the worker exits by itself.
 *
 * Signals across threads follow the core's local semantics (scheduler.ts): links are
 * recorded at once on the linking side and an exit signal 'noproc' comes back if the
 * target is gone; monitors likewise answer DOWN 'noproc'; an exit signal through a link is
 * honoured only while the link exists (an unlink may have crossed it); DOWN after a
 * demonitor is dropped. Per-pair order holds because each ordered pair of threads has one
 * FIFO ring and each thread handles a ring's records in order.
 *
 * Live migration (migration.ts, `balance: 'migrate'`): every 4 slices the host publishes
 * its stats and lets the migration look at the load and send batches whose fences passed;
 * records for an actor of this scheduler that moved away are forwarded to its host from
 * the miss path of the record handlers and of the outbound (`emitTo`); guests (actors of
 * other schedulers running here) are visible to lookups while ring records are handled.
 *
 * Kill of a stuck actor: an untrappable 'kill' is also announced in the target scheduler's
 * kill block (kill-flags.ts); `reductions.poll` takes it from the slow path of instrumented
 * code, so even `while (true) {}` on this thread ends with 'killed'.
 */

import { parentPort } from 'node:worker_threads';
import { Scheduler, kExiting, type Outbound, type SchedulerOptions, type SpawnOptions } from '../core/scheduler.ts';
import { loadBehaviour, type BehaviourRef } from '../core/behaviour.ts';
import { Pid, Ref, pidEquals } from '../core/pid.ts';
import { reductions } from '../core/reductions.ts';
import type { DownMessage } from '../core/reason.ts';
import { SwitchboardError } from '../core/errors.ts';
import {
  Endpoint, type OutLink,
  kRecMsg, kRecExit, kRecLink, kRecUnlink, kRecMonitor, kRecDemonitor, kRecDown, kRecControl, kRecNameClear,
  kRecSchedDown, kRecSpawn, kRecDirty, kRecMigrate, kRecUnforward, kRecGuestsDown, kOpSpawn, kOpInfo, kOpRegister, kOpStop, kOpApply, kOpOk, kOpError,
} from './endpoint.ts';
import { computeLayout, statsOffset, kCtlAliveBase, type LayoutParams, type NodeLayout } from './layout.ts';
import { SharedRegistry } from './shared-registry.ts';
import { KillFlags } from './kill-flags.ts';
import { SpawnBalancer } from './balancer.ts';
import { portableRef, reserveSlot } from './placement.ts';
import { LiveMigration, type BalanceMode, type MigrationPort } from './migration.ts';
import { InvalidOptionError, NotRunningError } from '../core/errors.ts';
import {
  StatsWriter, kStState, kStBusyMs, kStSpinMs, kStParkedMs, kStRunQueue, kStReductions, kStMsgsIn, kStMsgsOut,
  kStRecordsIn, kStRecordsOut, kStActors, kStSlices, kStParks, kStRingFull, kStOverflowBytes, kStHeldActors,
  kStBlockedWaits, kStSpawns, kStExits, kStHolds, kStMigrations, kStRemoteSpawns, kStMigrationsOut, kStMigrationsIn, kStGuests,
  kStForwarded, kStateRunning, kStateSpinning, kStateParked, kStateStopped,
} from './stats.ts';

export interface WorkerSetup {
  readonly sab: SharedArrayBuffer;
  readonly params: LayoutParams;
  readonly index: number;
  readonly scheduler: Partial<SchedulerOptions>;
  readonly spinUs: number;
  readonly quantumMs: number;
  readonly overflowBytes: number;
  /** 'migrate': live migration of running actors (migration.ts); 'spawn': spawn-time sharing only. */
  readonly balance?: BalanceMode;
}

/**
 * Records taken from each inbound ring per round. Kept at 1000 so a consumer's mailbox
 * stays within the core mailbox's retained capacity (1024) under a steady stream.
 */
const kDrainBatch = 1000;
const kSlicesPerRound = 64;
/**
 * After its spin, an idle scheduler first parks *blocking* (Atomics.wait) for up to this
 * long: a ringer's notify then wakes it in microseconds, where a waitAsync park needs the
 * worker's event loop to come round (hundreds of µs on a loaded machine). Only then does
 * it park asynchronously (so imports, module hooks and any timers of user code progress).
 */
const kBlockParkMs = 2;
/** Blocking parks are allowed only this long after the loop last came from the event loop. */
const kMaxBlockingMs = 5;

interface Deferred {
  src: number;
  rec: Uint8Array;
}

export class WorkerHost extends Endpoint implements Outbound {
  readonly sched: Scheduler;
  readonly registry: SharedRegistry;
  private readonly stats: StatsWriter;
  private readonly spinMs: number;
  private readonly quantumMs: number;
  private readonly gateway: number;
  private stopped = false;
  private parked = false;
  private kicked = false;
  private loopQueued = false;
  /** Set while handling inbound records: emits never block then. */
  private inDrain = 0;
  /** Set while waiting for ring space: control records are deferred, not handled. */
  private deferControl = false;
  private readonly deferred: Deferred[] = [];
  /** Actors whose sends overflowed during the current slice: held after it. */
  private readonly holdNext: { pid: Pid; link: OutLink }[] = [];
  private heldCount = 0;
  private holds = 0;
  private blockedWaits = 0;
  private parks = 0;
  private busyMs = 0;
  private spinTotalMs = 0;
  private parkedMs = 0;
  private parkStart = 0;
  private lastPublish = 0;
  private readonly keepAlive = (): void => {};
  /** Shared kill announcements (kill-flags.ts): read by `poll`, written by `exit(.., 'kill')`. */
  private readonly kills: KillFlags;
  private readonly balancer: SpawnBalancer;
  private remoteSpawns = 0;
  /** Refs `ctx.dirty` returned, by number, until their result comes back (dirty-pool.ts). */
  private readonly dirtyRefs = new Map<number, Ref>();
  /** Records for reserved slots whose SPAWN has not arrived yet (placement.ts, step 3), by id. */
  private readonly early = new Map<number, Deferred[]>();
  /** Live migration (migration.ts), with `balance: 'migrate'`; null otherwise. */
  private readonly migr: LiveMigration | null;

  constructor(setup: WorkerSetup) {
    const layout: NodeLayout = computeLayout(setup.params);
    super(setup.sab, layout, setup.index, setup.overflowBytes);
    this.gateway = layout.gateway;
    this.spinMs = setup.spinUs / 1000;
    this.quantumMs = setup.quantumMs;
    this.registry = new SharedRegistry(setup.sab, layout.registryOffset, layout.maxNames, setup.index, layout.endpoints, {
      makePid: (id, serial) => this.internPid(id, serial),
      onForeignRemove: (name, pid) => this.nameCleared(name, pid),
    });
    this.sched = new Scheduler({ ...setup.scheduler, index: setup.index, stride: layout.endpoints }, this.registry);
    this.sched.outbound = this;
    this.sched.onWork = () => this.kick();
    this.stats = new StatsWriter(setup.sab, statsOffset(layout, setup.index));
    this.kills = new KillFlags(setup.sab, layout, setup.index);
    this.balancer = new SpawnBalancer(setup.sab, layout, setup.index, (k) => this.isAlive(k));
    this.sched.placer = this.place;
    this.sched.ctx.dirtyRunner = this.sendDirty;
    // Fresh slots come from the node-wide counter other threads reserve from (placement.ts).
    this.sched.slotSource = () => reserveSlot(this.control, layout, setup.index);
    // Instrumented code calls this from ReductionCounter.slow() (every kGrant reductions of
    // overrun): a kill announced by another thread ends even a `while (true) {}`.
    reductions.poll = this.pollKills;
    this.migr = setup.balance === 'migrate' ? new LiveMigration(this.migrationPort(), 'migrate') : null;
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
        this.sched.guestAccess++;
        try {
          this.onSignal(src, new Int32Array(rec.buffer, rec.byteOffset, rec.length >> 2), 0, rec, rec.length);
        } finally {
          this.sched.guestAccess--;
        }
      },
      overflowing: (dest) => (this.out[dest]?.overflowBytes ?? 0) > 0,
      guestsDown: (host, dead, reason) => this.guestsDown(host, dead, reason),
    };
  }

  /**
   * Emit a record (header `h[0..n)`) addressed to `to`: to its endpoint, or, for an actor
   * of this scheduler that moved away, to where it went (migration.ts, step 4).
   */
  private emitTo(to: Pid, n: number, value: unknown, hasValue: boolean): boolean {
    const dest = to.id % this.endpoints;
    if (dest !== this.index) return this.emit(dest, n, value, hasValue);
    return this.migr !== null && this.migr.forwardLocal(to.id, this.h, n, value, hasValue);
  }

  /**
   * Scheduler.placer: a spawn by the running actor. With `scheduler: k` (k not this one) or
   * when the balancer shares it away, reserve the pid on k and send SPAWN (placement.ts);
   * null spawns it here.
   */
  private readonly place = (target: unknown, args: readonly unknown[], opts: SpawnOptions | undefined): Pid | null => {
    const explicit = (opts as { scheduler?: number } | undefined)?.scheduler;
    const N = this.layout.schedulers;
    let k: number;
    if (explicit !== undefined) {
      if (explicit === this.index) return null;
      if (explicit >= N) throw new InvalidOptionError('scheduler', `spawn option "scheduler" must be below ${N}, got ${explicit}`);
      if (!this.isAlive(explicit)) throw new NotRunningError(`scheduler ${explicit} is down`);
      k = explicit;
    } else {
      if (opts?.name !== undefined) return null;
      // With live migration on, a spawn stays on its parent's scheduler as in Erlang (and
      // keeps its locality); the migrator moves work if the load stays uneven.
      k = this.migr !== null ? -1 : this.balancer.pick(this.sched.runQueueLength);
      if (k < 0) return null;
    }
    const ref = portableRef(target, explicit !== undefined, k);
    if (ref === null) return null;
    const parent = this.sched.current!;
    const pid = this.internPid(reserveSlot(this.control, this.layout, k) * this.endpoints + k, 0);
    let rest = opts;
    if (opts !== undefined && ('scheduler' in opts || 'link' in opts)) {
      const { scheduler: _s, link: _l, ...others } = opts as SpawnOptions & { scheduler?: number };
      rest = others;
    }
    const link = opts?.link === true;
    const h = this.h;
    h[0] = kRecSpawn;
    h[1] = pid.id;
    h[2] = parent.pid.id;
    h[3] = parent.pid.serial;
    h[4] = link ? 1 : 0;
    const sent = this.emit(k, 5, { module: ref.module, export: ref.export, args, opts: rest }, true);
    if (link) {
      (parent.x().links ??= new Set()).add(pid);
      // Scheduler k went down meanwhile: the process never existed, as for a link to it.
      if (!sent) this.later(() => this.sched.remoteExit(parent.pid, pid, 'noproc', true));
    }
    reductions.left -= 10;
    if (explicit === undefined) this.balancer.placed(k);
    return pid;
  };

  /** ctx.dirty: hand the task to the gateway's dirty pool (dirty-pool.ts, step 1). */
  private readonly sendDirty = (pid: Pid, ref: Ref, module: string, exportName: string, args: readonly unknown[]): void => {
    const h = this.h;
    h[0] = kRecDirty;
    h[1] = pid.id;
    h[2] = pid.serial;
    h[3] = ref.n;
    this.emit(this.gateway, 4, { module, export: exportName, args }, true);
    this.dirtyRefs.set(ref.n, ref);
    this.migr?.noteDirty(pid.id, 1);
  };

  /** SPAWN from another scheduler (placement.ts, step 4). */
  private spawnReserved(id: number, parent: Pid, link: boolean, b: { module: string; export: string; args: unknown[]; opts: SpawnOptions | undefined }): void {
    const name = b.opts?.name;
    let opts = b.opts;
    if (name !== undefined) {
      const { name: _n, ...others } = b.opts!;
      opts = others;
    }
    const slot = (id - this.index) / this.endpoints;
    const pid = this.sched.spawnInSlot(slot, { module: b.module, export: b.export }, b.args ?? [], opts, parent, link);
    this.remoteSpawns++;
    if (name !== undefined) {
      try {
        this.sched.register(name, pid);
      } catch {
        this.sched.exit(pid, Object.freeze({ kind: 'nameTaken', name }));
      }
    }
    const kept = this.early.get(id);
    if (kept !== undefined) {
      this.early.delete(id);
      for (const d of kept) {
        const words = new Int32Array(d.rec.buffer, d.rec.byteOffset, d.rec.length >> 2);
        this.onSignal(d.src, words, 0, d.rec, d.rec.length);
      }
    }
  }

  /** Keep a record for a reserved slot not spawned into yet (placement.ts, step 3). */
  private keepEarly(src: number, id: number, bytes: Uint8Array, w: number, len: number): void {
    let list = this.early.get(id);
    if (list === undefined) this.early.set(id, (list = []));
    list.push({ src, rec: bytes.slice(w * 4, w * 4 + len) });
  }

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
    this.sched.remoteExit(cur.pid, new Pid(0, sender, 0), 'kill', false);
  };

  protected localPid(id: number, serial: number): Pid {
    const a = this.sched.lookupId(id, serial);
    return a !== undefined ? a.pid : new Pid(0, id, serial);
  }

  start(): void {
    parentPort?.on('message', this.keepAlive);
    Atomics.store(this.control, kCtlAliveBase + this.index, 1);
    this.stats.fields[kStState] = kStateRunning;
    this.publish(performance.now());
    this.loop();
  }

  // ---------------------------------------------------------------------------------
  // Outbound (called by the Scheduler for foreign pids)
  // ---------------------------------------------------------------------------------

  send(to: Pid, msg: unknown): void {
    const h = this.h;
    h[0] = kRecMsg;
    h[1] = to.id;
    h[2] = to.serial;
    this.emitTo(to, 3, msg, true);
  }

  exit(to: Pid, from: Pid, reason: unknown, viaLink: boolean): void {
    const h = this.h;
    h[0] = kRecExit;
    h[1] = to.id;
    h[2] = to.serial;
    h[3] = from.id;
    h[4] = from.serial;
    h[5] = viaLink ? 1 : 0;
    const dest = to.id % this.endpoints;
    this.emitSignal(to, 6, reason);
    if (reason === 'kill' && !viaLink && dest !== this.gateway && dest !== this.index) {
      // Commit the record, then announce it (kill-flags.ts, steps 1-2).
      this.flush();
      this.kills.request(to);
    }
  }

  /**
   * Emit a record whose value is an exit reason. A reason that cannot be encoded (a
   * function inside, say) must not stop the signal, nor throw out of the scheduler's exit
   * processing: it crosses as `{ kind: 'unsendableReason', description }`.
   */
  private emitSignal(to: Pid, n: number, reason: unknown): void {
    const saved = this.h.slice(0, n);
    try {
      this.emitTo(to, n, reason, true);
    } catch (e) {
      this.h.set(saved);
      const description = e instanceof Error ? e.message : String(e);
      this.emitTo(to, n, Object.freeze({ kind: 'unsendableReason', description }), true);
    }
  }

  link(to: Pid, from: Pid): void {
    const h = this.h;
    h[0] = kRecLink;
    h[1] = to.id;
    h[2] = to.serial;
    h[3] = from.id;
    h[4] = from.serial;
    if (!this.emitTo(to, 5, undefined, false)) {
      // Its scheduler is down: the process is gone.
      this.later(() => this.sched.remoteExit(from, to, 'noproc', true));
    }
  }

  unlink(to: Pid, from: Pid): void {
    const h = this.h;
    h[0] = kRecUnlink;
    h[1] = to.id;
    h[2] = to.serial;
    h[3] = from.id;
    h[4] = from.serial;
    this.emitTo(to, 5, undefined, false);
  }

  monitor(to: Pid, watcher: Pid, ref: Ref): void {
    const h = this.h;
    h[0] = kRecMonitor;
    h[1] = to.id;
    h[2] = to.serial;
    h[3] = watcher.id;
    h[4] = watcher.serial;
    h[5] = ref.sched;
    h[6] = ref.n;
    if (!this.emitTo(to, 7, undefined, false)) {
      this.later(() => this.localDown(watcher, ref.sched, ref.n, to, 'noproc'));
    }
  }

  demonitor(to: Pid, ref: Ref): void {
    const h = this.h;
    h[0] = kRecDemonitor;
    h[1] = to.id;
    h[2] = to.serial;
    h[3] = ref.sched;
    h[4] = ref.n;
    this.emitTo(to, 5, undefined, false);
  }

  down(to: Pid, ref: Ref, pid: Pid, reason: unknown): void {
    const h = this.h;
    h[0] = kRecDown;
    h[1] = to.id;
    h[2] = to.serial;
    h[3] = pid.id;
    h[4] = pid.serial;
    h[5] = ref.sched;
    h[6] = ref.n;
    this.emitSignal(to, 7, reason);
  }

  private nameCleared(name: string, pid: Pid): void {
    const h = this.h;
    h[0] = kRecNameClear;
    h[1] = pid.id;
    h[2] = pid.serial;
    this.emitTo(pid, 3, name, true);
  }

  private reply(reqId: number, op: number, value: unknown): void {
    const h = this.h;
    h[0] = kRecControl;
    h[1] = reqId;
    h[2] = op;
    try {
      this.emit(this.gateway, 3, value, true);
    } catch (e) {
      this.emit(this.gateway, 3, errorBody(e), true);
    }
    this.kick();
  }

  // ---------------------------------------------------------------------------------
  // Backpressure
  // ---------------------------------------------------------------------------------

  protected override onOverflow(link: OutLink): void {
    const cur = this.sched.current;
    if (cur !== null) {
      // End the sender's slice; it is held after the slice (afterSlice).
      reductions.left = 0;
      this.holdNext.push({ pid: cur.pid, link });
    }
    if (link.overflowBytes >= this.overflowLimit && this.inDrain === 0) this.waitForRoom(link);
  }

  protected override onOverflowDrained(link: OutLink): void {
    const held = link.held;
    if (held.length === 0) return;
    link.held = [];
    this.sched.guestAccess++; // a held guest is resumed too
    try {
      for (const pid of held) {
        this.heldCount--;
        if (this.sched.isAlive(pid)) this.sched.resume(pid);
      }
    } finally {
      this.sched.guestAccess--;
    }
  }

  /** At the overflow bound: wait here until the consumer made room (see endpoint.ts, 4). */
  private waitForRoom(link: OutLink): void {
    this.blockedWaits++;
    const prevDefer = this.deferControl;
    this.deferControl = true;
    try {
      const roomOrDead = (): boolean => link.dead || !this.isAlive(link.dest) || link.producer.hasRoomFor(link.overflow[link.head]?.length ?? 0) || this.hasInbound();
      while (link.overflowBytes >= this.overflowLimit && !link.dead) {
        this.flush();
        if (link.overflowBytes < this.overflowLimit) break;
        if (!this.isAlive(link.dest)) {
          this.markDead(link.dest);
          break;
        }
        // Keep our own inbound rings moving, so a peer blocked on us progresses.
        if (this.drain(kDrainBatch) > 0) continue;
        this.sleeper.park(roomOrDead, 5);
      }
    } finally {
      this.deferControl = prevDefer;
    }
  }

  private afterSlice(): void {
    const hold = this.holdNext;
    this.sched.guestAccess++; // a guest is held like any actor
    try {
      this.holdActors(hold);
    } finally {
      this.sched.guestAccess--;
    }
  }

  private holdActors(hold: { pid: Pid; link: OutLink }[]): void {
    for (let i = 0; i < hold.length; i++) {
      const { pid, link } = hold[i]!;
      if (link.overflowBytes === 0 || link.dead) continue;
      if (link.held.some((p) => p === pid)) continue;
      const a = this.sched.lookup(pid);
      if (a === undefined || a.status >= kExiting || a.ext?.suspended === true) continue;
      this.sched.suspend(pid);
      link.held.push(pid);
      this.heldCount++;
      this.holds++;
    }
    hold.length = 0;
  }

  // ---------------------------------------------------------------------------------
  // Inbound
  // ---------------------------------------------------------------------------------

  override drain(max: number): number {
    // Hand the kill slots back to their senders (the EXIT records are in the rings).
    this.kills.take(this.index, this.onKillFlag);
    if (this.kills.pendingCount > 0) this.kills.retry();
    // Ring records reach guests (migration.ts, step 5): lookups find them meanwhile.
    this.sched.guestAccess++;
    try {
      if (this.deferred.length > 0 && !this.deferControl) this.runDeferred();
      this.inDrain++;
      try {
        return super.drain(max);
      } finally {
        this.inDrain--;
      }
    } finally {
      this.sched.guestAccess--;
    }
  }

  protected onRecord(src: number, words: Int32Array, w: number, bytes: Uint8Array, len: number): void {
    const kind = words[w]!;
    const s = this.sched;
    if (kind === kRecMsg && !this.deferring[src]) {
      const a = s.lookupId(words[w + 1]! >>> 0, words[w + 2]! >>> 0);
      if (a === undefined || a.status >= kExiting) {
        if (a === undefined && words[w + 2] === 0 && s.isReservedSlot(words[w + 1]! >>> 0)) {
          this.keepEarly(src, words[w + 1]! >>> 0, bytes, w, len);
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
    this.onSignal(src, words, w, bytes, len);
  }

  private readonly deferring: boolean[] = [];

  private onSignal(src: number, words: Int32Array, w: number, bytes: Uint8Array, len: number): void {
    const kind = words[w]!;
    const s = this.sched;
    if (kind <= kRecNameClear && kind !== kRecControl && kind !== kRecDown && words[w + 2] === 0) {
      // Addressed to a pid another thread reserved here and has not spawned yet?
      const id = words[w + 1]! >>> 0;
      if (s.lookupId(id, 0) === undefined && s.isReservedSlot(id)) {
        this.keepEarly(src, id, bytes, w, len);
        return;
      }
    }
    if (this.migr !== null && (kind <= kRecNameClear || kind === kRecDirty) && kind !== kRecControl && this.migr.isMoved(words[w + 1]! >>> 0)) {
      // Addressed to an actor of ours that moved away (migration.ts, step 4).
      const id = words[w + 1]! >>> 0;
      if (s.lookupId(id, words[w + 2]! >>> 0) === undefined && this.migr.forwardRecord(id, bytes.subarray(w * 4, w * 4 + len))) return;
    }
    switch (kind) {
      case kRecMsg: {
        const a = s.lookupId(words[w + 1]! >>> 0, words[w + 2]! >>> 0);
        if (a === undefined || a.status >= kExiting) {
          s.counters.messagesDropped++;
          return;
        }
        s.deliver(a, this.decodeValue(bytes, w, 3, len), len);
        return;
      }
      case kRecExit: {
        const to = s.lookupId(words[w + 1]! >>> 0, words[w + 2]! >>> 0);
        if (to === undefined) return;
        const from = this.internPid(words[w + 3]! >>> 0, words[w + 4]! >>> 0);
        s.remoteExit(to.pid, from, this.decodeValue(bytes, w, 6, len), words[w + 5] === 1);
        return;
      }
      case kRecLink: {
        const id = words[w + 1]! >>> 0;
        const serial = words[w + 2]! >>> 0;
        const from = this.internPid(words[w + 3]! >>> 0, words[w + 4]! >>> 0);
        const a = s.lookupId(id, serial);
        if (a === undefined || a.status >= kExiting) {
          this.exit(from, a?.pid ?? new Pid(0, id, serial), 'noproc', true);
          return;
        }
        (a.x().links ??= new Set()).add(from);
        return;
      }
      case kRecUnlink: {
        const a = s.lookupId(words[w + 1]! >>> 0, words[w + 2]! >>> 0);
        const links = a?.ext?.links;
        if (links == null) return;
        const from = this.internPid(words[w + 3]! >>> 0, words[w + 4]! >>> 0);
        if (!links.delete(from)) for (const p of links) if (pidEquals(p, from)) links.delete(p);
        return;
      }
      case kRecMonitor: {
        const id = words[w + 1]! >>> 0;
        const serial = words[w + 2]! >>> 0;
        const watcher = this.internPid(words[w + 3]! >>> 0, words[w + 4]! >>> 0);
        const ref = new Ref(0, words[w + 5]!, words[w + 6]! >>> 0);
        const a = s.lookupId(id, serial);
        if (a === undefined || a.status >= kExiting) {
          this.down(watcher, ref, a?.pid ?? new Pid(0, id, serial), 'noproc');
          return;
        }
        (a.x().monitoredBy ??= new Map()).set(ref, watcher);
        return;
      }
      case kRecDemonitor: {
        const a = s.lookupId(words[w + 1]! >>> 0, words[w + 2]! >>> 0);
        const by = a?.ext?.monitoredBy;
        if (by == null) return;
        const sched = words[w + 3]!;
        const n = words[w + 4]! >>> 0;
        for (const r of by.keys()) {
          if (r.sched === sched && r.n === n) {
            by.delete(r);
            break;
          }
        }
        return;
      }
      case kRecDown: {
        const pid = this.internPid(words[w + 3]! >>> 0, words[w + 4]! >>> 0);
        const watcher = s.lookupId(words[w + 1]! >>> 0, words[w + 2]! >>> 0);
        if (watcher === undefined) return;
        this.localDown(watcher.pid, words[w + 5]!, words[w + 6]! >>> 0, pid, this.decodeValue(bytes, w, 7, len));
        return;
      }
      case kRecNameClear: {
        const a = s.lookupId(words[w + 1]! >>> 0, words[w + 2]! >>> 0);
        const name = this.decodeValue(bytes, w, 3, len);
        if (a?.ext != null && a.ext.name === name) a.ext.name = null;
        return;
      }
      case kRecControl: {
        const op = words[w + 2]!;
        const body = this.decodeValue(bytes, w, 3, len);
        if (this.migr !== null && (op === kOpInfo || op === kOpRegister)) {
          // A request about an actor that moved away goes where it went (migration.ts).
          const pid = op === kOpInfo ? body : (body as { pid?: unknown } | null)?.pid;
          if (pid instanceof Pid && s.lookup(pid) === undefined && this.migr.forwardRecord(pid.id, bytes.subarray(w * 4, w * 4 + len))) return;
        }
        this.onControl(words[w + 1]!, op, body);
        return;
      }
      case kRecMigrate:
        this.migr?.onMigrate(words[w + 1]! >>> 0, words[w + 2]! >>> 0, bytes, (w + 3) * 4, len - 12);
        return;
      case kRecUnforward:
        this.migr?.onUnforward(words[w + 1]! >>> 0, words[w + 2]! >>> 0);
        return;
      case kRecGuestsDown: {
        const b = this.decodeValue(bytes, w, 2, len) as { ids: number[]; serials: number[]; reason: unknown };
        const dead = new Map<number, number>();
        for (let i = 0; i < b.ids.length; i++) dead.set(b.ids[i]!, b.serials[i]!);
        this.guestsDown(words[w + 1]!, dead, b.reason);
        return;
      }
      case kRecSchedDown:
        this.onSchedulerDown(words[w + 1]!, this.decodeValue(bytes, w, 2, len));
        return;
      case kRecDirty: {
        // The outcome of a dirty task (dirty-pool.ts, step 3).
        const n = words[w + 3]! >>> 0;
        const ref = this.dirtyRefs.get(n) ?? new Ref(0, this.index, n);
        this.dirtyRefs.delete(n);
        this.migr?.noteDirty(words[w + 1]! >>> 0, -1);
        const a = s.lookupId(words[w + 1]! >>> 0, words[w + 2]! >>> 0);
        if (a === undefined || a.status >= kExiting) return;
        const out = this.decodeValue(bytes, w, 4, len) as { ok: boolean; value?: unknown; error?: unknown };
        const msg = out.ok ? { type: '$dirty', ref, ok: true, value: out.value } : { type: '$dirty', ref, ok: false, error: out.error };
        s.deliver(a, Object.freeze(msg), len);
        return;
      }
      case kRecSpawn:
        this.spawnReserved(
          words[w + 1]! >>> 0,
          this.internPid(words[w + 2]! >>> 0, words[w + 3]! >>> 0),
          words[w + 4] === 1,
          this.decodeValue(bytes, w, 5, len) as { module: string; export: string; args: unknown[]; opts: SpawnOptions | undefined },
        );
        return;
      default:
        throw new RangeError(`ring protocol: unknown record kind ${kind} from endpoint ${src}`);
    }
  }

  /** Deliver the DOWN of monitor (refSched, refN) held by local `watcher`, if still held. */
  private localDown(watcher: Pid, refSched: number, refN: number, pid: Pid, reason: unknown): void {
    const a = this.sched.lookup(watcher);
    const monitors = a?.ext?.monitors;
    if (a === undefined || monitors == null || a.status >= kExiting) return;
    for (const [ref, target] of monitors) {
      if (ref.sched === refSched && ref.n === refN) {
        monitors.delete(ref);
        const down: DownMessage = Object.freeze({ type: 'DOWN', ref, pid: pidEquals(target, pid) ? target : pid, reason });
        this.sched.deliver(a, down, 64);
        return;
      }
    }
    // Demonitored meanwhile: dropped, as Erlang guarantees.
  }

  /** Scheduler `k` died: links and monitors to its processes fire with `reason`. */
  private onSchedulerDown(k: number, reason: unknown): void {
    // Records it committed before dying come first (per-pair order: messages, then DOWN).
    const inl = this.inBySrc[k];
    if (inl !== null && inl !== undefined) while (this.drainLink(inl, kDrainBatch) > 0);
    this.markDead(k);
    const E = this.endpoints;
    const s = this.sched;
    for (const pid of s.processes()) {
      const a = s.lookup(pid);
      const x = a?.ext;
      if (a === undefined || x == null) continue;
      if (x.links !== null) {
        for (const p of [...x.links]) if (p.node === 0 && p.id % E === k) s.remoteExit(pid, p, reason, true);
      }
      if (x.monitors !== null) {
        for (const [ref, t] of [...x.monitors]) if (t.node === 0 && t.id % E === k) this.localDown(pid, ref.sched, ref.n, t, reason);
      }
      if (x.monitoredBy !== null) {
        for (const [ref, wpid] of [...x.monitoredBy]) if (wpid.node === 0 && wpid.id % E === k) x.monitoredBy.delete(ref);
      }
    }
    this.migr?.onSchedulerDown(k, reason);
  }

  /**
   * Guests of `host` died with it (GUESTSDOWN, migration.ts step 7): links and monitors of
   * local actors to them fire with `reason`. `dead`: id -> serial.
   */
  private guestsDown(host: number, dead: Map<number, number>, reason: unknown): void {
    // What the host committed before dying comes first, as for SCHEDDOWN.
    const inl = this.inBySrc[host];
    if (inl !== null && inl !== undefined && !this.out[host]?.dead) while (this.drainLink(inl, kDrainBatch) > 0);
    const s = this.sched;
    const hit = (p: Pid): boolean => p.node === 0 && dead.get(p.id) === p.serial;
    for (const pid of s.processes()) {
      const a = s.lookup(pid);
      const x = a?.ext;
      if (a === undefined || x == null) continue;
      if (x.links !== null) for (const p of [...x.links]) if (hit(p)) s.remoteExit(pid, p, reason, true);
      if (x.monitors !== null) {
        for (const [ref, t] of [...x.monitors]) if (hit(t)) this.localDown(pid, ref.sched, ref.n, t, reason);
      }
      if (x.monitoredBy !== null) for (const [ref, wpid] of [...x.monitoredBy]) if (hit(wpid)) x.monitoredBy.delete(ref);
    }
  }

  private onControl(reqId: number, op: number, body: unknown): void {
    switch (op) {
      case kOpSpawn: {
        const b = body as { module: string; export: string; args: unknown[]; opts: SpawnOptions | undefined };
        const ref: BehaviourRef = { module: b.module, export: b.export };
        loadBehaviour(ref).then(
          (beh) => {
            try {
              const pid = this.sched.spawn(beh, b.args, b.opts);
              this.reply(reqId, kOpOk, pid);
            } catch (e) {
              this.reply(reqId, kOpError, errorBody(e));
            }
          },
          (e: unknown) => {
            this.reply(reqId, kOpError, {
              code: 'ERR_SB_UNDEF',
              message: `cannot load behaviour ${b.export} from ${b.module}: ${e instanceof Error ? e.message : String(e)}`,
            });
          },
        );
        return;
      }
      case kOpInfo: {
        let info: unknown;
        try {
          info = this.sched.processInfo(body as Pid);
        } catch (e) {
          this.reply(reqId, kOpError, errorBody(e));
          return;
        }
        this.reply(reqId, kOpOk, info);
        return;
      }
      case kOpRegister: {
        const b = body as { name: string; pid: Pid };
        try {
          this.sched.register(b.name, b.pid);
          this.reply(reqId, kOpOk, true);
        } catch (e) {
          this.reply(reqId, kOpError, errorBody(e));
        }
        return;
      }
      case kOpApply: {
        // fn(scheduler, ...args), an export of a module, may be async; its result is the reply.
        const b = body as { module: string; export: string; args: unknown[] };
        import(b.module)
          .then((ns: Record<string, unknown>) => {
            const fn = ns[b.export];
            if (typeof fn !== 'function') throw new Error(`module ${b.module} has no function export ${b.export}`);
            // Guests (migration.ts) are this scheduler's actors for such a function (the
            // code server kills or wakes actors by pid), at least in its synchronous part.
            this.sched.guestAccess++;
            try {
              return (fn as (s: Scheduler, ...a: unknown[]) => unknown)(this.sched, ...b.args);
            } finally {
              this.sched.guestAccess--;
            }
          })
          .then(
            (v) => this.reply(reqId, kOpOk, v === undefined ? null : v),
            (e: unknown) => this.reply(reqId, kOpError, errorBody(e)),
          );
        return;
      }
      case kOpStop:
        this.stop(reqId, body);
        return;
      default:
        this.reply(reqId, kOpError, { code: 'ERR_SB_BADARG', message: `unknown control op ${op}` });
    }
  }

  private runDeferred(): void {
    this.inDrain++;
    try {
      while (this.deferred.length > 0) {
        const d = this.deferred.shift()!;
        const words = new Int32Array(d.rec.buffer, d.rec.byteOffset, d.rec.length >> 2);
        this.onSignal(d.src, words, 0, d.rec, d.rec.length);
      }
    } finally {
      this.inDrain--;
      this.deferring.length = 0;
    }
  }

  /** Run `fn` after the current slice, as if it had arrived as a record. */
  private later(fn: () => void): void {
    this.pendingLocal.push(fn);
  }
  private readonly pendingLocal: (() => void)[] = [];

  // ---------------------------------------------------------------------------------
  // The loop
  // ---------------------------------------------------------------------------------

  /** Something arrived from outside a slice (a load finished, a spawn): run soon. */
  kick(): void {
    this.kicked = true;
    if (this.parked) this.selfBell.ring();
  }

  private readonly hasWork = (): boolean =>
    this.kicked || this.hasInbound() || this.sched.hasWork() || this.overflowHasRoom() || this.timerDue();

  private timerDue(): boolean {
    const t = this.sched.msUntilNextTimer();
    return t === 0;
  }

  private readonly loop = (): void => {
    this.loopQueued = false;
    if (this.stopped || this.parked) return;
    const s = this.sched;
    const start = performance.now();
    this.lastTurn = start;
    let seg = start; // start of the current busy segment
    let now = start;
    for (;;) {
      this.kicked = false;
      let did = this.drain(kDrainBatch);
      if (this.pendingLocal.length > 0) {
        const fns = this.pendingLocal.splice(0);
        for (const fn of fns) fn();
        did++;
      }
      if (this.stopped) return;
      s.fireDueTimers();
      s.processExits();
      let slices = 0;
      while (slices < kSlicesPerRound && s.runSlice()) {
        slices++;
        if (this.holdNext.length > 0) this.afterSlice();
        s.processExits();
        this.flush();
        // Live migration looks at the load every few ms of busy time (migration.ts, step 1),
        // and the others look at this scheduler's: its stats stay fresh through long rounds
        // (one clock read every 4 slices).
        if (this.migr !== null && (slices & 3) === 0) {
          const t = performance.now();
          if (this.migr.poll(t)) this.flush();
          this.publish(t);
        }
      }
      this.flush();
      now = performance.now();
      if (slices + did > 0 || this.kicked) {
        if (this.migr !== null && this.migr.poll(now)) this.flush();
        if (now - start >= this.quantumMs) {
          // Quantum spent: let the worker's event loop run (imports, callbacks).
          this.busyMs += now - seg;
          this.publish(now);
          this.loopQueued = true;
          setImmediate(this.loop);
          return;
        }
        continue;
      }
      this.busyMs += now - seg;
      // Idle: spin briefly, polling the rings' tails, then park.
      if (this.spinMs > 0 && this.spin(now)) {
        seg = performance.now();
        continue;
      }
      if (this.parkBlocking()) {
        seg = performance.now();
        continue;
      }
      this.park();
      return;
    }
  };

  private spin(start: number): boolean {
    this.stats.setState(kStateSpinning);
    const until = start + this.spinMs;
    let i = 0;
    let now = start;
    let found = false;
    for (;;) {
      if (this.hasInbound() || this.overflowHasRoom() || this.kicked) {
        found = true;
        break;
      }
      if ((++i & 31) === 0) {
        now = performance.now();
        if (this.timerDue()) {
          found = true;
          break;
        }
        if (now >= until) break;
      }
    }
    this.spinTotalMs += performance.now() - start;
    if (found) this.stats.setState(kStateRunning);
    return found;
  }

  /** When `loop` last started from the event loop (setImmediate, an async unpark). */
  private lastTurn = 0;

  /**
   * Park blocking for up to kBlockParkMs (see there). Returns true if it woke with work (or
   * may have some): the caller loops on at once. False: not allowed now (the event loop is
   * due a turn, or live migration waits on fences) or nothing came: park asynchronously.
   */
  private parkBlocking(): boolean {
    const now = performance.now();
    if (now - this.lastTurn > kMaxBlockingMs || (this.migr !== null && this.migr.pending)) return false;
    const wait = this.sched.msUntilNextTimer();
    const t = wait < 0 ? kBlockParkMs : Math.min(wait, kBlockParkMs);
    this.parks++;
    this.stats.fields[kStState] = kStateParked;
    const r = this.sleeper.park(this.hasWork, t);
    this.parkedMs += performance.now() - now;
    this.stats.fields[kStState] = kStateRunning;
    return r !== 'timed-out' || t < kBlockParkMs || this.hasWork();
  }

  private park(): void {
    const s = this.sched;
    this.parks++;
    let wait = s.msUntilNextTimer();
    // Moves waiting for their fences (migration.ts, step 3) are polled every millisecond.
    if (this.migr !== null && this.migr.pending) {
      this.migr.progress();
      this.flush();
      if (this.migr.pending && (wait < 0 || wait > 1)) wait = 1;
    }
    this.stats.fields[kStState] = kStateParked;
    this.publish(performance.now());
    this.parked = true;
    this.parkStart = performance.now();
    this.sleeper.parkAsync(this.hasWork, wait < 0 ? Infinity : wait).then(this.unparked);
  }

  private readonly unparked = (): void => {
    this.parked = false;
    this.parkedMs += performance.now() - this.parkStart;
    this.stats.fields[kStState] = kStateRunning;
    if (!this.loopQueued) this.loop();
  };

  private publish(now: number): void {
    if (now - this.lastPublish < 1 && this.stats.fields[kStState] !== kStateParked) return;
    this.lastPublish = now;
    const f = this.stats.fields;
    const s = this.sched;
    const c = s.counters;
    f[kStBusyMs] = this.busyMs;
    f[kStSpinMs] = this.spinTotalMs;
    f[kStParkedMs] = this.parkedMs;
    f[kStRunQueue] = s.runQueueLength;
    f[kStReductions] = c.reductions;
    f[kStMsgsIn] = c.messagesIn;
    f[kStMsgsOut] = c.messagesOut;
    f[kStRecordsIn] = this.recordsIn;
    f[kStRecordsOut] = this.recordsOut;
    f[kStActors] = s.size;
    f[kStSlices] = c.slices;
    f[kStParks] = this.parks;
    f[kStRingFull] = this.ringFull;
    f[kStOverflowBytes] = this.overflowBytes;
    f[kStHeldActors] = this.heldCount;
    f[kStHolds] = this.holds;
    f[kStBlockedWaits] = this.blockedWaits;
    f[kStSpawns] = c.spawns;
    f[kStExits] = c.exits;
    f[kStMigrations] = this.balancer.migrations;
    f[kStRemoteSpawns] = this.remoteSpawns;
    const m = this.migr;
    if (m !== null) {
      f[kStMigrationsOut] = m.migrationsOut;
      f[kStMigrationsIn] = m.migrationsIn;
      f[kStGuests] = m.guests;
      f[kStForwarded] = m.forwarded;
    }
    this.stats.publish();
  }

  private stop(reqId: number, body: unknown): void {
    if (this.stopped) return;
    const reason = (body as { reason?: unknown } | null)?.reason ?? 'shutdown';
    this.sched.shutdown(reason);
    this.flush();
    this.stopped = true;
    this.publishState(kStateStopped);
    this.reply(reqId, kOpOk, true);
    this.flush();
    Atomics.store(this.control, kCtlAliveBase + this.index, 0);
    parentPort?.off('message', this.keepAlive);
    parentPort?.unref();
  }

  private publishState(state: number): void {
    this.stats.fields[kStState] = state;
    this.lastPublish = -Infinity;
    this.publish(performance.now());
    this.stats.setState(state);
  }
}

/** An error as a plain body for a CONTROL reply (rebuilt as a typed error by the gateway). */
export function errorBody(e: unknown): { code: string; message: string; option?: string; name?: string } {
  if (e instanceof SwitchboardError) {
    const extra = e as unknown as { option?: string; registeredName?: string };
    return { code: e.code, message: e.message, option: extra.option, name: extra.registeredName };
  }
  return { code: 'ERR_SB_INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/** Entry point, called by worker-entry.mjs with the workerData. */
export function runWorker(setup: WorkerSetup): WorkerHost {
  const host = new WorkerHost(setup);
  host.start();
  parentPort?.postMessage({ type: 'ready', index: setup.index });
  return host;
}
