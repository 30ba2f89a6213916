/**
 * Gateway: the embedding thread's endpoint (endpoint.ts) on a ThreadedNode, and the host
 * of the core Scheduler that runs on the embedding thread (index = the gateway endpoint,
 * stride = endpoints), driven from its event loop (core/driver.ts). On that scheduler the
 * gateway is a real actor (high priority, traps exits); its pid is the node's `pid`.
 *
 *   embedding thread                                        scheduler k (worker-host.ts)
 *   ThreadedNode ── call ──> gateway actor ── MONITOR, MSG $call ──> callee
 *     (sched.monitorAs / sched.send -> router -> ThreadTransport)
 *                            gateway actor <── MSG $reply / DOWN ──── callee
 *     (ring -> signal-records.ts -> sched.inbound -> its mailbox -> PendingCalls.settle)
 *   ThreadedNode ── spawn ─> Gateway ── CONTROL (id, op) ────> request handler
 *                            Gateway <── CONTROL (id, ok|err) ─ reply
 *
 * Its scheduler's SchedulerHost has the same thread transport as a scheduler thread's
 * (worker-transport.ts), and inbound messages and signals go through the same dispatch
 * (signal-records.ts): `send` and `exit` from the embedding thread are that scheduler's
 * send and exit, so they take the router and the transport like an actor's.
 *
 * Calls follow the call protocol (core/call-protocol.ts), the table is its PendingCalls:
 *   1. The caller (ThreadedNode.call) resolved `to` to a pid on a scheduler that is up.
 *   2. The scheduler monitors the callee for the gateway pid (`monitorAs`); the monitor
 *      ref is also the call ref.
 *   3. `callRequest({ pid: gateway, ref }, msg)` is sent; the call waits in the table.
 *   4. The gateway actor hands every message to `gatewayReceive`: the reply resolves the
 *      call (and the monitor goes), the callee's DOWN rejects it (NoProcError for
 *      'noproc', else CallExitError); anything else is a 'message' event. Timeout:
 *      demonitor, reject with CallTimeoutError; a late reply matches no call and is
 *      dropped. A scheduler that dies rejects the calls to its processes
 *      (scheduler-down.ts), as do guests that die with their host (GUESTSDOWN); its
 *      processes are then a peer gone for this scheduler too (`peerGone`).
 *
 * Requests (spawn, process info, register, apply, stop) are CONTROL records with an id;
 * the scheduler's reply carries the id and ok (body = the result) or error (body = the
 * error's code, message and fields, rebuilt here as the same SwitchboardError class).
 *
 * Servicing: drain every inbound ring, run the gateway actor on what arrived (so a reply
 * settles in the same turn), flush, then park on the doorbell with Atomics.waitAsync
 * (doorbell.ts) — never blocking the event loop — and again when rung. Records written
 * outside servicing are flushed at the end of the current microtask.
 */
import { Behaviour, BehaviourKind } from '../core/behaviour.ts';
import type { Context } from '../core/context.ts';
import {
  BadArgError, CallExitError, InvalidOptionError, NameTakenError, NoProcError, NotRegisteredError, NotRunningError,
  SwitchboardError, UndefinedBehaviourError,
} from '../core/errors.ts';
import { PendingCalls, gatewayCall, gatewayReceive } from '../core/call-protocol.ts';
import { Pid, type Ref } from '../core/pid.ts';
import { Scheduler } from '../core/scheduler.ts';
import { type DirtyOutcome, type DirtyTask, errorInfo } from './dirty-pool.ts';
import type { NodeDistribution } from '../core/node.ts';
import type { RemoteName } from '../core/types.ts';
import { DistGateway } from './dist-gateway.ts';
import { takeDistLargeChannels } from './dist-large-port.ts';
import { kOpOk, kOpStop, kRecControl, kRecDirty, kRecDistOut, kRecGuestsDown, kRecSchedDown } from './endpoint.ts';
import { BackpressureError } from './errors.ts';
import { KillFlags } from './kill-flags.ts';
import type { NodeLayout } from './layout.ts';
import { SharedRegistry } from './shared-registry.ts';
import { isSignalRecord, onSignalRecord } from './signal-records.ts';
import { SchedulerEndpoint } from './scheduler-endpoint.ts';
import { ThreadTransport } from './worker-transport.ts';
import { kMsIdle, kMsRing } from '../core/microstate.ts';

