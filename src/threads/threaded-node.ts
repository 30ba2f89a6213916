/**
 * The multi-thread node, seen from the thread that embeds it.
 *
 *   const node = await startNode({ schedulers: 4 });
 *   const pid = await node.spawn(Counter, [0]);          // a module-defined behaviour
 *   node.send(pid, { inc: 1 });
 *   const n = await node.call(pid, 'get', 1000);          // ctx.reply(msg.from, value)
 *   await node.stop();
 *
 *        calling thread (endpoint N = gateway, pid <0.N.0>)
 *        +-------------------------------------------------+
 *        | ThreadedNode: spawn/send/call/register/stats/stop |
 *        | Gateway: rings to and from every scheduler,       |
 *        |   parks on its doorbell with Atomics.waitAsync    |
 *        +-----------+------------------+------------------+
 *             ring ^ | ring        ^ |               ^ |
 *                  | v             | v               | v
 *        +-----------+--+   +---------+----+   +---------+----+
 *        | worker 0      |<->| worker 1     |<->| worker N-1   |   one SPSC ring per
 *        | Scheduler 0   |   | Scheduler 1  |   | Scheduler N-1|   ordered pair, one
 *        | (index 0,     |   | (index 1,    |   |              |   doorbell per endpoint
 *        |  stride N+1)  |   |  stride N+1) |   |              |   (layout.ts)
 *        +---------------+   +--------------+   +--------------+
 *          shared: names table (shared-registry.ts), stats blocks (stats.ts), alive flags
 *
 * Everything between endpoints is a ring record (endpoint.ts): messages, exit signals,
 * links, monitors, DOWNs, and the gateway's requests (spawn, process info, register, stop)
 * with their replies, so a request and the messages around it keep their order.
 *
 * Calls: `call(pid, msg)` monitors the callee from the gateway pid, then sends
 * `{ type: '$call', from: { pid: gateway, ref }, msg }`; the actor answers with
 * `ctx.reply(msg.from, value)`. The reply resolves the promise; DOWN rejects it
 * (NoProcError for 'noproc', else CallExitError with the reason); the timeout rejects with
 * CallTimeoutError, demonitors, and a late reply is dropped.
 *
 * Beyond messages and signals (each in its own file):
 *   - kill-flags.ts: an untrappable 'kill' is also announced in shared memory, so it ends
 *     an actor stuck in an instrumented loop (its scheduler never drains its rings);
 *   - placement.ts: `ctx.spawn(..., { scheduler: k })` from an actor reserves the pid in
 *     k's pid space and returns it at once; top-level `spawn` here goes round-robin;
 *   - balancer.ts: spawns of an overloaded scheduler are shared with idle ones;
 *   - migration.ts (`balance: 'migrate'`): running actors of a scheduler that stays
 *     overloaded move to an idle one; their home forwards what is addressed to them;
 *   - dirty-pool.ts: `ctx.dirty(...)` tasks run on this thread's piscina pool (created on
 *     the first one, destroyed by `stop()`), their outcomes go back as messages.
 *
 * Crash containment: a worker that exits without being asked (an uncaught error in a
 * callback of actor code, process.exit in the worker) takes its scheduler down. The node
 * clears its alive flag (peers stop writing to it), drops its processes' names, tells
 * every other scheduler (SCHEDDOWN), which fire links and monitors to its processes with
 * reason `{ kind: 'schedulerDown', scheduler, ... }`, rejects calls to them, and emits
 * 'schedulerDown'. The other schedulers keep running.
 */

import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Behaviour, type BehaviourRef } from '../core/behaviour.ts';
import { isReply } from '../core/call-protocol.ts';
import {
  BadArgError, CallExitError, CallTimeoutError, InvalidOptionError, NameTakenError, NoProcError, NotRegisteredError,
  NotRunningError, SwitchboardError, UndefinedBehaviourError,
} from '../core/errors.ts';
import { Pid, Ref } from '../core/pid.ts';
import { runStopHooks } from '../core/local-node.ts';
import { validateSchedulerOptions, validateSpawnOptions, type ProcessInfo, type SpawnOptions } from '../core/scheduler.ts';
import {
  Endpoint, kOpApply, kOpError, kOpInfo, kOpOk, kOpRegister, kOpSpawn, kOpStop, kRecControl, kRecDemonitor, kRecDown, kRecExit,
  kRecMonitor, kRecMsg, kRecNameClear, kRecSchedDown, kRecDirty, kRecGuestsDown,
} from './endpoint.ts';
import type { BalanceMode } from './migration.ts';
import { DirtyPool, errorInfo, type DirtyOutcome, type DirtyTask } from './dirty-pool.ts';
import { BackpressureError, NotPortableError } from './errors.ts';
import { computeLayout, kCtlAliveBase, kCtlEndpoints, kCtlMagic, kLayoutMagic, ringOffset, statsOffset, type NodeLayout } from './layout.ts';
import { SharedRegistry, initSharedRegistry } from './shared-registry.ts';
import { initSpscRing } from './spsc-ring.ts';
import { KillFlags } from './kill-flags.ts';
import { kStateDown, markStatsState, readStats, type SchedulerStats } from './stats.ts';
import type { WorkerSetup } from './worker-host.ts';

