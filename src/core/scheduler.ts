/**
 * Scheduler: runs actors on one thread, in slices of a reduction budget.
 *
 * It is a plain single-threaded object: a unit test can create one, spawn actors, and
 * drive it with `runUntilIdle()` and a manual clock; an embedding drives it from the
 * event loop with `start()`. The threads layer hosts one per worker.
 *
 * The loop (`runSlice`):
 *   1. Pick an actor: the high queue first; then normal, except that every 8th pick goes
 *      to the low queue when it has work (low runs less often, as on the BEAM).
 *   2. Give it `budget` reductions (the ReductionCounter shared with instrumented code).
 *   3. Handler style: take messages in order and call `handle` until the mailbox is empty
 *      or the budget is spent. Process style: resume the generator; each `yield
 *      ctx.receive(...)` scans the mailbox from where the last scan stopped.
 *   4. If it still has work, it goes to the back of its queue; else it waits.
 *   5. An exception ends the actor with a tagged reason; it never escapes the scheduler.
 * Between slices, due timers fire and exiting actors are finalised (links and monitors
 * fire then, from a queue, so a long chain of links never recurses deeply).
 *
 * Costs in reductions: 1 per message handled or generator resume, 1 per send, 10 per
 * spawn, plus whatever instrumented code and `ctx.bumpReductions(n)` add.
 *
 * Hot code reload: a handler-style actor whose Behaviour was superseded (`upgrade` set by
 * the code server, see behaviour.ts) moves to the new version at the start of its next
 * slice — one pointer compare per slice; loads complete only between slices, so that is
 * every message boundary where the version can have changed.
 *
 * Hot path (send → deliver → pick → handle): no allocation but the message copy.
 */
import {
  Actor, ActorExt, ActorTimer, kInit, kWaiting, kRunnable, kRunning, kLoading, kExiting, kDead,
  fQueued, fTrapExit, fProcess, fLimits, fStarted, kPriorityHigh, kPriorityNormal, kPriorityLow,
  kTimerSend, kTimerReceive, kTimerCallback, kStatusNames, kPriorityNames, type Priority,
} from './actor.ts';
import { Behaviour, BehaviourKind, behaviourOf, loadBehaviour, loadedBehaviour, type BehaviourRef } from './behaviour.ts';
import { Context, RECEIVE, initContext } from './context.ts';
import { copyMessage, lastCopyBytes, estimateSize } from './copy.ts';
import {
  BadArgError, InvalidOptionError, NameTakenError, NoProcError, NotInActorError, NotRegisteredError,
} from './errors.ts';
import { matches } from './pattern.ts';
import { Pid, Ref, pidEquals } from './pid.ts';
import { ExitException, TIMEOUT, errorReason, type DownMessage, type ExitMessage } from './reason.ts';
import { reductions, RunawaySignal, PREEMPT, kDefaultMaxReductionsPerMessage } from './reductions.ts';
import { Registry } from './registry.ts';
import { RunQueue } from './run-queue.ts';
import { TimerWheel } from './timer-wheel.ts';

export interface SchedulerOptions {
  /** Reductions per slice (the BEAM uses 4000). */
  readonly budget: number;
  /** Hard limit of reductions for one message of synchronous instrumented code. */
  readonly maxReductionsPerMessage: number;
  /** Default heap limit in bytes for every actor (0 = none). */
  readonly maxHeapSize: number;
  /** Milliseconds the event-loop driver runs before yielding to I/O. */
  readonly maxBusyMs: number;
  /** Clock in milliseconds (default: performance.now). */
  readonly clock: (() => number) | null;
  /** This scheduler's index on the node, and the number of pid-owning endpoints. */
  readonly index: number;
  readonly stride: number;
}

export const defaultSchedulerOptions: SchedulerOptions = Object.freeze({
  budget: 4000,
  maxReductionsPerMessage: kDefaultMaxReductionsPerMessage,
  maxHeapSize: 0,
  maxBusyMs: 5,
  clock: null,
  index: 0,
  stride: 1,
});

const validators: { [K in keyof SchedulerOptions]: (v: unknown) => string | null } = {
  budget: (v) => (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 1e9 ? null : 'must be an integer from 1 to 1e9'),
  maxReductionsPerMessage: (v) => (Number.isInteger(v) && (v as number) >= 1 ? null : 'must be a positive integer'),
  maxHeapSize: (v) => (Number.isInteger(v) && (v as number) >= 0 ? null : 'must be a non-negative integer (bytes; 0 = none)'),
  maxBusyMs: (v) => (typeof v === 'number' && v > 0 && v <= 1000 ? null : 'must be a number of milliseconds in (0, 1000]'),
  clock: (v) => (v === null || typeof v === 'function' ? null : 'must be a function returning milliseconds'),
  index: (v) => (Number.isInteger(v) && (v as number) >= 0 ? null : 'must be a non-negative integer'),
  stride: (v) => (Number.isInteger(v) && (v as number) >= 1 ? null : 'must be a positive integer'),
};

export function validateSchedulerOptions(opts: Partial<SchedulerOptions> | undefined): SchedulerOptions {
  if (opts === undefined) return defaultSchedulerOptions;
  if (typeof opts !== 'object' || opts === null) throw new InvalidOptionError('options', 'options must be an object');
  const out: Record<string, unknown> = { ...defaultSchedulerOptions };
  for (const k of Object.keys(opts)) {
    const check = validators[k as keyof SchedulerOptions];
    if (check === undefined) throw new InvalidOptionError(k, `unknown scheduler option "${k}"`);
    const v = (opts as Record<string, unknown>)[k];
    if (v === undefined) continue; // undefined means the default, as for spawn options
    const err = check(v);
    if (err !== null) throw new InvalidOptionError(k, `option "${k}" ${err}`);
    out[k] = v;
  }
  return Object.freeze(out as unknown as SchedulerOptions);
}

export interface SpawnOptions {
  link?: boolean;
  priority?: Priority;
  trapExit?: boolean;
  /** Kill the actor with {kind:'maxHeapSize'} when mailbox + state exceed this many bytes. */
  maxHeapSize?: number;
  /** Bound the mailbox to this many messages. */
  maxMailbox?: number;
  /** What happens to a message arriving at a full mailbox: dropped, or the actor is killed. */
  mailboxPolicy?: 'drop-newest' | 'kill';
  maxReductionsPerMessage?: number;
  /** Register the new actor under this name (atomically with the spawn). */
  name?: string;
  /**
   * Multi-thread node (src/threads): the scheduler to run the actor on (its parent's by
   * default). Ignored by a node with one scheduler in the calling thread (LocalNode).
   */
  scheduler?: number;
}