/** Slices the gateway scheduler runs right after a drain (the rest is the driver's). */
const kSlicesPerService = 64;

interface PendingRequest {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  scheduler: number;
}

export class Gateway extends SchedulerEndpoint {
  /** The scheduler on the embedding thread; the gateway actor is its only process. */
  readonly sched: Scheduler;
  readonly pid: Pid;
  readonly gateway: number;
  /** The node-wide name table, as this thread sees it. */
  readonly registry: SharedRegistry;
  /** Its scheduler's transport to the scheduler threads. */
  readonly transport: ThreadTransport;
  /** Shared kill announcements (kill-flags.ts), written by a 'kill' from this thread. */
  readonly kills: KillFlags;
  /** Calls in flight (every call ref is minted here, step 2). */
  readonly calls = new PendingCalls();
  private readonly requests = new Map<number, PendingRequest>();
  private reqSerial = 0;
  private flushQueued = false;
  private parked = false;
  private servicing = false;
  closed = false;
  onMessage: (msg: unknown) => void = () => {};
  /** Distribution (a named node, dist-gateway.ts), else null. */
  readonly dist: DistGateway | null;
  /** A scheduler's `ctx.dirty` task (dirty-pool.ts, step 2). */
  onDirtyTask: (src: number, id: number, serial: number, n: number, task: DirtyTask) => void = () => {};

  /** `dist`: the node's distribution layer (a named node): its scheduler's node transport and hooks. */
  constructor(sab: SharedArrayBuffer, layout: NodeLayout, overflowBytes: number, dist: NodeDistribution | null = null) {
    super(sab, layout, layout.gateway, overflowBytes);
    this.gateway = layout.gateway;
    this.kills = new KillFlags(sab, layout, layout.gateway);
    this.registry = new SharedRegistry(sab, layout.registryOffset, layout.maxNames, layout.gateway, layout.endpoints, {
      makePid: (id, serial) => this.internPid(id, serial),
      onForeignRemove: (name, pid) => this.transport.nameCleared(name, pid),
    });
    this.transport = new ThreadTransport(this);
    this.dist = dist === null ? null : new DistGateway(this, dist, takeDistLargeChannels(dist));
    const host = dist === null ? { thread: this.transport } : { thread: this.transport, node: dist.transport, dist: dist.hooks };
    this.sched = new Scheduler({ index: layout.gateway, stride: layout.endpoints }, { registry: this.registry, host });
    this.sched.ms = this.ms;
    this.pid = this.sched.spawn(gatewayActor(this), [], { priority: 'high', trapExit: true });
    this.sched.start();
  }

  protected localPid(id: number, serial: number): Pid {
    const a = this.sched.lookupId(id, serial);
    return a !== undefined ? a.pid : new Pid(0, id, serial);
  }

  /** SchedulerEndpoint.later: the transport's answers for a peer that is down. */
  later(fn: () => void): void {
    queueMicrotask(fn);
  }

  /** The gateway actor's handler (step 4). */
  receive(msg: unknown, ctx: Context): void {
    gatewayReceive(this.calls, msg, ctx, this.onMessage);
  }

  protected override onDirty(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(this.flushTask);
  }

  private readonly flushTask = (): void => {
    this.flushQueued = false;
    const ms = this.ms;
    const was = ms[0]!;
    ms[0] = kMsRing;
    this.flush();
    ms[0] = was;
  };

