/**
 * Scheduler: runs actors on one thread, in slices of a reduction budget.
 *
 * It is a plain single-threaded object: a unit test can create one (`new Scheduler()`),
 * spawn actors, and drive it with `runUntilIdle()` and a manual clock; an embedding drives
 * it from the event loop with `start()` (driver.ts). A host (the threads layer's worker,
 * later the distribution layer) passes one SchedulerHost at construction: its transports
 * (router.ts) and its hooks.
 *
 * The loop (`runSlice`):
 *   1. Pick an actor: the high queue first; then normal, except that every 8th pick goes
 *      to the low queue when it has work (low runs less often, as on the BEAM).
 *   2. Give it `budget` reductions (the ReductionCounter shared with instrumented code).
 *   3. Handler style: take messages in order and call `handle` until the mailbox is empty
 *      or the budget is spent. Process style: resume the generator (receive.ts); each
 *      `yield ctx.receive(...)` scans the mailbox from where the last scan stopped.
 *   4. If it still has work, it goes to the back of its queue; else it waits.
 *   5. An exception ends the actor with a tagged reason; it never escapes the scheduler.
 * Between slices, due timers fire and exiting actors are finalised (links and monitors
 * fire then, from a queue, so a long chain of links never recurses deeply: signals.ts).
 *
 * Where the rest lives (each a group of functions taking the scheduler):
 *   scheduler-options.ts  options and spawn options
 *   scheduler-host.ts     SchedulerHost: what a host plugs in at construction
 *   process-table.ts      slots, serials, spawning, guests, suspend/resume, introspection
 *   signals.ts            exit signals, links, monitors, finalisation, inbound, peer gone
 *   limits.ts             bounded mailboxes and heap limits
 *   scheduler-timers.ts   sendAfter, callbacks, receive-after timers
 *   receive.ts            process-style actors: selective receive, receive-after
 *   code-upgrade.ts       hot code reload
 *   driver.ts             the event-loop pump (`start` / `stop`)
 *   router.ts             where a pid lives, and the Transport interface
 *   named-send.ts         sends to a registered name, { name, node } and { global }
 *   scheduler-state.ts    the interface of the scheduler those groups work on
 *
 * Costs in reductions: 1 per message handled or generator resume, kSendReductions (4) per
 * send, 10 per spawn, plus what instrumented code and `ctx.bumpReductions(n)` add.
 * Tracing (slice-tracer.ts): a set `tracer` sees slices and sends; null costs a null test
 * per call site. Microstates (microstate.ts): one store into `ms` per slice.
 *
 * Hot path (send → deliver → pick → handle): no allocation but the message copy. A send
 * asks the router only when the pid is not in this scheduler's table.
 */
import {
  Actor, ActorTimer, kInit, kWaiting, kRunnable, kRunning, kLoading, kExiting, kDead,
  fQueued, fProcess, fLimits, fStarted, kPriorityHigh, kPriorityNormal, kPriorityLow,
} from './actor.ts';
import type { Behaviour } from './behaviour.ts';
import { Context, initContext } from './context.ts';
import { copyMessage, lastCopyBytes } from './copy.ts';
import { NotInActorError } from './errors.ts';
import { Pid, Ref } from './pid.ts';
import { reductions, kSendReductions, crashReason } from './reductions.ts';
import { Registry } from './registry.ts';
import { RunQueue } from './run-queue.ts';
import { TimerWheel } from './timer-wheel.ts';
import { Router, kLocalNode, type Inbound, type Transport } from './router.ts';
import { validateSchedulerOptions, type SchedulerOptions } from './scheduler-options.ts';
import type { ContextHost, Dest, Priority, ProcessInfo, RemoteName, SchedulerCounters, SpawnOptions } from './types.ts';
import type { DistHooks, SchedulerDeps } from './scheduler-host.ts';
import type { GlobalName } from './global-name.ts';
export { isRemoteName } from './remote-name.ts';
import type { SchedulerState } from './scheduler-state.ts';
import {
  spawn, registerPid, unregisterName, processes, processInfo, shutdown, suspend, resume, setTrapExit, setPriority,
} from './process-table.ts';
import * as sig from './signals.ts';
import { admit, untrack, checkHeap } from './limits.ts';
import { sendAfter, callAfter, cancelTimer, onTimer, armDeferredTimers } from './scheduler-timers.ts';
import { runProcess, processHasWork, prepareReceive, expireCall, isExpiredReply, removeMessage } from './receive.ts';
import { switchCode, actorsRunning, runSoon, kill } from './code-upgrade.ts';
import { Driver, runUntilIdle } from './driver.ts';
import { sendToName } from './named-send.ts';
import type { SliceTracer } from './slice-tracer.ts';
import { kMsActor, unsampledWord } from './microstate.ts';