const spawnOptionValidators: Record<string, (v: unknown) => string | null> = {
  link: (v) => (typeof v === 'boolean' ? null : 'must be a boolean'),
  trapExit: (v) => (typeof v === 'boolean' ? null : 'must be a boolean'),
  priority: (v) => (v === 'high' || v === 'normal' || v === 'low' ? null : "must be 'high', 'normal' or 'low'"),
  maxHeapSize: (v) => (Number.isInteger(v) && (v as number) >= 0 ? null : 'must be a non-negative integer (bytes)'),
  maxMailbox: (v) => (Number.isInteger(v) && (v as number) >= 1 ? null : 'must be a positive integer (messages)'),
  mailboxPolicy: (v) => (v === 'drop-newest' || v === 'kill' ? null : "must be 'drop-newest' or 'kill'"),
  maxReductionsPerMessage: (v) => (Number.isInteger(v) && (v as number) >= 1 ? null : 'must be a positive integer'),
  name: (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a non-empty string'),
  scheduler: (v) => (Number.isInteger(v) && (v as number) >= 0 ? null : 'must be a scheduler index'),
};

export function validateSpawnOptions(opts: SpawnOptions | undefined): void {
  if (opts === undefined) return;
  if (typeof opts !== 'object' || opts === null) throw new InvalidOptionError('options', 'spawn options must be an object');
  for (const k of Object.keys(opts)) {
    const check = spawnOptionValidators[k];
    if (check === undefined) throw new InvalidOptionError(k, `unknown spawn option "${k}"`);
    const v = (opts as Record<string, unknown>)[k];
    if (v === undefined) continue;
    const err = check(v);
    if (err !== null) throw new InvalidOptionError(k, `spawn option "${k}" ${err}`);
  }
}

export interface ProcessInfo {
  pid: Pid;
  status: (typeof kStatusNames)[number];
  messageQueueLen: number;
  reductions: number;
  messagesIn: number;
  messagesOut: number;
  /** Bytes: mailbox estimate + state estimate + the record itself. */
  memory: number;
  links: Pid[];
  monitors: Ref[];
  monitoredBy: Pid[];
  trapExit: boolean;
  priority: Priority;
  behaviour: string;
  /** Whether the behaviour's module was compiled with reduction counting. */
  instrumented: boolean;
  registeredName: string | null;
  /** Process style: waiting in a receive. */
  inReceive: boolean;
  dropped: number;
}

export interface SchedulerCounters {
  reductions: number;
  slices: number;
  messagesIn: number;
  messagesOut: number;
  messagesDropped: number;
  spawns: number;
  exits: number;
  timersFired: number;
}

/**
 * Where a scheduler sends what is addressed to a pid owned by another endpoint of its node
 * (another scheduler's thread, or the embedding thread): the threads layer implements it
 * (src/threads/worker-host.ts). Null on a node with a single scheduler, which then drops
 * sends to pids it does not own, as before. The inbound side is `remoteExit` and the
 * public `lookupId` / `deliver`.
 */
export interface Outbound {
  /** A message (not yet copied: the encoding is the copy). May throw UnsendableError. */
  send(to: Pid, msg: unknown): void;
  /** An exit signal; `viaLink` when it comes from a linked process's exit. */
  exit(to: Pid, from: Pid, reason: unknown, viaLink: boolean): void;
  link(to: Pid, from: Pid): void;
  unlink(to: Pid, from: Pid): void;
  monitor(to: Pid, watcher: Pid, ref: Ref): void;
  demonitor(to: Pid, ref: Ref): void;
  /** The DOWN message of a monitor `to` holds on `pid`. */
  down(to: Pid, ref: Ref, pid: Pid, reason: unknown): void;
}

const kRecordBytes = 160;
const kLowEvery = 8;
/** Timed-out call refs remembered per actor to drop their late replies (see expireCall). */
const kMaxExpiredCalls = 1024;
const kNoSpawnOptions: SpawnOptions = Object.freeze({});

export class Scheduler {
  readonly options: SchedulerOptions;
  readonly index: number;
  readonly stride: number;
  readonly registry: Registry;
  readonly ctx: Context;
  readonly counters: SchedulerCounters = {
    reductions: 0, slices: 0, messagesIn: 0, messagesOut: 0, messagesDropped: 0, spawns: 0, exits: 0, timersFired: 0,
  };
  /** The actor running right now, or null. */
  current: Actor | null = null;
  /** Called whenever work arrives from outside a slice (the driver wakes up). */
  onWork: (() => void) | null = null;
  /** Called for every actor that ends (after links and monitors fired). */
  onExit: ((pid: Pid, reason: unknown) => void) | null = null;
  /** Routing to the other endpoints of a multi-thread node (see Outbound), or null. */
  outbound: Outbound | null = null;
  /**
   * Threads layer (src/threads/placement.ts): given a spawn by the running actor, returns
   * the pid of an actor it placed on another scheduler, or null to spawn it here.
   */
  placer: ((target: unknown, args: readonly unknown[], opts: SpawnOptions | undefined) => Pid | null) | null = null;
  /** Threads layer: hands out fresh slots from a node-wide counter (other threads reserve slots too). */
  slotSource: (() => number) | null = null;
  /**
   * Threads layer, live migration (src/threads/migration.ts). `guests`: actors of another
   * scheduler's pid space running here, by id (null until the first one arrives). They are
   * found by `lookupId` (ring records) and by `lookup` only for themselves (the running
   * actor) or while `guestAccess` > 0 (the host handles ring records): every other local
   * sender reaches a guest through its home's forwarding entry, so per-pair order holds.
   * `movedOut`: ids of this scheduler's actors that moved away (their slot stays reserved);
   * `foreign()` is true for them, so the outbound routes their records to the host.
   */
  guests: Map<number, Actor> | null = null;
  guestAccess = 0;
  movedOut: Map<number, unknown> | null = null;
  /** Called after a guest ended here (its home drops the forwarding entry). */
  onGuestExit: ((pid: Pid) => void) | null = null;
  private migrationCursor = 0;

  private readonly table: (Actor | undefined)[] = [];
  private readonly serials: number[] = [];
  private readonly freeSlots: number[] = [];
  private readonly queues = [new RunQueue<Actor>(), new RunQueue<Actor>(), new RunQueue<Actor>()];
  private readonly exiting = new RunQueue<Actor>();
  private readonly wheel: TimerWheel<ActorTimer>;
  private readonly timersByRef = new Map<Ref, ActorTimer>();
  private readonly clock: () => number;
  private readonly fireTimer = (t: ActorTimer): void => this.onTimer(t);
  private lowSkip = 0;
  private refSerial = 0;
  private alive = 0;
  private driver: DriverState | null = null;

  constructor(options?: Partial<SchedulerOptions>, registry?: Registry) {
    this.options = validateSchedulerOptions(options);
    this.index = this.options.index;
    this.stride = this.options.stride;
    this.registry = registry ?? new Registry();
    this.ctx = new Context(this);
    this.clock = this.options.clock ?? (() => performance.now());
    this.wheel = new TimerWheel<ActorTimer>(this.clock());
  }

  // ---------------------------------------------------------------------------------
  // API: processes
  // ---------------------------------------------------------------------------------

  /** Number of live actors. */
  get size(): number {
    return this.alive;
  }

  now(): number {
    return this.clock();
  }

  makeRef(): Ref {
    return new Ref(0, this.index, ++this.refSerial);
  }

  /**
   * Spawn an actor. `target` is a Behaviour, a closure (handler object or generator
   * function) or a `{ module, export }` reference. `parent` is the spawning actor, if any.
   */
  spawn(target: unknown, args: readonly unknown[] = [], opts?: SpawnOptions): Pid {
    const beh = behaviourOf(target);
    validateSpawnOptions(opts);
    if (!Array.isArray(args)) throw new BadArgError('spawn: args must be an array');
    if (opts?.name !== undefined) this.registry.check(opts.name);
    const parent = this.current;
    if (parent !== null && this.placer !== null) {
      const placed = this.placer(target, args, opts);
      if (placed !== null) return placed;
    }
    if (parent !== null) reductions.left -= 10;
    const actor = this.allocate(beh instanceof Behaviour ? beh : null);
    if (opts !== undefined) this.applyOptions(actor, opts);
    else if (this.options.maxHeapSize > 0) this.applyOptions(actor, kNoSpawnOptions);
    if (args.length > 0) actor.x().args = args.slice();
    if (parent !== null) actor.x().parent = parent.pid;
    this.counters.spawns++;
    if (opts?.name !== undefined) this.registerActor(opts.name, actor);
    if (opts?.link === true && parent !== null) this.linkActors(parent, actor);
    if (beh instanceof Behaviour) {
      this.startActor(actor, beh);
    } else {
      this.startLoading(actor, beh);
    }
    if (parent === null) this.wake();
    return actor.pid;
  }

  /** Spawn and monitor in one step (the monitor is held by the current actor). */
  spawnMonitor(target: unknown, args: readonly unknown[] = [], opts?: SpawnOptions): [Pid, Ref] {
    this.requireCurrent('spawnMonitor');
    const pid = this.spawn(target, args, opts);
    return [pid, this.monitor(pid)];
  }

  /** Send `msg` to a pid or registered name. A dead pid drops the message (as in Erlang). */
  send(to: Pid | string, msg: unknown): void {
    let actor: Actor | undefined;
    if (to instanceof Pid) {
      actor = this.lookup(to);
      if (actor === undefined && this.outbound !== null && this.foreign(to)) return this.sendOut(to, msg);
    } else if (typeof to === 'string') {
      const pid = this.registry.whereis(to);
      if (pid === undefined) throw new NotRegisteredError(to);
      actor = this.lookup(pid);
      if (actor === undefined && this.outbound !== null && this.foreign(pid)) return this.sendOut(pid, msg);
    } else {
      throw new BadArgError(`send: destination must be a pid or a registered name, got ${describe(to)}`);
    }
    const copy = copyMessage(msg);
    const cur = this.current;
    if (cur !== null) {
      cur.msgsOut++;
      reductions.left--;
    }
    this.counters.messagesOut++;
    if (actor === undefined || actor.status >= kExiting) {
      this.counters.messagesDropped++;
      return;
    }
    this.deliver(actor, copy, lastCopyBytes);
    if (cur === null) this.wake();
  }

  /** Send to a pid of another endpoint of this node: costs as a local send. */
  private sendOut(to: Pid, msg: unknown): void {
    this.outbound!.send(to, msg);
    const cur = this.current;
    if (cur !== null) {
      cur.msgsOut++;
      reductions.left--;
    }
    this.counters.messagesOut++;
  }

  /** Is `pid` owned by another endpoint of this (multi-thread) node? */
  foreign(pid: Pid): boolean {
    return this.outbound !== null && pid.node === 0 && (pid.id % this.stride !== this.index || (this.movedOut !== null && this.movedOut.has(pid.id)));
  }

  /** Deliver an already-copied message (used by timers and by the threads layer). */
  deliver(actor: Actor, msg: unknown, bytes: number): void {
    if ((actor.flags & fLimits) !== 0 && !this.admit(actor, bytes)) return;
    if (actor.ext !== null && actor.ext.expiredCalls !== null && this.isExpiredReply(actor.ext, msg)) return;
    actor.push(msg);
    actor.msgsIn++;
    this.counters.messagesIn++;
    if (actor.status === kWaiting) this.makeRunnable(actor);
  }

  /**
   * Send an exit signal from `from` (default: the current actor) to `pid`. From outside
   * any actor, without `from`, the sender is no process: 'normal' is then ignored by a
   * non-trapping target, as for a signal from another process.
   */
  exit(pid: Pid, reason: unknown, from?: Pid): void {
    if (!(pid instanceof Pid)) throw new BadArgError(`exit: expected a pid, got ${describe(pid)}`);
    const cur = this.current;
    const sender = from ?? (cur !== null ? cur.pid : outsidePid);
    const target = this.lookup(pid);
    if (target === undefined) {
      if (this.foreign(pid)) this.outbound!.exit(pid, sender, reason, false);
      return;
    }
    this.exitSignal(target, sender, reason, false);
    if (cur !== null && target === cur && cur.status === kExiting) {
      // The running actor ended itself: stop its code now.
      throw new ExitException(cur.x().exitReason);
    }
    if (cur === null) this.wake();
  }

  link(pid: Pid): void {
    const cur = this.requireCurrent('link');
    if (!(pid instanceof Pid)) throw new BadArgError(`link: expected a pid, got ${describe(pid)}`);
    if (pidEquals(pid, cur.pid)) return;
    const other = this.lookup(pid);
    if (other === undefined && this.foreign(pid)) {
      // Linked now on this side; the owner answers an exit signal 'noproc' if it is gone.
      (cur.x().links ??= new Set()).add(pid);
      this.outbound!.link(pid, cur.pid);
      return;
    }
    if (other === undefined || other.status >= kExiting) {
      this.exitSignal(cur, pid, 'noproc', true);
      if (cur.status === kExiting) throw new ExitException('noproc');
      return;
    }
    this.linkActors(cur, other);
  }

  unlink(pid: Pid): void {
    const cur = this.requireCurrent('unlink');
    if (!(pid instanceof Pid)) throw new BadArgError(`unlink: expected a pid, got ${describe(pid)}`);
    const links = cur.ext?.links;
    // The set holds the canonical pid; `pid` may be an equal copy (decoded, parsed).
    if (links != null && !links.delete(pid)) {
      for (const p of links) {
        if (pidEquals(p, pid)) {
          links.delete(p);
          break;
        }
      }
    }
    const other = this.lookup(pid);
    other?.ext?.links?.delete(cur.pid);
    if (other === undefined && this.foreign(pid)) this.outbound!.unlink(pid, cur.pid);
  }

  /** Monitor `target` (a pid or registered name) from the current actor. */
  monitor(target: Pid | string): Ref {
    const cur = this.requireCurrent('monitor');
    let pid: Pid | undefined;
    if (target instanceof Pid) pid = target;
    else if (typeof target === 'string') pid = this.registry.whereis(target);
    else throw new BadArgError(`monitor: expected a pid or a registered name, got ${describe(target)}`);
    const ref = this.makeRef();
    const watched = pid === undefined ? undefined : this.lookup(pid);
    if (watched === undefined && pid !== undefined && this.foreign(pid)) {
      // The owner answers DOWN 'noproc' if it is gone.
      (cur.x().monitors ??= new Map()).set(ref, pid);
      this.outbound!.monitor(pid, cur.pid, ref);
      return ref;
    }
    if (watched === undefined || watched.status >= kExiting) {
      const down: DownMessage = Object.freeze({ type: 'DOWN', ref, pid: pid ?? deadNamePid, reason: 'noproc' });
      this.deliver(cur, down, 64);
      return ref;
    }
    const x = watched.x();
    (x.monitoredBy ??= new Map()).set(ref, cur.pid);
    (cur.x().monitors ??= new Map()).set(ref, watched.pid);
    return ref;
  }

  /**
   * Monitor `target` on behalf of `watcher` (a live local actor), from outside any slice:
   * used by embedding APIs whose gateway actor waits for call replies.
   */
  monitorAs(watcher: Pid, target: Pid): Ref {
    const w = this.lookup(watcher);
    if (w === undefined || w.status >= kExiting) throw new NoProcError(watcher);
    const prev = this.current;
    this.current = w;
    try {
      return this.monitor(target);
    } finally {
      this.current = prev;
      // A dead target gives the watcher its DOWN now: run it (from outside a slice).
      if (prev === null) this.wake();
    }
  }

  /** Remove a monitor held by `watcher` (see `monitorAs`). */
  demonitorAs(watcher: Pid, ref: Ref): void {
    const w = this.lookup(watcher);
    if (w === undefined) return;
    const target = w.ext?.monitors?.get(ref);
    if (target === undefined) return;
    w.ext!.monitors!.delete(ref);
    this.lookup(target)?.ext?.monitoredBy?.delete(ref);
    if (this.foreign(target)) this.outbound!.demonitor(target, ref);
  }

  /** Remove a monitor; with `flush`, also remove its DOWN message if already delivered. */
  demonitor(ref: Ref, opts?: { flush?: boolean }): boolean {
    const cur = this.requireCurrent('demonitor');
    if (!(ref instanceof Ref)) throw new BadArgError(`demonitor: expected a ref, got ${describe(ref)}`);
    const target = cur.ext?.monitors?.get(ref);
    let removed = false;
    if (target !== undefined) {
      cur.ext!.monitors!.delete(ref);
      this.lookup(target)?.ext?.monitoredBy?.delete(ref);
      if (this.foreign(target)) this.outbound!.demonitor(target, ref);
      removed = true;
    }
    if (opts?.flush === true) {
      for (let i = 0; i < cur.mlen; i++) {
        const m = cur.at(i) as DownMessage;
        if (typeof m === 'object' && m !== null && m.type === 'DOWN' && m.ref === ref) {
          this.removeMessage(cur, i);
          break;
        }
      }
    }
    return removed;
  }

  setTrapExit(flag: boolean): boolean {
    const cur = this.requireCurrent('trapExit');
    const old = (cur.flags & fTrapExit) !== 0;
    if (flag) cur.flags |= fTrapExit;
    else cur.flags &= ~fTrapExit;
    return old;
  }

  setPriority(priority: Priority): Priority {
    const cur = this.requireCurrent('setPriority');
    const p = kPriorityNames.indexOf(priority);
    if (p < 0) throw new BadArgError(`setPriority: expected 'high', 'normal' or 'low', got ${describe(priority)}`);
    const old = kPriorityNames[cur.priority];
    cur.priority = p;
    return old;
  }

  // ---------------------------------------------------------------------------------
  // API: registry
  // ---------------------------------------------------------------------------------

  register(name: string, pid: Pid): void {
    this.registry.check(name);
    if (!(pid instanceof Pid)) throw new BadArgError(`register: expected a pid, got ${describe(pid)}`);
    const actor = this.lookup(pid);
    if (actor === undefined || actor.status >= kExiting) throw new NoProcError(pid);
    this.registerActor(name, actor);
  }

  unregister(name: string): void {
    const pid = this.registry.whereis(name);
    if (pid === undefined) throw new NotRegisteredError(name);
    this.registry.remove(name);
    const actor = this.lookup(pid);
    if (actor?.ext) actor.ext.name = null;
  }

  whereis(name: string): Pid | undefined {
    return this.registry.whereis(name);
  }

  // ---------------------------------------------------------------------------------
  // API: timers
  // ---------------------------------------------------------------------------------

  /** Send `msg` to `to` after `ms` milliseconds. The message is copied now. */
  sendAfter(ms: number, to: Pid | string, msg: unknown): Ref {
    if (typeof ms !== 'number' || !(ms >= 0) || !Number.isFinite(ms)) throw new BadArgError(`sendAfter: ms must be a finite number >= 0, got ${describe(ms)}`);
    if (!(to instanceof Pid) && typeof to !== 'string') throw new BadArgError(`sendAfter: destination must be a pid or a name, got ${describe(to)}`);
    const t = new ActorTimer();
    t.kind = kTimerSend;
    t.target = to;
    t.msg = copyMessage(msg);
    t.bytes = lastCopyBytes;
    t.ref = this.makeRef();
    this.timersByRef.set(t.ref, t);
    this.wheel.insert(t, this.clock() + ms);
    if (this.current === null) this.wake();
    return t.ref;
  }

  /** Run `fn` on this thread after `ms` (driver-level; used by the embedding API). */
  callAfter(ms: number, fn: () => void): ActorTimer {
    const t = new ActorTimer();
    t.kind = kTimerCallback;
    t.callback = fn;
    this.wheel.insert(t, this.clock() + ms);
    this.wake();
    return t;
  }

  cancelCallback(t: ActorTimer): void {
    this.wheel.cancel(t);
  }

  /** Cancel a `sendAfter` timer. Returns the ms that were left, or false if it already fired. */
  cancelTimer(ref: Ref): number | false {
    if (!(ref instanceof Ref)) throw new BadArgError(`cancelTimer: expected a ref, got ${describe(ref)}`);
    const t = this.timersByRef.get(ref);
    if (t === undefined) return false;
    this.timersByRef.delete(ref);
    this.wheel.cancel(t);
    return Math.max(0, t.deadline - this.clock());
  }

  /** Pending timers (for tests and stats). */
  get pendingTimers(): number {
    return this.wheel.size;
  }

  // ---------------------------------------------------------------------------------
  // API: introspection
  // ---------------------------------------------------------------------------------

  isAlive(pid: Pid): boolean {
    const a = this.lookup(pid);
    return a !== undefined && a.status < kExiting;
  }

  processes(): Pid[] {
    const out: Pid[] = [];
    for (const a of this.table) if (a !== undefined && a.status < kDead) out.push(a.pid);
    if (this.guests !== null) for (const a of this.guests.values()) if (a.status < kDead) out.push(a.pid);
    return out;
  }

  processInfo(pid: Pid): ProcessInfo | undefined {
    const a = this.lookup(pid);
    if (a === undefined || a.status === kDead) return undefined;
    const x = a.ext;
    let mailboxBytes = 0;
    for (let i = 0; i < a.mlen; i++) mailboxBytes += estimateSize(a.at(i));
    const stateBytes = (a.flags & fProcess) !== 0 ? 256 : estimateSize(a.state);
    const beh = a.behaviour;
    return {
      pid: a.pid,
      status: kStatusNames[a.status],
      messageQueueLen: a.mlen,
      reductions: a.reductions,
      messagesIn: a.msgsIn,
      messagesOut: a.msgsOut,
      memory: kRecordBytes + mailboxBytes + stateBytes,
      links: x?.links ? [...x.links] : [],
      monitors: x?.monitors ? [...x.monitors.keys()] : [],
      monitoredBy: x?.monitoredBy ? [...x.monitoredBy.values()] : [],
      trapExit: (a.flags & fTrapExit) !== 0,
      priority: kPriorityNames[a.priority],
      behaviour: beh === null ? 'loading' : beh.label,
      instrumented: beh !== null && beh.module !== null && reductions.instrumented.has(beh.module),
      registeredName: x?.name ?? null,
      inReceive: x?.inReceive ?? false,
      dropped: x?.dropped ?? 0,
    };
  }

  // ---------------------------------------------------------------------------------
  // API: hot code reload (used by src/otp/code-server.ts)
  // ---------------------------------------------------------------------------------

  /** The live actors whose behaviour is one of `behaviours`. */
  actorsRunning(behaviours: ReadonlySet<Behaviour>): Pid[] {
    const out: Pid[] = [];
    for (const a of this.table) {
      if (a !== undefined && a.status < kExiting && a.behaviour !== null && behaviours.has(a.behaviour)) out.push(a.pid);
    }
    if (this.guests !== null) {
      for (const a of this.guests.values()) if (a.status < kExiting && a.behaviour !== null && behaviours.has(a.behaviour)) out.push(a.pid);
    }
    return out;
  }

  /**
   * Let a waiting handler-style actor run a slice now, even with an empty mailbox, so it
   * moves to the new version of its behaviour at once. No effect on other actors.
   */
  runSoon(pid: Pid): void {
    const a = this.lookup(pid);
    if (a === undefined || a.status !== kWaiting || (a.flags & fProcess) !== 0) return;
    this.makeRunnable(a);
    if (this.current === null) this.wake();
  }

  /**
   * End `pid` with `reason` whatever its trapExit flag (untrappable, as 'kill', but with a
   * tagged reason); its terminate callback is not called: its code is being purged.
   * Returns false if it was not alive. Not for the running actor (use ctx.exit).
   */
  kill(pid: Pid, reason: unknown): boolean {
    const a = this.lookup(pid);
    if (a === undefined || a.status >= kExiting) return false;
    if (a === this.current) throw new BadArgError('kill: the running actor cannot be killed this way; use ctx.exit(reason)');
    a.flags &= ~fStarted;
    this.beginExit(a, reason);
    return true;
  }

  /** Length of the run queues (all priorities). */
  get runQueueLength(): number {
    return this.queues[0].length + this.queues[1].length + this.queues[2].length;
  }

  // ---------------------------------------------------------------------------------
  // Driving
  // ---------------------------------------------------------------------------------

  /**
   * Run until no actor is runnable and no exit is pending. Fires timers that are due now
   * but does not wait for future ones. Returns the number of slices run.
   */
  runUntilIdle(maxSlices = Infinity): number {
    let n = 0;
    for (;;) {
      this.fireDueTimers();
      this.processExits();
      if (n >= maxSlices || !this.runSlice()) break;
      n++;
    }
    return n;
  }

  /** Fire the timers due at the current clock time. */
  fireDueTimers(): number {
    if (this.wheel.size === 0) return 0;
    return this.wheel.advance(this.clock(), this.fireTimer);
  }

  /** Milliseconds until the next timer, -1 if none. */
  msUntilNextTimer(): number {
    const d = this.wheel.nextDeadline();
    if (d < 0) return -1;
    return Math.max(0, d - this.clock());
  }

  /** Whether anything is runnable or exiting. */
  hasWork(): boolean {
    return this.runQueueLength > 0 || this.exiting.length > 0;
  }

  /**
   * Drive this scheduler from the Node.js event loop: run slices for up to `maxBusyMs`,
   * then yield to I/O; sleep on a timer until the next deadline when idle. Holds no
   * handle while there is nothing to do, so the process can exit.
   */
  start(): void {
    if (this.driver !== null) return;
    const d: DriverState = { immediate: null, timeout: null, timeoutAt: -1, stopped: false };
    this.driver = d;
    this.onWork = () => this.schedulePump();
    this.schedulePump();
  }

  stop(): void {
    const d = this.driver;
    if (d === null) return;
    d.stopped = true;
    if (d.immediate !== null) clearImmediate(d.immediate);
    if (d.timeout !== null) clearTimeout(d.timeout);
    this.driver = null;
    this.onWork = null;
  }

  /** Kill every actor (reason `shutdown` unless given) and finalise them. */
  shutdown(reason: unknown = 'shutdown'): void {
    for (const a of this.table) {
      if (a !== undefined && a.status < kExiting) this.beginExit(a, reason);
    }
    if (this.guests !== null) for (const a of [...this.guests.values()]) if (a.status < kExiting) this.beginExit(a, reason);
    this.processExits();
    for (const t of this.timersByRef.values()) this.wheel.cancel(t);
    this.timersByRef.clear();
    // Drop the run-queue entries of the dead (kept by finalize), keeping any live actor a
    // terminate callback may have spawned.
    for (const q of this.queues) {
      for (let n = q.length; n > 0; n--) {
        const a = q.shift()!;
        if (a.status === kDead) a.flags &= ~fQueued;
        else q.push(a);
      }
    }
  }

  private schedulePump(): void {
    const d = this.driver;
    if (d === null || d.stopped || d.immediate !== null) return;
    if (d.timeout !== null) {
      clearTimeout(d.timeout);
      d.timeout = null;
    }
    d.immediate = setImmediate(this.pump);
  }

  private readonly pump = (): void => {
    const d = this.driver;
    if (d === null) return;
    d.immediate = null;
    const until = this.clock() + this.options.maxBusyMs;
    let n = 0;
    for (;;) {
      if ((n & 63) === 0) {
        this.fireDueTimers();
        if (n > 0 && this.clock() >= until) break;
      }
      this.processExits();
      if (!this.runSlice()) {
        this.fireDueTimers();
        this.processExits();
        if (!this.hasWork()) break;
      }
      n++;
    }
    if (d.stopped) return;
    if (this.hasWork()) {
      d.immediate = setImmediate(this.pump);
      return;
    }
    const wait = this.msUntilNextTimer();
    if (wait >= 0) {
      d.timeout = setTimeout(() => {
        d.timeout = null;
        this.schedulePump();
      }, Math.max(1, Math.ceil(wait)));
    }
  };

  private wake(): void {
    if (this.onWork !== null) this.onWork();
  }

  /** Run one actor for one slice. Returns false when nothing was runnable. */
  runSlice(): boolean {
    const actor = this.pick();
    if (actor === undefined) return false;
    actor.flags &= ~fQueued;
    if (actor.status !== kRunnable) return true; // exited while queued
    if (actor.ext !== null && actor.ext.suspended) {
      actor.status = kWaiting;
      return true;
    }
    const budget = this.options.budget;
    const R = reductions;
    R.left = budget;
    R.overrun = 0;
    R.kill = 0;
    R.messageStart = -budget;
    R.limit = actor.ext !== null && actor.ext.maxReductionsPerMessage > 0 ? actor.ext.maxReductionsPerMessage : this.options.maxReductionsPerMessage;
    this.current = actor;
    actor.status = kRunning;
    try {
      if ((actor.flags & fProcess) !== 0) this.runProcess(actor);
      else this.runHandler(actor);
    } catch (e) {
      this.crash(actor, e);
    }
    this.current = null;
    const spent = R.spent(budget);
    actor.reductions += spent;
    this.counters.reductions += spent;
    this.counters.slices++;
    if (actor.status === kRunning) {
      if ((actor.flags & fLimits) !== 0 && actor.ext!.maxHeapSize > 0) this.checkHeap(actor);
    }
    if (actor.status === kRunning) {
      if ((actor.flags & fProcess) === 0 ? actor.mlen > 0 : processHasWork(actor.ext!, actor.mlen)) {
        this.makeRunnable(actor);
      } else {
        actor.status = kWaiting;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------
  // Internals: running actors
  // ---------------------------------------------------------------------------------

  private pick(): Actor | undefined {
    const q = this.queues;
    if (q[kPriorityHigh].length > 0) return q[kPriorityHigh].shift();
    if (q[kPriorityLow].length > 0 && (q[kPriorityNormal].length === 0 || ++this.lowSkip >= kLowEvery)) {
      this.lowSkip = 0;
      return q[kPriorityLow].shift();
    }
    return q[kPriorityNormal].shift();
  }

  private makeRunnable(actor: Actor): void {
    actor.status = kRunnable;
    if ((actor.flags & fQueued) === 0) {
      actor.flags |= fQueued;
      this.queues[actor.priority].push(actor);
    }
  }

  private runHandler(actor: Actor): void {
    const R = reductions;
    if (actor.behaviour!.upgrade !== null && !this.switchCode(actor)) return;
    const impl = actor.behaviour!.handler!;
    if ((actor.flags & fStarted) === 0) {
      const args = actor.ext?.args;
      if (args) actor.ext!.args = null;
      R.beginMessage();
      initContext.current = this.ctx;
      actor.state = impl.init === undefined ? undefined : args ? impl.init(...args) : impl.init();
      initContext.current = null;
      // Started only once init returned: an actor whose init failed gets no terminate.
      actor.flags |= fStarted;
      R.left--;
    }
    const ctx = this.ctx;
    const track = (actor.flags & fLimits) !== 0;
    while (actor.mlen > 0 && R.left > 0 && actor.status === kRunning) {
      const msg = actor.shift();
      if (track) this.untrack(actor, 0);
      R.beginMessage();
      actor.state = impl.handle(msg, actor.state, ctx);
      R.left--;
    }
  }

  /**
   * Hot code reload: move a handler-style actor to the newest version of its behaviour,
   * turning its state with each newer version's codeChange (see behaviour.ts). An actor
   * whose init has not run yet just switches. Returns false when the actor exits instead,
   * with {kind:'codeChange', module, export, oldVsn, error}.
   */
  private switchCode(actor: Actor): boolean {
    let beh = actor.behaviour!;
    while (beh.upgrade !== null) {
      const up = beh.upgrade;
      const to = up.to;
      let failed = false;
      let error: unknown;
      if (to === null || to.kind !== BehaviourKind.Handler) {
        failed = true;
        error = to === null ? 'undef: the new version does not export it' : 'the new version is not handler-style';
      } else if ((actor.flags & fStarted) !== 0 && to.handler!.codeChange !== undefined) {
        let res: unknown;
        reductions.beginMessage();
        try {
          res = to.handler!.codeChange(up.oldVsn, actor.state, up.extra, this.ctx);
        } catch (e) {
          if (e instanceof RunawaySignal || e instanceof ExitException) throw e;
          res = { error: errorReason(e) };
        }
        reductions.left--;
        if (typeof res === 'object' && res !== null && 'ok' in res) {
          actor.state = (res as { ok: unknown }).ok;
        } else {
          failed = true;
          error = typeof res === 'object' && res !== null && 'error' in res ? (res as { error: unknown }).error : `bad return from codeChange: ${describe(res)}`;
        }
      }
      if (failed) {
        this.beginExit(actor, Object.freeze({ kind: 'codeChange', module: up.module, export: beh.exportName, oldVsn: up.oldVsn, error }));
        return false;
      }
      actor.behaviour = to;
      beh = to!;
    }
    return true;
  }

  private runProcess(actor: Actor): void {
    const R = reductions;
    const x = actor.ext!;
    const gen = actor.state as Generator<unknown, unknown, unknown>;
    let input: unknown = undefined;
    if ((actor.flags & fStarted) === 0) {
      actor.flags |= fStarted;
      R.claimNext = true;
    }
    while (R.left > 0 && actor.status === kRunning) {
      if (x.inReceive) {
        if (x.timedOut) {
          x.timedOut = false;
          x.inReceive = false;
          input = TIMEOUT;
        } else {
          const i = this.findMatch(actor, x);
          if (i < 0) {
            if (x.timeoutMs === 0) {
              x.inReceive = false;
              input = TIMEOUT;
            } else {
              if (x.timeoutMs > 0 && x.timer === null) this.armReceiveTimer(actor, x);
              return; // waits: runSlice sees inReceive with nothing new and parks it
            }
          } else {
            input = this.removeMessage(actor, i);
            x.inReceive = false;
            if (x.timer !== null) {
              this.wheel.cancel(x.timer);
              x.timer = null;
            }
          }
        }
        x.scanFrom = 0;
        x.pattern = undefined;
      }
      R.beginMessage();
      const res = gen.next(input);
      R.claimNext = false;
      R.left--;
      input = undefined;
      if (res.done === true) {
        this.beginExit(actor, 'normal');
        return;
      }
      const v = res.value;
      if (v === RECEIVE) {
        x.inReceive = true;
        x.scanFrom = 0;
        continue;
      }
      if (v === PREEMPT) return;
      this.beginExit(actor, Object.freeze({ kind: 'badyield', value: describe(v) }));
      return;
    }
  }

  private findMatch(actor: Actor, x: ActorExt): number {
    const p = x.pattern;
    const n = actor.mlen;
    for (let i = x.scanFrom; i < n; i++) {
      if (p === undefined || matches(p, actor.at(i))) return i;
    }
    x.scanFrom = n;
    return -1;
  }

  private removeMessage(actor: Actor, i: number): unknown {
    if ((actor.flags & fLimits) !== 0) this.untrack(actor, i);
    return actor.removeAt(i);
  }

  private armReceiveTimer(actor: Actor, x: ActorExt): void {
    // One node per actor, reused: every path that drops x.timer cancels it (unlinks it
    // from the wheel) or fires it, so a node not in the wheel (level < 0) is free.
    let t = x.spareTimer;
    if (t === null || t.level >= 0) {
      t = new ActorTimer();
      t.kind = kTimerReceive;
      t.target = actor;
      x.spareTimer = t;
    }
    x.timer = t;
    this.wheel.insert(t, this.clock() + x.timeoutMs);
  }

  private crash(actor: Actor, e: unknown): void {
    let reason: unknown;
    if (e instanceof ExitException) reason = e.reason;
    else if (e instanceof RunawaySignal) {
      reason = e.cause === 'kill' ? (actor.ext?.exitReason ?? 'killed') : Object.freeze({ kind: 'runaway', reductions: e.reductions });
    } else reason = errorReason(e);
    if (actor.status === kExiting) return; // already marked by a signal
    this.beginExit(actor, reason);
  }

  // ---------------------------------------------------------------------------------
  // Internals: spawning
  // ---------------------------------------------------------------------------------

  private allocate(beh: Behaviour | null, at = -1): Actor {
    let slot = at >= 0 ? at : this.freeSlots.pop();
    if (slot === undefined) slot = this.slotSource === null ? this.table.length : this.slotSource();
    if (slot >= this.table.length) {
      // Serial -1: a slot another thread reserved (placement.ts) and has not spawned in yet.
      while (this.table.length <= slot) {
        this.table.push(undefined);
        this.serials.push(-1);
      }
    }
    if (this.serials[slot]! < 0) this.serials[slot] = 0;
    const pid = new Pid(0, slot * this.stride + this.index, this.serials[slot]);
    const actor = new Actor(pid, slot, beh);
    this.table[slot] = actor;
    this.alive++;
    return actor;
  }

  private applyOptions(actor: Actor, opts: SpawnOptions): void {
    if (opts.priority !== undefined) actor.priority = kPriorityNames.indexOf(opts.priority);
    if (opts.trapExit === true) actor.flags |= fTrapExit;
    const heap = opts.maxHeapSize ?? this.options.maxHeapSize;
    if (heap > 0 || opts.maxMailbox !== undefined) {
      const x = actor.x();
      x.maxHeapSize = heap;
      x.maxMailbox = opts.maxMailbox ?? 0;
      x.dropNewest = opts.mailboxPolicy !== 'kill';
      x.sizes = [];
      actor.flags |= fLimits;
    }
    if (opts.maxReductionsPerMessage !== undefined) actor.x().maxReductionsPerMessage = opts.maxReductionsPerMessage;
  }

  private startActor(actor: Actor, beh: Behaviour): void {
    // A superseded behaviour starts on the current version of its module (hot code reload).
    while (beh.upgrade !== null && beh.upgrade.to !== null) beh = beh.upgrade.to;
    actor.behaviour = beh;
    if (beh.upgrade !== null) {
      this.beginExit(actor, Object.freeze({
        kind: 'undef', module: beh.upgrade.module, export: beh.exportName ?? '?', message: 'the current version of the module does not export it',
      }));
      return;
    }
    if (beh.kind === BehaviourKind.Process) {
      const x = actor.x();
      const args = x.args ?? [];
      x.args = null;
      actor.flags |= fProcess;
      actor.state = beh.process!(this.ctx, ...args);
      this.makeRunnable(actor);
    } else if (beh.handler!.init === undefined) {
      actor.flags |= fStarted;
      actor.status = kWaiting;
      if (actor.mlen > 0) this.makeRunnable(actor);
    } else {
      this.makeRunnable(actor);
    }
  }

  private startLoading(actor: Actor, ref: BehaviourRef): void {
    const hit = loadedBehaviour(ref);
    if (hit !== undefined) {
      this.startActor(actor, hit);
      return;
    }
    actor.status = kLoading;
    loadBehaviour(ref).then(
      (beh) => {
        if (actor.status !== kLoading) return;
        this.startActor(actor, beh);
        this.wake();
      },
      (err: unknown) => {
        if (actor.status !== kLoading) return;
        this.beginExit(actor, Object.freeze({
          kind: 'undef', module: ref.module, export: ref.export, message: err instanceof Error ? err.message : String(err),
        }));
        this.wake();
      },
    );
  }

  private registerActor(name: string, actor: Actor): void {
    const x = actor.x();
    if (x.name !== null) throw new NameTakenError(name, `process ${actor.pid} is already registered as ${x.name}`);
    this.registry.add(name, actor.pid);
    x.name = name;
  }

  private linkActors(a: Actor, b: Actor): void {
    (a.x().links ??= new Set()).add(b.pid);
    (b.x().links ??= new Set()).add(a.pid);
  }

  // ---------------------------------------------------------------------------------
  // Internals: limits
  // ---------------------------------------------------------------------------------

  /** Slow path of delivery for actors with limits. Returns false if the message is not queued. */
  private admit(actor: Actor, bytes: number): boolean {
    const x = actor.ext!;
    if (x.maxMailbox > 0 && actor.mlen >= x.maxMailbox) {
      if (x.dropNewest) {
        x.dropped++;
        this.counters.messagesDropped++;
        return false;
      }
      this.beginExit(actor, Object.freeze({ kind: 'maxMailbox', limit: x.maxMailbox }));
      return false;
    }
    x.sizes!.push(bytes);
    actor.mbytes += bytes;
    if (x.maxHeapSize > 0 && actor.mbytes > x.maxHeapSize) {
      this.beginExit(actor, Object.freeze({ kind: 'maxHeapSize', limit: x.maxHeapSize, size: actor.mbytes }));
      return false;
    }
    return true;
  }

  private untrack(actor: Actor, i: number): void {
    const sizes = actor.ext!.sizes!;
    if (i < sizes.length) actor.mbytes -= sizes.splice(i, 1)[0];
  }

  private checkHeap(actor: Actor): void {
    const x = actor.ext!;
    const size = actor.mbytes + ((actor.flags & fProcess) !== 0 ? 0 : estimateSize(actor.state));
    if (size > x.maxHeapSize) this.beginExit(actor, Object.freeze({ kind: 'maxHeapSize', limit: x.maxHeapSize, size }));
  }

  // ---------------------------------------------------------------------------------
  // Internals: exit signals, links, monitors
  // ---------------------------------------------------------------------------------

  /**
   * Deliver an exit signal, as Erlang does:
   *   - 'kill' sent with exit/2 (not via a link) is untrappable: the target dies 'killed';
   *   - a trapping target gets an EXIT message;
   *   - 'normal' is ignored, unless the target is the sender itself;
   *   - any other reason ends the target with that reason.
   */
  private exitSignal(target: Actor, from: Pid, reason: unknown, viaLink: boolean): void {
    if (target.status >= kExiting) return;
    if (reason === 'kill' && !viaLink) {
      this.beginExit(target, 'killed');
    } else if ((target.flags & fTrapExit) !== 0) {
      const m: ExitMessage = Object.freeze({ type: 'EXIT', from, reason });
      this.deliver(target, m, 64);
    } else if (reason === 'normal') {
      if (pidEquals(from, target.pid)) this.beginExit(target, 'normal');
    } else {
      this.beginExit(target, reason);
    }
  }

  /** Mark an actor as exiting; links and monitors fire when the exit queue is processed. */
  private beginExit(actor: Actor, reason: unknown): void {
    if (actor.status >= kExiting) return;
    const wasRunning = actor.status === kRunning;
    actor.status = kExiting;
    actor.x().exitReason = reason;
    if (wasRunning && actor === this.current) {
      // Instrumented code polls R.kill at its next back-edge.
      reductions.kill = 1;
    }
    // The registered name is freed before links and monitors fire.
    const x = actor.ext!;
    if (x.name !== null) {
      this.registry.remove(x.name, actor.pid);
      x.name = null;
    }
    this.exiting.push(actor);
    if (this.current === null) this.wake();
  }

  /** Finalise exiting actors: terminate callbacks, links, monitors, slot release. */
  processExits(): void {
    let a: Actor | undefined;
    while ((a = this.exiting.shift()) !== undefined) this.finalize(a);
  }

  private finalize(actor: Actor): void {
    const x = actor.ext!;
    const reason = x.exitReason;
    const beh = actor.behaviour;
    if (beh !== null && beh.kind === BehaviourKind.Handler && beh.handler!.terminate !== undefined && reason !== 'killed' && (actor.flags & fStarted) !== 0) {
      this.runTerminate(actor, reason);
    }
    actor.status = kDead;
    if (x.timer !== null) {
      this.wheel.cancel(x.timer);
      x.timer = null;
    }
    if (x.links !== null) {
      for (const pid of x.links) {
        const other = this.lookup(pid);
        if (other === undefined) {
          if (this.foreign(pid)) this.outbound!.exit(pid, actor.pid, reason, true);
          continue;
        }
        other.ext?.links?.delete(actor.pid);
        this.exitSignal(other, actor.pid, reason, true);
      }
      x.links = null;
    }
    if (x.monitoredBy !== null) {
      for (const [ref, watcherPid] of x.monitoredBy) {
        const watcher = this.lookup(watcherPid);
        if (watcher === undefined && this.foreign(watcherPid)) this.outbound!.down(watcherPid, ref, actor.pid, reason);
        if (watcher === undefined || watcher.status >= kExiting) continue;
        watcher.ext?.monitors?.delete(ref);
        const down: DownMessage = Object.freeze({ type: 'DOWN', ref, pid: actor.pid, reason });
        this.deliver(watcher, down, 64);
      }
      x.monitoredBy = null;
    }
    if (x.monitors !== null) {
      for (const [ref, target] of x.monitors) {
        this.lookup(target)?.ext?.monitoredBy?.delete(ref);
        if (this.foreign(target)) this.outbound!.demonitor(target, ref);
      }
      x.monitors = null;
    }
    actor.clearMailbox();
    actor.state = undefined;
    // A dead actor still in a run queue stays there and is skipped when picked (runSlice
    // checks the status): removing it here would cost O(queue length) per exit, and a
    // shutdown of n runnable actors O(n^2).
    if (actor.slot >= 0) {
      this.table[actor.slot] = undefined;
      this.serials[actor.slot]++;
      this.freeSlots.push(actor.slot);
    } else {
      this.guests!.delete(actor.pid.id);
    }
    this.alive--;
    this.counters.exits++;
    if (this.onExit !== null) this.onExit(actor.pid, reason);
    if (actor.slot < 0 && this.onGuestExit !== null) this.onGuestExit(actor.pid);
  }

  private runTerminate(actor: Actor, reason: unknown): void {
    const R = reductions;
    const prev = this.current;
    this.current = actor;
    // The status stays kExiting: a signal the actor sends itself from terminate (exit,
    // link to a dead pid, an overfull mailbox) must not start a second exit.
    R.left = this.options.budget;
    R.overrun = 0;
    R.kill = 0;
    R.beginMessage();
    try {
      actor.behaviour!.handler!.terminate!(reason, actor.state, this.ctx);
    } catch {
      // The exit reason stays the one that ended the actor.
    }
    this.current = prev;
  }

  private onTimer(t: ActorTimer): void {
    this.counters.timersFired++;
    if (t.kind === kTimerSend) {
      this.timersByRef.delete(t.ref!);
      const to = t.target as Pid | string;
      const pid = typeof to === 'string' ? this.registry.whereis(to) : to;
      const actor = pid === undefined ? undefined : this.lookup(pid);
      if (actor === undefined && pid !== undefined && this.foreign(pid)) {
        this.sendOut(pid, t.msg);
        return;
      }
      if (actor === undefined || actor.status >= kExiting) {
        this.counters.messagesDropped++;
        return;
      }
      this.deliver(actor, t.msg, t.bytes);
    } else if (t.kind === kTimerReceive) {
      const actor = t.target as Actor;
      const x = actor.ext!;
      if (x.timer !== t) return;
      x.timer = null;
      if (actor.status >= kExiting || !x.inReceive) return;
      x.timedOut = true;
      if (actor.status === kWaiting) this.makeRunnable(actor);
    } else {
      t.callback!();
    }
  }

  /**
   * Threads layer: spawn into `slot`, which another thread reserved (serial 0) and whose pid
   * it already handed out. `parent` may live on another scheduler; with `link` the link is
   * recorded here (the parent's side recorded it when it reserved the slot).
   */
  spawnInSlot(slot: number, target: unknown, args: readonly unknown[], opts: SpawnOptions | undefined, parent: Pid | null, link: boolean): Pid {
    const beh = behaviourOf(target);
    const actor = this.allocate(beh instanceof Behaviour ? beh : null, slot);
    if (opts !== undefined) this.applyOptions(actor, opts);
    else if (this.options.maxHeapSize > 0) this.applyOptions(actor, kNoSpawnOptions);
    if (args.length > 0) actor.x().args = args.slice();
    if (parent !== null) actor.x().parent = parent;
    if (link && parent !== null) (actor.x().links ??= new Set()).add(parent);
    this.counters.spawns++;
    if (beh instanceof Behaviour) this.startActor(actor, beh);
    else this.startLoading(actor, beh);
    this.wake();
    return actor.pid;
  }

  /** Threads layer: is local `id` in a slot reserved by another thread and not spawned in yet? */
  isReservedSlot(id: number): boolean {
    const slot = (id - this.index) / this.stride;
    return id % this.stride === this.index && (slot >= this.table.length || this.serials[slot] === -1);
  }

  /** The live or exiting actor with this local id and serial (threads layer: no Pid needed). */
  lookupId(id: number, serial: number): Actor | undefined {
    if (id % this.stride !== this.index) return this.guests === null ? undefined : this.guestOf(id, serial, true);
    const a = this.table[(id - this.index) / this.stride];
    return a !== undefined && a.pid.serial === serial ? a : undefined;
  }

  /**
   * Inbound from another endpoint of this node (the threads layer): an exit signal to local
   * `to` from foreign `from`. Through a link it acts only while the link still exists on
   * this side (an unlink may have crossed it), and removes it.
   */
  remoteExit(to: Pid, from: Pid, reason: unknown, viaLink: boolean): void {
    const target = this.lookup(to);
    if (target === undefined) return;
    if (viaLink) {
      const links = target.ext?.links;
      if (links == null) return;
      if (!links.delete(from)) {
        let found: Pid | undefined;
        for (const p of links) if (pidEquals(p, from)) found = p;
        if (found === undefined) return;
        links.delete(found);
      }
    }
    this.exitSignal(target, from, reason, viaLink);
    if (this.current === null) this.wake();
  }

  /** The live or exiting actor for a local pid, or undefined. */
  lookup(pid: Pid): Actor | undefined {
    if (pid.node !== 0) return undefined;
    const id = pid.id;
    if (id % this.stride !== this.index) return this.guests === null ? undefined : this.guestOf(id, pid.serial, false);
    const a = this.table[(id - this.index) / this.stride];
    if (a === undefined || a.pid.serial !== pid.serial) return undefined;
    return a;
  }

  /** A guest (see `guests`): always for ring records; else only itself or under guestAccess. */
  private guestOf(id: number, serial: number, inbound: boolean): Actor | undefined {
    const a = this.guests!.get(id);
    if (a === undefined || a.pid.serial !== serial) return undefined;
    return inbound || this.guestAccess > 0 || a === this.current ? a : undefined;
  }

  // ---------------------------------------------------------------------------------
  // Threads layer: live migration (src/threads/migration.ts)
  // ---------------------------------------------------------------------------------

  /**
   * Up to `max` runnable actors of this scheduler's own table that `ok` accepts, scanning
   * at most `scan` slots from where the last call stopped.
   */
  runnableActors(max: number, scan: number, ok: (a: Actor) => boolean): Actor[] {
    const out: Actor[] = [];
    const t = this.table;
    const n = t.length;
    if (n === 0) return out;
    let i = this.migrationCursor % n;
    for (let seen = 0; seen < scan && seen < n && out.length < max; seen++) {
      const a = t[i];
      if (a !== undefined && a.status === kRunnable && a !== this.current && ok(a)) out.push(a);
      if (++i === n) i = 0;
    }
    this.migrationCursor = i;
    return out;
  }

  /**
   * Take `actor` out of this scheduler (it moves to another one): its slot stays reserved
   * (not reused) until `releaseSlot`; a run-queue entry left behind is skipped.
   */
  detach(actor: Actor): void {
    this.table[actor.slot] = undefined;
    this.alive--;
    actor.status = kDead;
    // Out of its run queue now (O(queue) once per move), so the load it leaves is not counted.
    if ((actor.flags & fQueued) !== 0 && this.queues[actor.priority].remove(actor)) actor.flags &= ~fQueued;
  }

  /** Undo `detach` (the move did not happen): the actor runs here again. */
  reattach(actor: Actor): void {
    this.table[actor.slot] = actor;
    this.alive++;
    actor.status = kWaiting;
    if (actor.mlen > 0 || (actor.flags & fStarted) === 0) this.makeRunnable(actor);
    this.wake();
  }

  /** The moved actor of local `id` ended where it went: its slot can be reused. */
  releaseSlot(id: number): void {
    const slot = (id - this.index) / this.stride;
    if (this.table[slot] !== undefined) return;
    this.serials[slot]++;
    this.freeSlots.push(slot);
  }

  /**
   * Run `actor` (slot -1, a pid of another scheduler) here as a guest. Its behaviour is
   * loaded first if this thread has not imported it yet; messages wait in its mailbox.
   */
  installGuest(actor: Actor, ref: BehaviourRef): void {
    (this.guests ??= new Map()).set(actor.pid.id, actor);
    this.alive++;
    actor.flags &= ~fQueued;
    const start = (beh: Behaviour): void => {
      actor.behaviour = beh;
      actor.status = kWaiting;
      if (actor.mlen > 0 || (actor.flags & fStarted) === 0) this.makeRunnable(actor);
      this.wake();
    };
    const hit = loadedBehaviour(ref);
    if (hit !== undefined) {
      start(hit);
      return;
    }
    actor.status = kLoading;
    loadBehaviour(ref).then(
      (beh) => {
        if (actor.status === kLoading) start(beh);
      },
      (err: unknown) => {
        if (actor.status !== kLoading) return;
        this.beginExit(actor, Object.freeze({
          kind: 'undef', module: ref.module, export: ref.export, message: err instanceof Error ? err.message : String(err),
        }));
        this.wake();
      },
    );
  }

  /** Used by Context: the running actor, or a NotInActor error. */
  requireCurrent(method: string): Actor {
    const c = this.current;
    if (c === null) throw new NotInActorError(method);
    return c;
  }

  /** Process style: record the receive the running generator is about to yield. */
  prepareReceive(pattern: unknown, timeoutMs: number): void {
    const cur = this.requireCurrent('receive');
    if ((cur.flags & fProcess) === 0) {
      throw new BadArgError('receive: only a process-style actor (a generator) can receive; a handler gets messages in handle()');
    }
    const x = cur.ext!;
    x.pattern = pattern;
    x.timeoutMs = timeoutMs;
  }

  /**
   * The running actor gave up on the call whose reply carries `ref` (its timeout fired):
   * remove a reply already queued, and drop one arriving later (see `deliver`). At most
   * kMaxExpiredCalls refs are remembered per actor; an entry is forgotten once its late
   * reply was dropped.
   */
  expireCall(ref: Ref): void {
    const cur = this.requireCurrent('expireCall');
    for (let i = 0; i < cur.mlen; i++) {
      const m = cur.at(i) as { type?: unknown; ref?: unknown };
      if (typeof m === 'object' && m !== null && m.type === '$reply' && ref.equals(m.ref)) {
        this.removeMessage(cur, i);
        return;
      }
    }
    const x = cur.x();
    const list = (x.expiredCalls ??= []);
    if (list.length >= kMaxExpiredCalls) list.shift();
    list.push(ref);
  }

  private isExpiredReply(x: ActorExt, msg: unknown): boolean {
    const m = msg as { type?: unknown; ref?: unknown };
    if (typeof m !== 'object' || m === null || m.type !== '$reply') return false;
    const list = x.expiredCalls!;
    for (let i = 0; i < list.length; i++) {
      if (list[i]!.equals(m.ref)) {
        list.splice(i, 1);
        if (list.length === 0) x.expiredCalls = null;
        this.counters.messagesDropped++;
        return true;
      }
    }
    return false;
  }

  /** Suspend / resume (sys-style): a suspended actor keeps receiving but does not run. */
  suspend(pid: Pid): void {
    const a = this.lookup(pid);
    if (a === undefined || a.status >= kExiting) throw new NoProcError(pid);
    a.x().suspended = true;
  }

  resume(pid: Pid): void {
    const a = this.lookup(pid);
    if (a === undefined || a.status >= kExiting) throw new NoProcError(pid);
    const x = a.x();
    if (!x.suspended) return;
    x.suspended = false;
    const hasWork = (a.flags & fProcess) === 0 ? a.mlen > 0 || (a.flags & fStarted) === 0 : processHasWork(x, a.mlen);
    if (a.status === kWaiting && hasWork) this.makeRunnable(a);
    this.wake();
  }
}

interface DriverState {
  immediate: ReturnType<typeof setImmediate> | null;
  timeout: ReturnType<typeof setTimeout> | null;
  timeoutAt: number;
  stopped: boolean;
}

/**
 * Whether a process-style actor that stopped running still has something to do without a
 * new message: it was preempted (or its slice ended) outside a receive; or it is in a
 * receive whose timeout fired, whose mailbox has messages it has not scanned yet, or whose
 * timeout is not armed yet (a poll with timeout 0 must still return TIMEOUT).
 */
function processHasWork(x: ActorExt, mlen: number): boolean {
  return !x.inReceive || x.timedOut || x.scanFrom < mlen || (x.timeoutMs >= 0 && x.timer === null);
}

/** DOWN for a monitor on an unregistered name carries this placeholder pid. */
const deadNamePid = new Pid(0, 0, -1);

/** The sender of an exit signal sent from outside any actor without an explicit `from`. */
const outsidePid = new Pid(0, 0, -1);

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'function') return 'a function';
  if (v === null) return 'null';
  if (typeof v === 'object') return v.constructor?.name ? `a ${v.constructor.name}` : 'an object';
  return String(v);
}

export { kInit, kWaiting, kRunnable, kRunning, kLoading, kExiting, kDead };