  /** Is the overflow toward some scheduler at its bound (what the gateway hands in waits for room)? */
  get behind(): boolean {
    for (let k = 0; k < this.layout.schedulers; k++) {
      const link = this.out[k];
      if (link != null && link.overflowBytes >= this.overflowLimit) return true;
    }
    return false;
  }

  /** Throw BackpressureError if `dest`'s overflow is at its bound (the gateway never waits). */
  checkRoom(dest: number): void {
    const link = this.out[dest]!;
    if (link.overflowBytes > 0 && link.overflowBytes >= this.overflowLimit) throw new BackpressureError(dest, link.overflowBytes);
  }

  // ---------------------------------------------------------------------------------
  // Servicing

  /** Drain, flush, park; again when rung. Never blocks the event loop. */
  service = (): void => {
    this.parked = false;
    if (this.closed || this.servicing) return;
    this.servicing = true;
    const ms = this.ms;
    try {
      ms[0] = kMsRing;
      for (let i = 0; i < 64; i++) if (this.drain(4096) === 0) break;
      // What arrived for the gateway actor (replies, DOWNs, messages) is handled now.
      if (this.sched.hasWork()) this.sched.runUntilIdle(kSlicesPerService);
      ms[0] = kMsRing;
      this.flush();
    } finally {
      ms[0] = kMsIdle;
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

  /**
   * Drain every record endpoint `k` committed (it died: they come before its DOWNs), and
   * let the gateway actor settle the replies among them.
   */
  drainFrom(k: number): void {
    const l = this.inBySrc[k];
    if (l !== null && l !== undefined) while (this.drainLink(l, 4096) > 0);
    this.sched.runUntilIdle();
  }

  /** Stop servicing; every call and request still waiting rejects with `error`. */
  close(error: Error): void {
    this.calls.failAll(error);
    for (const r of this.requests.values()) r.reject(error);
    this.requests.clear();
    this.closed = true;
    this.dist?.close();
    // The gateway actor ends; the scheduler threads are gone, so nothing is written to them.
    for (let k = 0; k < this.layout.schedulers; k++) this.markDead(k);
    this.sched.stop();
    this.sched.shutdown('shutdown');
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
    const kind = words[w]!;
    if (isSignalRecord(kind)) {
      // Messages and signals for the gateway actor (steps 3-4: replies, DOWNs).
      onSignalRecord(this.sched, this, words, w, bytes, len);
      return;
    }
    switch (kind) {
      case kRecControl: {
        const id = words[w + 1]!;
        const r = this.requests.get(id);
        if (r === undefined) return;
        this.requests.delete(id);
        const body = this.decodeValue(bytes, w, 3, len);
        if (words[w + 2] === kOpOk) r.resolve(body);
        else r.reject(rebuildError(body));
        return;
      }
      case kRecDistOut:
        // An op of a scheduler's actor on another node (dist-gateway.ts, step 1).
        this.dist?.onOut(src, words[w + 1]!, this.decodeValue(bytes, w, 2, len) as unknown[]);
        return;
      case kRecDirty:
        this.onDirtyTask(src, words[w + 1]! >>> 0, words[w + 2]! >>> 0, words[w + 3]! >>> 0, this.decodeValue(bytes, w, 4, len) as DirtyTask);
        return;
      case kRecGuestsDown: {
        // Actors that had moved to a scheduler that died (migration.ts, step 7): calls to
        // them fail as calls to its own processes do; what it committed comes first.
        const host = words[w + 1]!;
        const b = this.decodeValue(bytes, w, 2, len) as { ids: number[]; serials: number[]; reason: unknown };
        this.drainFrom(host);
        const dead = new Map<number, number>();
        for (let i = 0; i < b.ids.length; i++) dead.set(b.ids[i]!, b.serials[i]!);
        const gone = (p: unknown): boolean => p instanceof Pid && p.node === 0 && dead.get(p.id) === p.serial;
        this.failCallsWhere(gone, b.reason);
        this.sched.inbound.peerGone(gone, b.reason);
        return;
      }
      default:
        // NAMECLEAR / SCHEDDOWN: the gateway has no names and learns of a dead scheduler
        // from its worker's exit (scheduler-down.ts).
        void src;
    }
  }

  // ---------------------------------------------------------------------------------
  // Calls (steps 2-4)

  /**
   * Steps 2-3 for `pid`, on a scheduler that is up, or a pid or `{ name, node }` of another
   * node (through the node transport). Resolves with the reply's value.
   */
  call(pid: Pid | RemoteName, msg: unknown, timeoutMs: number): Promise<unknown> {
    if (pid instanceof Pid && pid.node === 0) this.checkRoom(pid.id % this.endpoints);
    const ref = gatewayCall(this.sched, this.pid, pid, msg);
    return new Promise((resolve, reject) => this.calls.add(ref, pid, timeoutMs, resolve, reject, this.onCallTimeout));
  }

  private readonly onCallTimeout = (ref: Ref): void => {
    if (!this.closed) this.sched.demonitorAs(this.pid, ref);
  };

  /** Reject the calls in flight whose callee matches: it is gone with `reason`, no DOWN will come. */
  failCallsWhere(match: (to: unknown) => boolean, reason: unknown): void {
    this.calls.failMatching(match, () => new CallExitError(reason));
  }

  // ---------------------------------------------------------------------------------
  // Requests

  /** A CONTROL request `op` to scheduler `k`; resolves with the reply's body. */
  request(k: number, op: number, body: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.checkRoom(k);
      const id = ++this.reqSerial;
      const h = this.h;
      h[0] = kRecControl;
      h[1] = id;
      h[2] = op;
      this.emit(k, 3, body, true);
      this.requests.set(id, { resolve, reject, scheduler: k });
    });
  }