export interface NodeOptions {
  /** Scheduler threads (default: os.availableParallelism()). */
  schedulers?: number;
  /** Reductions per slice (default 4000). */
  budget?: number;
  maxReductionsPerMessage?: number;
  /** Default heap limit of every actor, bytes (0 = none). */
  maxHeapSize?: number;
  /** Data bytes of each ring, a power of two (default 256 KiB). */
  ringBytes?: number;
  /** Bound of each per-destination overflow, bytes (default 1 MiB). See endpoint.ts. */
  overflowBytes?: number;
  /** Capacity of the node-wide name table (default 1024). */
  maxNames?: number;
  /** Microseconds an idle scheduler polls its rings before parking (default 500: longer than a wake-up from a park takes on a busy machine, so two schedulers passing work back and forth do not fall into park/wake on every exchange). */
  spinUs?: number;
  /** Milliseconds a scheduler runs before yielding to its thread's event loop (default 2). */
  quantumMs?: number;
  /** Milliseconds `stop()` waits for a worker to exit before terminating it (default 5000). */
  stopTimeoutMs?: number;
  /** Called when a scheduler thread dies (also emitted as 'schedulerDown'). */
  onSchedulerDown?: (event: SchedulerDownEvent) => void;
  /**
   * How load is balanced (default 'spawn'): 'spawn' never moves a running actor but places
   * new spawns of an overloaded scheduler elsewhere (balancer.ts); 'migrate' keeps every
   * spawn on its parent's scheduler (as Erlang does) and moves running actors of a
   * scheduler that stays overloaded to a lighter one (migration.ts). Not the default yet:
   * 1,000 senders on two schedulers flooding one receiver (the fan-in benchmark, 3 M
   * messages and more) stall with 'migrate' — see the note on issue 4.
   */
  balance?: BalanceMode;
}

export interface SchedulerDownEvent {
  scheduler: number;
  /** The exit reason its processes' links and monitors fired with. */
  reason: SchedulerDownReason;
}

export interface SchedulerDownReason {
  readonly kind: 'schedulerDown';
  readonly scheduler: number;
  readonly exitCode: number;
  readonly error: string | null;
}

export interface NodeSpawnOptions extends SpawnOptions {
  /** Pin the new actor to this scheduler (default: round-robin). */
  scheduler?: number;
}

export interface NodeStats {
  schedulers: SchedulerStats[];
  gateway: { recordsIn: number; recordsOut: number; ringFull: number; overflowBytes: number; pendingCalls: number };
}

const defaults = {
  ringBytes: 1 << 18,
  overflowBytes: 1 << 20,
  maxNames: 1024,
  spinUs: 500,
  quantumMs: 2,
  stopTimeoutMs: 5000,
  balance: 'spawn' as BalanceMode,
};

const isInt = (v: unknown): v is number => Number.isInteger(v);
const nodeValidators: Record<keyof NodeOptions, (v: unknown) => string | null> = {
  schedulers: (v) =>
    isInt(v) && v >= 1 && v <= 1024
      ? null
      : 'must be an integer from 1 to 1024 (for one scheduler in the calling thread, use LocalNode from src/core/local-node.ts)',
  budget: () => null, // checked by the scheduler's validator
  maxReductionsPerMessage: () => null,
  maxHeapSize: () => null,
  ringBytes: (v) => (isInt(v) && v >= 4096 && v <= 1 << 28 && (v & (v - 1)) === 0 ? null : 'must be a power of two from 4096 to 2^28'),
  overflowBytes: (v) => (isInt(v) && v >= 0 ? null : 'must be a non-negative integer (bytes)'),
  maxNames: (v) => (isInt(v) && v >= 1 && v <= 1 << 20 ? null : 'must be an integer from 1 to 2^20'),
  spinUs: (v) => (typeof v === 'number' && v >= 0 && v <= 1e6 ? null : 'must be a number of microseconds from 0 to 1e6'),
  quantumMs: (v) => (typeof v === 'number' && v > 0 && v <= 1000 ? null : 'must be a number of milliseconds in (0, 1000]'),
  stopTimeoutMs: (v) => (isInt(v) && v >= 0 ? null : 'must be a non-negative integer (ms)'),
  onSchedulerDown: (v) => (typeof v === 'function' ? null : 'must be a function'),
  balance: (v) => (v === 'spawn' || v === 'migrate' ? null : "must be 'spawn' or 'migrate'"),
};