export { validateSchedulerOptions, validateSpawnOptions, defaultSchedulerOptions, type SchedulerOptions } from './scheduler-options.ts';
export type { SpawnOptions, ProcessInfo, SchedulerCounters, Dest, RemoteName } from './types.ts';
export type { Transport, Inbound } from './router.ts';
export type { SchedulerHost, SchedulerDeps, DistHooks } from './scheduler-host.ts';

const kLowEvery = 8;
export { kSendReductions } from './reductions.ts';

export class Scheduler implements ContextHost, SchedulerState {
  readonly options: SchedulerOptions;
  readonly index: number;
  readonly stride: number;
  readonly registry: Registry;
  readonly ctx: Context;
  readonly router: Router;
  /** What transports hand this scheduler (router.ts, signals.ts). */
  readonly inbound: Inbound;
  readonly counters: SchedulerCounters = {
    reductions: 0, slices: 0, messagesIn: 0, messagesOut: 0, messagesDropped: 0, spawns: 0, exits: 0, timersFired: 0,
  };
  /** The actor running right now, or null. */
  current: Actor | null = null;
  /** Observer (tests, tools): called for every actor that ends, after links and monitors fired. */
  onExit: ((pid: Pid, reason: unknown) => void) | null = null;
  /** Guests by id (see SchedulerHost.guestsVisible), null until the first one arrives. */
  guests: Map<number, Actor> | null = null;
  /** The timeline tracer (slice-tracer.ts), null unless a trace is being recorded on this thread. */
  tracer: SliceTracer | null = null;
  /** This thread's current-microstate word (microstate.ts); the host sets it, a slice stores 'actor'. */
  ms: Int32Array = unsampledWord();

  // Internal state, shared with the function groups listed in the header.
  /** @internal */ readonly table: (Actor | undefined)[] = [];
  /** @internal Serial of each slot's next pid; -1: reserved by another thread, not spawned in yet. */
  readonly serials: number[] = [];
  /** @internal */ readonly freeSlots: number[] = [];
  /** @internal */ readonly queues = [new RunQueue<Actor>(), new RunQueue<Actor>(), new RunQueue<Actor>()];
  /** @internal */ readonly exiting = new RunQueue<Actor>();
  /** @internal */ readonly wheel: TimerWheel<ActorTimer>;
  /** @internal */ readonly timersByRef = new Map<Ref, ActorTimer>();
  /** @internal */ readonly clock: () => number;
  /** @internal Receive timers armed at the next tick (scheduler-timers.ts, deferred receive timers). */
  readonly deferredTimers: Actor[] = [];
  /** @internal */ alive = 0;
  /** @internal */ migrationCursor = 0;
  /** @internal Host hooks (SchedulerHost), null when absent. */
  readonly placer: ((target: unknown, args: readonly unknown[], opts: SpawnOptions | undefined) => Pid | null) | null;
  /** @internal */ readonly slotSource: (() => number) | null;
  /** @internal */ readonly guestsVisible: (() => boolean) | null;
  /** @internal */ readonly guestExited: ((pid: Pid) => void) | null;
  /** @internal Called when work arrives from outside a slice (the host, or the driver). */
  onWork: (() => void) | null;
  private readonly hostWork: (() => void) | null;
  private readonly fireTimer = (t: ActorTimer): void => onTimer(this, t);
  private lowSkip = 0;
  private refSerial = 0;
  /** The distribution layer's hooks (SchedulerHost.dist), null on a node without a name. */
  readonly dist: DistHooks | null;
  private driver: Driver | null = null;

  constructor(options?: Partial<SchedulerOptions>, deps?: SchedulerDeps) {
    this.options = validateSchedulerOptions(options);
    this.index = this.options.index;
    this.stride = this.options.stride;
    this.registry = deps?.registry ?? new Registry();
    const host = deps?.host;
    this.router = new Router(this.index, this.stride, host?.thread ?? null, host?.node ?? null, host?.movedOut ?? null);
    this.placer = host?.place !== undefined ? host.place.bind(host) : null;
    this.slotSource = host?.nextSlot !== undefined ? host.nextSlot.bind(host) : null;
    this.guestsVisible = host?.guestsVisible !== undefined ? host.guestsVisible.bind(host) : null;
    this.guestExited = host?.guestExited !== undefined ? host.guestExited.bind(host) : null;
    this.hostWork = host?.workArrived !== undefined ? host.workArrived.bind(host) : null;
    this.onWork = this.hostWork;
    this.inbound = new sig.SchedulerInbound(this);
    this.ctx = new Context(this);
    this.ctx.dirtyRunner = host?.dirty ?? null;
    this.dist = host?.dist ?? null;
    this.clock = this.options.clock ?? (() => performance.now());
    this.wheel = new TimerWheel<ActorTimer>(this.clock());
  }