  /** Reject the requests waiting on scheduler `k` (it is down). */
  failRequestsTo(k: number): void {
    for (const [id, r] of this.requests) {
      if (r.scheduler !== k) continue;
      this.requests.delete(id);
      r.reject(new NotRunningError(`scheduler ${k} is down`));
    }
  }

  /** Ask scheduler `k` to stop (no reply awaited: the worker's exit is the answer). */
  sendStop(k: number): void {
    const h = this.h;
    h[0] = kRecControl;
    h[1] = 0;
    h[2] = kOpStop;
    this.emit(k, 3, { reason: 'shutdown' }, true);
  }

  // ---------------------------------------------------------------------------------
  // Records outside the signal protocol

  /** Tell scheduler `j` that scheduler `k` is down (scheduler-down.ts, step 5). */
  sendSchedulerDown(j: number, k: number, reason: unknown): void {
    const h = this.h;
    h[0] = kRecSchedDown;
    h[1] = k;
    this.emit(j, 2, reason, true);
  }

  /** A dirty task's outcome to the actor's scheduler (dirty-pool.ts, step 3). */
  sendDirtyOutcome(k: number, id: number, serial: number, n: number, out: DirtyOutcome): void {
    const h = this.h;
    const head = (): void => {
      h[0] = kRecDirty;
      h[1] = id;
      h[2] = serial;
      h[3] = n;
    };
    head();
    try {
      this.emit(k, 4, out, true);
    } catch (e) {
      head();
      this.emit(k, 4, { ok: false, error: errorInfo(e) }, true);
    }
  }
}

/** The gateway actor: every message goes to the gateway's handler (step 4). */
function gatewayActor(gw: Gateway): Behaviour {
  const impl = {
    handle(msg: unknown, state: unknown, ctx: Context): unknown {
      gw.receive(msg, ctx);
      return state;
    },
  };
  return new Behaviour(BehaviourKind.Handler, impl, null, import.meta.url, 'gateway');
}

/** The error a scheduler replied with, as its own class (the codec lane's code table may replace this). */
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