function validateNodeOptions(opts: NodeOptions | undefined): Required<Omit<NodeOptions, 'onSchedulerDown' | 'budget' | 'maxReductionsPerMessage' | 'maxHeapSize'>> & NodeOptions {
  if (opts === undefined) opts = {};
  if (typeof opts !== 'object' || opts === null) throw new InvalidOptionError('options', 'startNode: options must be an object');
  for (const k of Object.keys(opts)) {
    const check = nodeValidators[k as keyof NodeOptions];
    if (check === undefined) throw new InvalidOptionError(k, `startNode: unknown option "${k}"`);
    const v = (opts as Record<string, unknown>)[k];
    if (v === undefined) continue;
    const err = check(v);
    if (err !== null) throw new InvalidOptionError(k, `startNode: option "${k}" ${err}`);
  }
  const sched: Record<string, unknown> = {};
  for (const k of ['budget', 'maxReductionsPerMessage', 'maxHeapSize'] as const) if (opts[k] !== undefined) sched[k] = opts[k];
  validateSchedulerOptions(sched);
  return { schedulers: availableParallelism(), ...defaults, ...stripUndefined(opts) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

// ---------------------------------------------------------------------------------------
// Module hooks for the workers (see worker-entry.mjs)

let loaderPromise: Promise<string | null> | null = null;

/** The URL of the module hooks a worker registers, computed once per process. */
function workerLoader(): Promise<string | null> {
  if (!import.meta.url.endsWith('.ts')) return Promise.resolve(null); // from a build
  loaderPromise ??= import('../compiler/bootstrap.mjs').then((m) => m.loaderSpecifier());
  return loaderPromise;
}

// ---------------------------------------------------------------------------------------
// The gateway: the embedding thread's endpoint

interface PendingCall {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
  pid: Pid;
  ref: Ref;
}

interface PendingRequest {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  scheduler: number;
}

class Gateway extends Endpoint {
  readonly pid: Pid;
  readonly calls = new Map<number, PendingCall>();
  readonly requests = new Map<number, PendingRequest>();
  private flushQueued = false;
  private parked = false;
  private servicing = false;
  closed = false;
  onMessage: (msg: unknown) => void = () => {};
  /** A scheduler's `ctx.dirty` task (dirty-pool.ts, step 2). */
  onDirtyTask: (src: number, id: number, serial: number, n: number, task: DirtyTask) => void = () => {};

  constructor(sab: SharedArrayBuffer, layout: NodeLayout, overflowBytes: number) {
    super(sab, layout, layout.gateway, overflowBytes);
    this.pid = new Pid(0, layout.gateway, 0);
  }

  protected localPid(id: number, serial: number): Pid {
    return id === this.pid.id && serial === 0 ? this.pid : new Pid(0, id, serial);
  }

  /** Header scratch for the node's emits. */
  get hdr(): Int32Array {
    return this.h;
  }

  protected override onDirty(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(this.flushTask);
  }

  private readonly flushTask = (): void => {
    this.flushQueued = false;
    this.flush();
  };

  /** Throw BackpressureError if `dest`'s overflow is at its bound (the gateway never waits). */
  checkRoom(dest: number): void {
    const link = this.out[dest]!;
    if (link.overflowBytes > 0 && link.overflowBytes >= this.overflowLimit) throw new BackpressureError(dest, link.overflowBytes);
  }

  /** Drain, flush, park; again when rung. Never blocks the event loop. */
  service = (): void => {
    this.parked = false;
    if (this.closed || this.servicing) return;
    this.servicing = true;
    try {
      for (let i = 0; i < 64; i++) if (this.drain(4096) === 0) break;
      this.flush();
    } finally {
      this.servicing = false;
    }
    if (this.closed) return;
    if (this.hasInbound()) {
      setImmediate(this.service);
      return;
    }
    this.parked = true;
    void this.sleeper.parkAsync(this.wakeCheck).then(this.service);
  };

  private readonly wakeCheck = (): boolean => this.closed || this.hasInbound() || this.overflowHasRoom();

  /** Drain every record endpoint `k` committed (it died: they come before its DOWNs). */
  drainFrom(k: number): void {
    const l = this.inBySrc[k];
    if (l !== null && l !== undefined) while (this.drainLink(l, 4096) > 0);
  }

  close(): void {
    this.closed = true;
    if (this.parked) this.selfBell.ring();
    this.settleDrained();
  }

  private drainedWaiters: (() => void)[] = [];

  /** Resolves when no record waits in an overflow (every ring accepted what was sent). */
  whenDrained(): Promise<void> {
    if (this.overflowing.length === 0 || this.closed) return Promise.resolve();
    return new Promise((r) => this.drainedWaiters.push(r));
  }

  protected override onOverflowDrained(): void {
    // Called from flush before it prunes its list: settle once it is done.
    if (this.drainedWaiters.length > 0) queueMicrotask(() => this.settleDrained());
  }

  private settleDrained(): void {
    if ((this.overflowing.length > 0 && !this.closed) || this.drainedWaiters.length === 0) return;
    const ws = this.drainedWaiters;
    this.drainedWaiters = [];
    for (const w of ws) w();
  }

  protected onRecord(src: number, words: Int32Array, w: number, bytes: Uint8Array, len: number): void {
    switch (words[w]) {
      case kRecMsg: {
        const msg = this.decodeValue(bytes, w, 3, len);
        if (isReply(msg) && msg.ref instanceof Ref && msg.ref.sched === this.index) {
          const c = this.calls.get(msg.ref.n);
          if (c === undefined) return; // timed out: a late reply is dropped
          this.calls.delete(msg.ref.n);
          clearTimeout(c.timer);
          this.demonitor(c.pid, c.ref);
          c.resolve(msg.value);
          return;
        }
        this.onMessage(msg);
        return;
      }
      case kRecDown: {
        const n = words[w + 6]! >>> 0;
        const c = this.calls.get(n);
        if (c === undefined || words[w + 5] !== this.index) return;
        this.calls.delete(n);
        clearTimeout(c.timer);
        const reason = this.decodeValue(bytes, w, 7, len);
        c.reject(reason === 'noproc' ? new NoProcError(c.pid) : new CallExitError(reason));
        return;
      }
      case kRecControl: {
        const r = this.requests.get(words[w + 1]!);
        if (r === undefined) return;
        this.requests.delete(words[w + 1]!);
        const body = this.decodeValue(bytes, w, 3, len);
        if (words[w + 2] === kOpOk) r.resolve(body);
        else r.reject(rebuildError(body));
        return;
      }
      case kRecDirty:
        this.onDirtyTask(src, words[w + 1]! >>> 0, words[w + 2]! >>> 0, words[w + 3]! >>> 0, this.decodeValue(bytes, w, 4, len) as DirtyTask);
        return;
      case kRecGuestsDown: {
        // Actors that had moved to a scheduler that died (migration.ts, step 7): calls to
        // them fail as calls to its own processes do; what it committed comes first.
        const host = words[w + 1]!;
        const b = this.decodeValue(bytes, w, 2, len) as { ids: number[]; serials: number[]; reason: unknown };
        this.drainFrom(host);
        const dead = new Set<string>();
        for (let i = 0; i < b.ids.length; i++) dead.add(`${b.ids[i]}.${b.serials[i]}`);
        for (const [n, c] of this.calls) {
          if (!dead.has(`${c.pid.id}.${c.pid.serial}`)) continue;
          this.calls.delete(n);
          clearTimeout(c.timer);
          c.reject(new CallExitError(b.reason));
        }
        return;
      }
      default:
        // EXIT / LINK / MONITOR addressed to the gateway pid: the gateway never exits
        // before the node stops, so there is nothing to record.
        void src;
    }
  }

  demonitor(pid: Pid, ref: Ref): void {
    const h = this.h;
    h[0] = kRecDemonitor;
    h[1] = pid.id;
    h[2] = pid.serial;
    h[3] = ref.sched;
    h[4] = ref.n;
    this.emit(pid.id % this.endpoints, 5, undefined, false);
  }
}

function rebuildError(body: unknown): Error {
  const b = (body ?? {}) as { code?: string; message?: string; option?: string; name?: string };
  const message = b.message ?? 'unknown error';
  switch (b.code) {
    case 'ERR_SB_NAME_TAKEN':
      return new NameTakenError(b.name ?? '?', message);
    case 'ERR_SB_INVALID_OPTION':
      return new InvalidOptionError(b.option ?? '?', message);
    case 'ERR_SB_NOPROC':
      return new NoProcError(undefined, message);
    case 'ERR_SB_UNDEF':
      return new UndefinedBehaviourError(message);
    case 'ERR_SB_BADARG':
      return new BadArgError(message);
    case 'ERR_SB_NOT_REGISTERED':
      return new NotRegisteredError(b.name ?? '?');
    default:
      return new SwitchboardError(b.code ?? 'ERR_SB_INTERNAL', message);
  }
}

// ---------------------------------------------------------------------------------------
// The node

export class ThreadedNode extends EventEmitter {
  /** Number of schedulers (worker threads). */
  readonly schedulers: number;
  /** The gateway's pid: call replies, and anything actors send to the embedding thread. */
  readonly pid: Pid;
  private readonly layout: NodeLayout;
  private readonly sab: SharedArrayBuffer;
  private readonly gw: Gateway;
  private readonly registry: SharedRegistry;
  private readonly workers: Worker[];
  private readonly exited: Promise<number>[];
  private readonly workerErrors: (Error | null)[];
  private readonly down: boolean[];
  private readonly opts: ReturnType<typeof validateNodeOptions>;
  private rr = 0;
  private reqSerial = 0;
  private refSerial = 0;
  private stopping: Promise<void> | null = null;
  private stopRequest: Promise<void> | null = null;
  private readonly stopHooks: (() => Promise<void> | void)[] = [];
  private stoppedFlag = false;
  private readonly kills: KillFlags;
  /** The node's dirty pool, created by the first `ctx.dirty` (dirty-pool.ts). */
  private dirty: DirtyPool | null = null;
  private killRetry: ReturnType<typeof setImmediate> | null = null;

  /** @internal use startNode() */
  constructor(opts: ReturnType<typeof validateNodeOptions>, layout: NodeLayout, sab: SharedArrayBuffer, workers: Worker[], exited: Promise<number>[], errors: (Error | null)[]) {
    super();
    this.opts = opts;
    this.schedulers = layout.schedulers;
    this.layout = layout;
    this.sab = sab;
    this.workers = workers;
    this.exited = exited;
    this.workerErrors = errors;
    this.down = workers.map(() => false);
    this.gw = new Gateway(sab, layout, opts.overflowBytes);
    this.kills = new KillFlags(sab, layout, layout.gateway);
    this.pid = this.gw.pid;
    this.gw.onMessage = (m) => this.emit('message', m);
    this.gw.onDirtyTask = (k, id, serial, n, task) => {
      if (this.stopping !== null) return;
      this.dirty ??= new DirtyPool();
      void this.dirty.run(task).then((out) => this.dirtyDone(k, id, serial, n, out));
    };
    this.registry = new SharedRegistry(sab, layout.registryOffset, layout.maxNames, layout.gateway, layout.endpoints, {
      makePid: (id, serial) => this.gw.internPid(id, serial),
      onForeignRemove: (name, pid) => {
        const h = this.gw.hdr;
        h[0] = kRecNameClear;
        h[1] = pid.id;
        h[2] = pid.serial;
        this.gw.emit(pid.id % layout.endpoints, 3, name, true);
      },
    });
    workers.forEach((w, k) => {
      w.on('error', (e) => {
        errors[k] = e;
      });
      void exited[k]!.then((code) => {
        if (this.stopping === null) this.schedulerDown(k, code);
      });
    });
    this.gw.service();
  }

  get running(): boolean {
    return this.stopping === null;
  }

  /**
   * Spawn an actor on a scheduler (round-robin, or `opts.scheduler`). `target` must be
   * loadable on another thread: a Behaviour from `defineActor(import.meta.url, impl,
   * 'Export')` that its module exports, or `{ module, export }`. Resolves with its pid.
   * @throws (rejects) NotPortableError for a closure, InvalidOptionError, UndefinedBehaviourError, NameTakenError
   */
  async spawn(target: unknown, args: readonly unknown[] = [], opts?: NodeSpawnOptions): Promise<Pid> {
    this.assertRunning();
    const ref = await portable(target);
    if (!Array.isArray(args)) throw new BadArgError('spawn: args must be an array');
    validateSpawnOptions(opts);
    let k: number;
    let rest: SpawnOptions | undefined;
    if (opts !== undefined) {
      const { scheduler, ...others } = opts;
      rest = others;
      if (scheduler !== undefined) {
        if (scheduler >= this.schedulers) throw new InvalidOptionError('scheduler', `spawn option "scheduler" must be below ${this.schedulers}, got ${scheduler}`);
        if (this.down[scheduler]) throw new NotRunningError(`scheduler ${scheduler} is down`);
        k = scheduler;
      } else k = this.pick();
    } else k = this.pick();
    return (await this.request(k, kOpSpawn, { module: ref.module, export: ref.export, args, opts: rest })) as Pid;
  }

  /** Send a message to a pid or registered name (copied: encoded into a ring). */
  send(to: Pid | string, msg: unknown): void {
    this.assertRunning();
    const pid = this.resolve(to, 'send');
    if (pid === null) return;
    const k = pid.id % this.layout.endpoints;
    this.gw.checkRoom(k);
    const h = this.gw.hdr;
    h[0] = kRecMsg;
    h[1] = pid.id;
    h[2] = pid.serial;
    this.gw.emit(k, 3, msg, true);
  }

  /** Send an exit signal from the gateway (Erlang's exit/2; 'kill' is untrappable). */
  exit(pid: Pid, reason: unknown): void {
    this.assertRunning();
    if (!(pid instanceof Pid)) throw new BadArgError('exit: expected a pid');
    const k = pid.id % this.layout.endpoints;
    if (pid.node !== 0 || k === this.layout.gateway || this.down[k]) return;
    this.gw.checkRoom(k);
    const h = this.gw.hdr;
    h[0] = kRecExit;
    h[1] = pid.id;
    h[2] = pid.serial;
    h[3] = this.pid.id;
    h[4] = this.pid.serial;
    h[5] = 0;
    this.gw.emit(k, 6, reason, true);
    if (reason === 'kill') {
      // Commit the record, then announce it in shared memory, so an actor stuck in an
      // instrumented loop on scheduler k ends too (kill-flags.ts, steps 1-2).
      this.gw.flush();
      this.kills.request(pid);
      if (this.kills.pendingCount > 0) this.retryKills();
    }
  }

  /** A dirty task settled: send its outcome to the actor's scheduler (dirty-pool.ts, step 3). */
  private dirtyDone(k: number, id: number, serial: number, n: number, out: DirtyOutcome): void {
    if (this.stopping !== null || this.down[k]) return;
    const h = this.gw.hdr;
    const head = (): void => {
      h[0] = kRecDirty;
      h[1] = id;
      h[2] = serial;
      h[3] = n;
    };
    head();
    try {
      this.gw.emit(k, 4, out, true);
    } catch (e) {
      head();
      this.gw.emit(k, 4, { ok: false, error: errorInfo(e) }, true);
    }
  }

  /** Retry kills whose slot was full, once per event-loop turn, until all are written. */
  private retryKills(): void {
    if (this.killRetry !== null) return;
    this.killRetry = setImmediate(() => {
      this.killRetry = null;
      if (this.stopping !== null) return;
      this.kills.retry();
      if (this.kills.pendingCount > 0) this.retryKills();
    });
  }

  /**
   * Call an actor: it gets `{ type: '$call', from, msg }` and answers with
   * `ctx.reply(from, value)`. Rejects with CallTimeoutError after `timeoutMs`, NoProcError
   * if it does not exist, CallExitError if it exits first.
   */
  call(to: Pid | string, msg: unknown, timeoutMs = 5000): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.assertRunning();
      if (!(typeof timeoutMs === 'number' && timeoutMs >= 0)) throw new BadArgError('call: timeoutMs must be a number >= 0');
      const pid = this.resolve(to, 'call');
      if (pid === null) throw new NoProcError(to);
      const k = pid.id % this.layout.endpoints;
      if (k === this.layout.gateway || this.down[k]) throw new NoProcError(pid);
      this.gw.checkRoom(k);
      const ref = new Ref(0, this.layout.gateway, ++this.refSerial);
      const h = this.gw.hdr;
      h[0] = kRecMonitor;
      h[1] = pid.id;
      h[2] = pid.serial;
      h[3] = this.pid.id;
      h[4] = this.pid.serial;
      h[5] = ref.sched;
      h[6] = ref.n;
      this.gw.emit(k, 7, undefined, false);
      h[0] = kRecMsg;
      h[1] = pid.id;
      h[2] = pid.serial;
      try {
        this.gw.emit(k, 3, { type: '$call', from: { pid: this.pid, ref }, msg }, true);
      } catch (e) {
        this.gw.demonitor(pid, ref);
        throw e;
      }
      const timer = setTimeout(() => {
        if (!this.gw.calls.delete(ref.n)) return;
        if (!this.down[k] && this.stopping === null) this.gw.demonitor(pid, ref);
        reject(new CallTimeoutError(timeoutMs));
      }, timeoutMs);
      this.gw.calls.set(ref.n, { resolve, reject, timer, pid, ref });
    });
  }

  /** Register `name` for `pid` (node-wide). Resolves once the owner scheduler did it. */
  async register(name: string, pid: Pid): Promise<void> {
    this.assertRunning();
    if (!(pid instanceof Pid)) throw new BadArgError('register: expected a pid');
    this.registry.check(name);
    const k = pid.id % this.layout.endpoints;
    if (k === this.layout.gateway || this.down[k] || pid.node !== 0) throw new NoProcError(pid);
    await this.request(k, kOpRegister, { name, pid });
  }

  unregister(name: string): void {
    this.assertRunning();
    if (this.registry.whereis(name) === undefined) throw new NotRegisteredError(name);
    this.registry.remove(name);
  }

  whereis(name: string): Pid | undefined {
    return this.registry.whereis(name);
  }

  registered(): string[] {
    return this.registry.registered();
  }

  /** Process info, from the scheduler that owns `pid`; undefined if it does not exist. */
  async processInfo(pid: Pid): Promise<ProcessInfo | undefined> {
    this.assertRunning();
    if (!(pid instanceof Pid)) throw new BadArgError('processInfo: expected a pid');
    const k = pid.id % this.layout.endpoints;
    if (pid.node !== 0 || k === this.layout.gateway || this.down[k]) return undefined;
    return (await this.request(k, kOpInfo, pid)) as ProcessInfo | undefined;
  }

  /**
   * Run `fn(scheduler, ...args)` — a function exported by a module, named `{ module, export }`
   * — on the thread of every scheduler that is up (or of those listed), and resolve with
   * the results in that order. The function may be async; args and results travel
   * encoded; a throw rejects (SwitchboardError codes are kept). The OTP code server loads
   * code on every scheduler with it.
   */
  applyOnSchedulers(fn: { module: string; export: string }, args: readonly unknown[] = [], schedulers?: readonly number[]): Promise<unknown[]> {
    this.assertRunning();
    if (typeof fn !== 'object' || fn === null || typeof fn.module !== 'string' || typeof fn.export !== 'string') {
      throw new BadArgError('applyOnSchedulers: fn must be { module, export } naming an exported function');
    }
    if (!Array.isArray(args)) throw new BadArgError('applyOnSchedulers: args must be an array');
    const ks = schedulers ?? [...Array(this.schedulers).keys()].filter((k) => !this.down[k]);
    for (const k of ks) {
      if (!Number.isInteger(k) || k < 0 || k >= this.schedulers) throw new BadArgError(`applyOnSchedulers: no scheduler ${String(k)}`);
    }
    const body = { module: fn.module, export: fn.export, args };
    return Promise.all(ks.map((k) => this.request(k, kOpApply, body)));
  }

  /** Every scheduler's counters, read from the shared stats blocks (no messaging). */
  stats(): NodeStats {
    const out: SchedulerStats[] = [];
    for (let k = 0; k < this.schedulers; k++) out.push(readStats(this.sab, statsOffset(this.layout, k), k));
    return {
      schedulers: out,
      gateway: {
        recordsIn: this.gw.recordsIn,
        recordsOut: this.gw.recordsOut,
        ringFull: this.gw.ringFull,
        overflowBytes: this.gw.overflowBytes,
        pendingCalls: this.gw.calls.size,
      },
    };
  }

  /**
   * Resolves when everything this thread sent has entered the rings (no overflow left):
   * after a BackpressureError, `await node.drained()` and send again.
   */
  drained(): Promise<void> {
    return this.gw.whenDrained();
  }

  /** Is scheduler `k` up? */
  isSchedulerUp(k: number): boolean {
    return k >= 0 && k < this.schedulers && !this.down[k];
  }

  /**
   * Stop: every actor exits with reason 'shutdown', every worker thread ends; resolves when
   * all have exited (a worker that does not exit within `stopTimeoutMs` is terminated).
   * Pending calls and requests reject with NotRunningError. Leaves no handle behind.
   */
  stop(): Promise<void> {
    if (this.stopping !== null) return this.stopping;
    // The stop hooks run first, while the node still runs (see onStop).
    return (this.stopRequest ??= runStopHooks(this.stopHooks).then(() => (this.stopping ??= this.doStop())));
  }

  /**
   * Run `hook` when `stop()` begins, while the node still runs (calls work), before any
   * actor is stopped; hooks run last added first (the application controller uses it).
   */
  onStop(hook: () => Promise<void> | void): void {
    this.stopHooks.push(hook);
  }

  private async doStop(): Promise<void> {
    if (this.killRetry !== null) clearImmediate(this.killRetry);
    this.killRetry = null;
    for (let k = 0; k < this.schedulers; k++) {
      if (this.down[k]) continue;
      const h = this.gw.hdr;
      h[0] = kRecControl;
      h[1] = 0; // no reply awaited: the worker's exit is the answer
      h[2] = kOpStop;
      this.gw.emit(k, 3, { reason: 'shutdown' }, true);
    }
    this.gw.flush();
    await Promise.all(
      this.workers.map(async (w, k) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<'timeout'>((r) => {
          timer = setTimeout(() => r('timeout'), this.opts.stopTimeoutMs);
        });
        const r = await Promise.race([this.exited[k]!, timeout]);
        clearTimeout(timer);
        if (r === 'timeout') {
          await w.terminate();
          await this.exited[k];
        }
      }),
    );
    this.stoppedFlag = true;
    if (this.dirty !== null) await this.dirty.destroy();
    const err = new NotRunningError('the node stopped');
    for (const c of this.gw.calls.values()) {
      clearTimeout(c.timer);
      c.reject(err);
    }
    this.gw.calls.clear();
    for (const r of this.gw.requests.values()) r.reject(err);
    this.gw.requests.clear();
    this.gw.close();
  }

  // ---------------------------------------------------------------------------------

  private assertRunning(): void {
    if (this.stopping !== null) throw new NotRunningError();
  }

  private resolve(to: Pid | string, op: string): Pid | null {
    if (to instanceof Pid) return to.node === 0 && to.id % this.layout.endpoints !== this.layout.gateway ? to : null;
    if (typeof to === 'string') {
      const pid = this.registry.whereis(to);
      if (pid === undefined) {
        if (op === 'call') return null;
        throw new NotRegisteredError(to);
      }
      return pid;
    }
    throw new BadArgError(`${op}: destination must be a pid or a registered name`);
  }

  private pick(): number {
    for (let i = 0; i < this.schedulers; i++) {
      const k = this.rr;
      this.rr = (this.rr + 1) % this.schedulers;
      if (!this.down[k]) return k;
    }
    throw new NotRunningError('every scheduler is down');
  }

  private request(k: number, op: number, body: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.gw.checkRoom(k);
      const id = ++this.reqSerial;
      const h = this.gw.hdr;
      h[0] = kRecControl;
      h[1] = id;
      h[2] = op;
      this.gw.emit(k, 3, body, true);
      this.gw.requests.set(id, { resolve, reject, scheduler: k });
    });
  }

  private schedulerDown(k: number, exitCode: number): void {
    if (this.down[k]) return;
    this.down[k] = true;
    const err = this.workerErrors[k];
    const reason: SchedulerDownReason = Object.freeze({
      kind: 'schedulerDown',
      scheduler: k,
      exitCode,
      error: err === null || err === undefined ? null : `${err.name}: ${err.message}`,
    });
    const control = new Int32Array(this.sab, 0, this.layout.controlWords);
    Atomics.store(control, kCtlAliveBase + k, 0);
    markStatsState(this.sab, statsOffset(this.layout, k), kStateDown);
    this.registry.recoverFrom(k);
    this.registry.removeOwnedBy(k);
    // What it committed before dying comes first (e.g. replies), then the DOWNs.
    this.gw.drainFrom(k);
    this.gw.markDead(k);
    for (let j = 0; j < this.schedulers; j++) {
      if (this.down[j]) continue;
      const h = this.gw.hdr;
      h[0] = kRecSchedDown;
      h[1] = k;
      this.gw.emit(j, 2, reason, true);
    }
    this.gw.flush();
    for (const [n, c] of this.gw.calls) {
      if (c.pid.id % this.layout.endpoints !== k) continue;
      this.gw.calls.delete(n);
      clearTimeout(c.timer);
      c.reject(new CallExitError(reason));
    }
    for (const [id, r] of this.gw.requests) {
      if (r.scheduler !== k) continue;
      this.gw.requests.delete(id);
      r.reject(new NotRunningError(`scheduler ${k} is down`));
    }
    const event: SchedulerDownEvent = { scheduler: k, reason };
    this.opts.onSchedulerDown?.(event);
    this.emit('schedulerDown', event);
  }
}