  // --- API: processes ---

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
   * function) or a `{ module, export }` reference. The parent is the running actor, if any.
   */
  spawn(target: unknown, args: readonly unknown[] = [], opts?: SpawnOptions): Pid {
    return spawn(this, target, args, opts);
  }

  /** Spawn and monitor in one step (the monitor is held by the current actor). */
  spawnMonitor(target: unknown, args: readonly unknown[] = [], opts?: SpawnOptions): [Pid, Ref] {
    this.requireCurrent('spawnMonitor');
    const pid = this.spawn(target, args, opts);
    return [pid, this.monitor(pid)];
  }

  /**
   * Send `msg` to a pid, a registered name, or `{ name, node }`. A dead pid drops the
   * message (as in Erlang); so does `{ name, node }` on a node without distribution.
   */
  send(to: Dest, msg: unknown): void {
    if (!(to instanceof Pid)) return sendToName(this, to, msg);
    const actor = this.lookup(to);
    if (actor === undefined) {
      const t = this.router.transportFor(to);
      if (t !== null) return this.sendOut(t, to, msg);
    }
    this.sendToActor(actor, msg);
  }

  /** @internal Copy and deliver to a local actor; undefined or exiting: counted and dropped. */
  sendToActor(actor: Actor | undefined, msg: unknown): void {
    const copy = copyMessage(msg);
    const cur = this.current;
    if (cur !== null) {
      cur.msgsOut++;
      reductions.left -= kSendReductions;
    }
    this.counters.messagesOut++;
    if (actor === undefined || actor.status >= kExiting) {
      this.counters.messagesDropped++;
      return;
    }
    this.deliver(actor, copy, lastCopyBytes);
    if (cur === null) this.wake();
  }

  /** @internal Send through a transport (a pid this scheduler does not own): costs as a local send. */
  sendOut(t: Transport, to: Pid, msg: unknown): void {
    t.send(to, msg);
    const cur = this.current;
    if (this.tracer !== null) this.tracer.sentOut(to);
    if (cur !== null) {
      cur.msgsOut++;
      reductions.left -= kSendReductions;
    }
    this.counters.messagesOut++;
  }

  /** Deliver an already-copied message (used by timers and by transports). */
  deliver(actor: Actor, msg: unknown, bytes: number): void {
    if ((actor.flags & fLimits) !== 0 && !admit(this, actor, bytes)) return;
    if (actor.ext !== null && actor.ext.expiredCalls !== null && isExpiredReply(this, actor.ext, msg)) return;
    actor.push(msg);
    actor.msgsIn++;
    this.counters.messagesIn++;
    if (this.tracer !== null) this.tracer.delivered(actor);
    if (actor.status === kWaiting) this.makeRunnable(actor);
  }

  /**
   * Send an exit signal from `from` (default: the current actor) to `pid`. From outside
   * any actor, without `from`, the sender is no process: 'normal' is then ignored by a
   * non-trapping target, as for a signal from another process.
   */
  exit(pid: Pid, reason: unknown, from?: Pid): void {
    sig.exitApi(this, pid, reason, from);
  }

  link(pid: Pid): void {
    sig.link(this, pid);
  }

  unlink(pid: Pid): void {
    sig.unlink(this, pid);
  }

  /** Monitor `target` (a pid or registered name) from the current actor. */
  monitor(target: Pid | string | RemoteName | GlobalName): Ref {
    return sig.monitor(this, target);
  }

  /**
   * Monitor `target` on behalf of `watcher` (a live local actor), from outside any slice:
   * used by embedding APIs whose gateway actor waits for call replies.
   */
  monitorAs(watcher: Pid, target: Pid | RemoteName): Ref {
    return sig.monitorAs(this, watcher, target);
  }

  /** Remove a monitor held by `watcher` (see `monitorAs`). */
  demonitorAs(watcher: Pid, ref: Ref): void {
    sig.demonitorAs(this, watcher, ref);
  }

  /** Remove a monitor; with `flush`, also remove its DOWN message if already delivered. */
  demonitor(ref: Ref, opts?: { flush?: boolean }): boolean {
    return sig.demonitor(this, ref, opts);
  }

  setTrapExit(flag: boolean): boolean {
    return setTrapExit(this, flag);
  }

  setPriority(priority: Priority): Priority {
    return setPriority(this, priority);
  }

  // --- API: registry ---

  register(name: string, pid: Pid): void {
    registerPid(this, name, pid);
  }

  unregister(name: string): void {
    unregisterName(this, name);
  }

  whereis(name: string): Pid | undefined {
    return this.registry.whereis(name);
  }

  // --- API: timers (scheduler-timers.ts) ---

  /** Send `msg` to `to` after `ms` milliseconds. The message is copied now. */
  sendAfter(ms: number, to: Pid | string, msg: unknown): Ref {
    return sendAfter(this, ms, to, msg);
  }

  /** Run `fn` on this thread after `ms` (driver-level; used by the embedding API). */
  callAfter(ms: number, fn: () => void): ActorTimer {
    return callAfter(this, ms, fn);
  }

  cancelCallback(t: ActorTimer): void {
    this.wheel.cancel(t);
  }

  /** Cancel a `sendAfter` timer. Returns the ms that were left, or false if it already fired. */
  cancelTimer(ref: Ref): number | false {
    return cancelTimer(this, ref);
  }

  /** Pending timers (for tests and stats). */
  get pendingTimers(): number {
    return this.wheel.size;
  }

  // --- API: introspection (process-table.ts) ---

  isAlive(pid: Pid): boolean {
    const a = this.lookup(pid);
    return a !== undefined && a.status < kExiting;
  }

  processes(): Pid[] {
    return processes(this);
  }

  processInfo(pid: Pid): ProcessInfo | undefined {
    return processInfo(this, pid);
  }

  /** Length of the run queues (all priorities). */
  get runQueueLength(): number {
    return this.queues[0].length + this.queues[1].length + this.queues[2].length;
  }

  // --- API: hot code reload (code-upgrade.ts; used by src/otp/code-server.ts) ---

  /** The live actors whose behaviour is one of `behaviours`. */
  actorsRunning(behaviours: ReadonlySet<Behaviour>): Pid[] {
    return actorsRunning(this, behaviours);
  }

  /** Let a waiting handler-style actor run a slice now, to move to a new version at once. */
  runSoon(pid: Pid): void {
    runSoon(this, pid);
  }

  /** End `pid` with `reason` whatever its trapExit flag, without terminate (its code is purged). */
  kill(pid: Pid, reason: unknown): boolean {
    return kill(this, pid, reason);
  }

  // --- Driving ---

  /**
   * Run until no actor is runnable and no exit is pending. Fires timers that are due now
   * but does not wait for future ones. Returns the number of slices run.
   */
  runUntilIdle(maxSlices = Infinity): number {
    return runUntilIdle(this, maxSlices);
  }

  /** Fire the timers due at the current clock time. */
  fireDueTimers(): number {
    // Every host's loop calls this when it (re)starts a run of slices (slice-tracer.ts, step 4).
    if (this.tracer !== null) this.tracer.idle();
    if (this.deferredTimers.length > 0) armDeferredTimers(this);
    if (this.wheel.size === 0) return 0;
    return this.wheel.advance(this.clock(), this.fireTimer);
  }

  /** Milliseconds until the next timer, -1 if none. */
  msUntilNextTimer(): number {
    if (this.deferredTimers.length > 0) armDeferredTimers(this);
    const d = this.wheel.nextDeadline();
    if (d < 0) return -1;
    return Math.max(0, d - this.clock());
  }

  /** Whether anything is runnable or exiting. */
  hasWork(): boolean {
    return this.runQueueLength > 0 || this.exiting.length > 0;
  }

  /** Drive this scheduler from the Node.js event loop (driver.ts). */
  start(): void {
    if (this.driver !== null) return;
    this.driver = new Driver(this);
    this.onWork = this.driver.wake;
    this.driver.wake();
  }

  stop(): void {
    const d = this.driver;
    if (d === null) return;
    d.stop();
    this.driver = null;
    this.onWork = this.hostWork;
  }

  /** Kill every actor (reason `shutdown` unless given) and finalise them. */
  shutdown(reason: unknown = 'shutdown'): void {
    shutdown(this, reason);
  }

  /** @internal */
  wake(): void {
    if (this.onWork !== null) this.onWork();
  }

  /** Run one actor for one slice. Returns false when nothing was runnable. */
  runSlice(): boolean {
    const actor = this.pick();
    if (actor === undefined) {
      if (this.tracer !== null) this.tracer.idle();
      return false;
    }
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
    this.ms[0] = kMsActor;
    const tracer = this.tracer;
    if (tracer !== null && !tracer.burst) tracer.begin();
    try {
      if ((actor.flags & fProcess) !== 0) runProcess(this, actor);
      else this.runHandler(actor);
    } catch (e) {
      const reason = crashReason(actor, e);
      if (actor.status !== kExiting) this.beginExit(actor, reason); // else already marked by a signal
    }
    this.current = null;
    const spent = R.spent(budget);
    actor.reductions += spent;
    this.counters.reductions += spent;
    this.counters.slices++;
    if (tracer !== null) tracer.slice(actor, spent);
    if (actor.status === kRunning) {
      if ((actor.flags & fLimits) !== 0 && actor.ext!.maxHeapSize > 0) checkHeap(this, actor);
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

  // --- Internals: running actors ---

  private pick(): Actor | undefined {
    const q = this.queues;
    if (q[kPriorityHigh].length > 0) return q[kPriorityHigh].shift();
    if (q[kPriorityLow].length > 0 && (q[kPriorityNormal].length === 0 || ++this.lowSkip >= kLowEvery)) {
      this.lowSkip = 0;
      return q[kPriorityLow].shift();
    }
    return q[kPriorityNormal].shift();
  }

  /** @internal */
  makeRunnable(actor: Actor): void {
    actor.status = kRunnable;
    if ((actor.flags & fQueued) === 0) {
      actor.flags |= fQueued;
      this.queues[actor.priority].push(actor);
    }
  }

  private runHandler(actor: Actor): void {
    const R = reductions;
    if (actor.behaviour!.upgrade !== null && !switchCode(this, actor)) return;
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
      if (track) untrack(actor, 0);
      R.beginMessage();
      actor.state = impl.handle(msg, actor.state, ctx);
      R.left--;
    }
  }

  /** @internal Mark an actor as exiting; links and monitors fire when the exit queue is processed. */
  beginExit(actor: Actor, reason: unknown): void {
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

  /** Finalise exiting actors: terminate callbacks, links, monitors, slot release (signals.ts). */
  processExits(): void {
    let a: Actor | undefined;
    while ((a = this.exiting.shift()) !== undefined) sig.finalize(this, a);
  }

  // --- Process table (process-table.ts has the rest) ---

  /** The live or exiting actor for a local pid, or undefined. */
  lookup(pid: Pid): Actor | undefined {
    if (pid.node !== kLocalNode) return undefined;
    const id = pid.id;
    if (id % this.stride !== this.index) return this.guests === null ? undefined : this.guestOf(id, pid.serial, false);
    const a = this.table[(id - this.index) / this.stride];
    if (a === undefined || a.pid.serial !== pid.serial) return undefined;
    return a;
  }

  /** The live or exiting actor with this local id and serial (transports: no Pid needed). */
  lookupId(id: number, serial: number): Actor | undefined {
    if (id % this.stride !== this.index) return this.guests === null ? undefined : this.guestOf(id, serial, true);
    const a = this.table[(id - this.index) / this.stride];
    return a !== undefined && a.pid.serial === serial ? a : undefined;
  }

  /** A guest (see `guests`): always for transports; else only itself or while the host lets it. */
  private guestOf(id: number, serial: number, inbound: boolean): Actor | undefined {
    const a = this.guests!.get(id);
    if (a === undefined || a.pid.serial !== serial) return undefined;
    return inbound || a === this.current || (this.guestsVisible !== null && this.guestsVisible()) ? a : undefined;
  }

  // --- Used by Context ---

  /** The running actor, or a NotInActor error. */
  requireCurrent(method: string): Actor {
    const c = this.current;
    if (c === null) throw new NotInActorError(method);
    return c;
  }

  /** Process style: record the receive the running generator is about to yield. */
  prepareReceive(pattern: unknown, timeoutMs: number): void {
    prepareReceive(this, pattern, timeoutMs);
  }

  /** The running actor gave up on the call whose reply carries `ref` (receive.ts). */
  expireCall(ref: Ref): void {
    expireCall(this, ref);
  }

  /** @internal Remove message `i` of `actor`'s mailbox. */
  removeMessage(actor: Actor, i: number): unknown {
    return removeMessage(actor, i);
  }

  /** Suspend / resume (sys-style): a suspended actor keeps receiving but does not run. */
  suspend(pid: Pid): void {
    suspend(this, pid);
  }

  resume(pid: Pid): void {
    resume(this, pid);
  }
}

export { kInit, kWaiting, kRunnable, kRunning, kLoading, kExiting, kDead };