/** What a worker can import: `{ module, export }`. */
async function portable(target: unknown): Promise<BehaviourRef> {
  if (target instanceof Behaviour) {
    if (target.module === null) {
      throw new NotPortableError(`spawn: a closure behaviour (${target.label}) cannot run on another thread; define it with defineActor(import.meta.url, impl, 'ExportName') and export it`);
    }
    let name = target.exportName;
    if (name === null) {
      try {
        const ns = (await import(target.module)) as Record<string, unknown>;
        for (const k of Object.keys(ns)) if (ns[k] === target) name = k;
      } catch {
        // not importable from here
      }
      if (name === null) {
        throw new NotPortableError(`spawn: behaviour from ${target.module} is not exported by its module; export it or pass defineActor(..., 'ExportName')`);
      }
      target.exportName = name;
    }
    return { module: target.module, export: name };
  }
  if (typeof target === 'object' && target !== null) {
    const r = target as Partial<BehaviourRef>;
    if (typeof r.module === 'string' && typeof r.export === 'string') return { module: r.module, export: r.export };
    if (typeof (target as { handle?: unknown }).handle === 'function') {
      throw new NotPortableError('spawn: a closure (handler object) cannot run on another thread; use defineActor(import.meta.url, impl, \'ExportName\') or { module, export }');
    }
  }
  if (typeof target === 'function') {
    throw new NotPortableError('spawn: a closure (function) cannot run on another thread; use defineActor(import.meta.url, impl, \'ExportName\') or { module, export }');
  }
  throw new BadArgError('spawn: expected a Behaviour from defineActor or { module, export }');
}

/** Start a node: one scheduler per worker thread. Resolves when every worker is ready. */
export async function startNode(options?: NodeOptions): Promise<ThreadedNode> {
  const opts = validateNodeOptions(options);
  const layout = computeLayout({ schedulers: opts.schedulers, ringBytes: opts.ringBytes, maxNames: opts.maxNames });
  const sab = new SharedArrayBuffer(layout.totalBytes);
  for (let from = 0; from < layout.endpoints; from++) {
    for (let to = 0; to < layout.endpoints; to++) if (from !== to) initSpscRing(sab, ringOffset(layout, from, to), layout.ringBytes);
  }
  initSharedRegistry(sab, layout.registryOffset, layout.maxNames);
  const control = new Int32Array(sab, 0, layout.controlWords);
  control[kCtlEndpoints] = layout.endpoints;
  Atomics.store(control, kCtlAliveBase + layout.gateway, 1);
  Atomics.store(control, kCtlMagic, kLayoutMagic);

  const loader = await workerLoader();
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL('./worker-entry.mjs', import.meta.url);
  const hostUrl = new URL(fromSource ? './worker-host.ts' : './worker-host.js', import.meta.url).href;
  const sched: Record<string, unknown> = {};
  for (const k of ['budget', 'maxReductionsPerMessage', 'maxHeapSize'] as const) if (opts[k] !== undefined) sched[k] = opts[k];

  const workers: Worker[] = [];
  const exited: Promise<number>[] = [];
  const errors: (Error | null)[] = [];
  const ready: Promise<void>[] = [];
  for (let k = 0; k < opts.schedulers; k++) {
    const setup: WorkerSetup = {
      sab,
      params: { schedulers: layout.schedulers, ringBytes: layout.ringBytes, maxNames: layout.maxNames },
      index: k,
      scheduler: sched,
      spinUs: opts.spinUs,
      quantumMs: opts.quantumMs,
      overflowBytes: opts.overflowBytes,
      balance: opts.balance,
    };
    const w = new Worker(entry, { workerData: { loader, hostUrl, setup }, name: `switchboard-scheduler-${k}` });
    workers.push(w);
    errors.push(null);
    exited.push(new Promise<number>((r) => w.once('exit', r)));
    ready.push(
      new Promise<void>((resolve, reject) => {
        const onMsg = (m: { type?: string }): void => {
          if (m?.type !== 'ready') return;
          cleanup();
          resolve();
        };
        const onErr = (e: Error): void => {
          cleanup();
          reject(e);
        };
        const onExit = (code: number): void => {
          cleanup();
          reject(new Error(`scheduler ${k}'s worker exited with code ${code} while starting`));
        };
        const cleanup = (): void => {
          w.off('message', onMsg);
          w.off('error', onErr);
          w.off('exit', onExit);
        };
        w.on('message', onMsg);
        w.on('error', onErr);
        w.on('exit', onExit);
      }),
    );
  }
  try {
    await Promise.all(ready);
  } catch (e) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw e;
  }
  return new ThreadedNode(opts, layout, sab, workers, exited, errors);
}
