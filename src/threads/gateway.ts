/**
 * Gateway: the embedding thread's endpoint (endpoint.ts) on a ThreadedNode — its rings to
 * and from every scheduler, the records the node's API writes, and the tables of what
 * the embedding thread waits for (calls, requests). Its pid (`<0.G.0>`, G = the gateway
 * endpoint) is the node's `pid`.
 *
 *   embedding thread                          scheduler k (worker-host.ts)
 *   ThreadedNode ── call ──> Gateway ── MONITOR, MSG $call ──> callee
 *                            Gateway <── MSG $reply / DOWN ──── callee
 *   ThreadedNode ── spawn ─> Gateway ── CONTROL (id, op) ────> request handler
 *                            Gateway <── CONTROL (id, ok|err) ─ reply
 *
 * Calls follow the call protocol (core/call-protocol.ts), the table is its PendingCalls:
 *   1. The caller (ThreadedNode.call) resolved `to` to a pid on a scheduler that is up.
 *   2. MONITOR the callee from the gateway pid with a fresh ref; it is also the call ref.
 *   3. MSG `callRequest({ pid: gateway, ref }, msg)`; the call waits in the table.
 *   4. MSG `$reply` with that ref: DEMONITOR, resolve. DOWN with that ref: reject
 *      (NoProcError for 'noproc', else CallExitError). Timeout: DEMONITOR (if the
 *      callee's scheduler is up), reject with CallTimeoutError; a late reply matches no
 *      call and is dropped. A scheduler that dies rejects the calls to its processes
 *      (scheduler-down.ts), as do guests that die with their host (GUESTSDOWN).
 *
 * Requests (spawn, process info, register, apply, stop) are CONTROL records with an id;
 * the scheduler's reply carries the id and ok (body = the result) or error (body = the
 * error's code, message and fields, rebuilt here as the same SwitchboardError class).
 *
 * Servicing: drain every inbound ring, flush, then park on the doorbell with
 * Atomics.waitAsync (doorbell.ts) — never blocking the event loop — and again when rung.
 * Records the API writes are flushed at the end of the current microtask.
 */
import {
  BadArgError, CallExitError, InvalidOptionError, NameTakenError, NoProcError, NotRegisteredError, NotRunningError,
  SwitchboardError, UndefinedBehaviourError,
} from '../core/errors.ts';
import { PendingCalls, callRequest, isReply } from '../core/call-protocol.ts';
import { Pid, Ref } from '../core/pid.ts';
import { type DirtyOutcome, type DirtyTask, errorInfo } from './dirty-pool.ts';
import {
  Endpoint, kOpOk, kOpStop, kRecControl, kRecDemonitor, kRecDirty, kRecDown, kRecExit, kRecGuestsDown, kRecMonitor, kRecMsg,
  kRecNameClear, kRecSchedDown,
} from './endpoint.ts';
import { BackpressureError } from './errors.ts';
import type { NodeLayout } from './layout.ts';

interface PendingRequest {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  scheduler: number;
}

export class Gateway extends Endpoint {
  readonly pid: Pid;
  /** Calls in flight, keyed by the ref's serial (every call ref is minted here, step 2). */
  readonly calls = new PendingCalls((r) => (r.sched === this.index ? r.n : -1));
  private readonly requests = new Map<number, PendingRequest>();
  private refSerial = 0;
  private reqSerial = 0;
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

  // ---------------------------------------------------------------------------------
  // Servicing

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

  /** Stop servicing; every call and request still waiting rejects with `error`. */
  close(error: Error): void {
    this.calls.failAll(error);
    for (const r of this.requests.values()) r.reject(error);
    this.requests.clear();
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
          // Step 4, reply (or a late one: matches no call, dropped).
          const to = this.calls.calleeOf(msg.ref);
          if (this.calls.settle(msg) !== null) this.demonitor(to as Pid, msg.ref);
          return;
        }
        this.onMessage(msg);
        return;
      }
      case kRecDown: {
        // Step 4, DOWN: the monitor is gone with it.
        if (words[w + 5] !== this.index || this.calls.size === 0) return;
        const ref = new Ref(0, this.index, words[w + 6]! >>> 0);
        this.calls.settle({ type: 'DOWN', ref, reason: this.decodeValue(bytes, w, 7, len) });
        return;
      }
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
        this.failCallsWhere((to) => to instanceof Pid && dead.has(`${to.id}.${to.serial}`), b.reason);
        return;
      }
      default:
        // EXIT / LINK / MONITOR addressed to the gateway pid: the gateway never exits
        // before the node stops, so there is nothing to record.
        void src;
    }
  }

  // ---------------------------------------------------------------------------------
  // Calls (steps 2-4)

  /** Steps 2-3 for `pid`, on a scheduler that is up. Resolves with the reply's value. */
  call(pid: Pid, msg: unknown, timeoutMs: number): Promise<unknown> {
    const k = pid.id % this.endpoints;
    this.checkRoom(k);
    const ref = new Ref(0, this.index, ++this.refSerial);
    const h = this.h;
    h[0] = kRecMonitor;
    h[1] = pid.id;
    h[2] = pid.serial;
    h[3] = this.pid.id;
    h[4] = this.pid.serial;
    h[5] = ref.sched;
    h[6] = ref.n;
    this.emit(k, 7, undefined, false);
    h[0] = kRecMsg;
    h[1] = pid.id;
    h[2] = pid.serial;
    try {
      this.emit(k, 3, callRequest({ pid: this.pid, ref }, msg), true);
    } catch (e) {
      this.demonitor(pid, ref);
      throw e;
    }
    return new Promise((resolve, reject) => this.calls.add(ref, pid, timeoutMs, resolve, reject, this.onCallTimeout));
  }

  private readonly onCallTimeout = (ref: Ref, to: unknown): void => {
    const pid = to as Pid;
    if (!this.closed && this.isAlive(pid.id % this.endpoints)) this.demonitor(pid, ref);
  };

  /** Reject the calls in flight whose callee matches: it is gone with `reason`, no DOWN will come. */
  failCallsWhere(match: (to: unknown) => boolean, reason: unknown): void {
    this.calls.failMatching(match, () => new CallExitError(reason));
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
  // Messages and signals

  sendMessage(pid: Pid, msg: unknown): void {
    const k = pid.id % this.endpoints;
    this.checkRoom(k);
    const h = this.h;
    h[0] = kRecMsg;
    h[1] = pid.id;
    h[2] = pid.serial;
    this.emit(k, 3, msg, true);
  }

  /** An exit signal from the gateway pid (not through a link). */
  sendExit(pid: Pid, reason: unknown): void {
    const k = pid.id % this.endpoints;
    this.checkRoom(k);
    const h = this.h;
    h[0] = kRecExit;
    h[1] = pid.id;
    h[2] = pid.serial;
    h[3] = this.pid.id;
    h[4] = this.pid.serial;
    h[5] = 0;
    this.emit(k, 6, reason, true);
  }

  /** Tell `pid`'s scheduler that its name was removed by another thread. */
  sendNameClear(pid: Pid, name: string): void {
    const h = this.h;
    h[0] = kRecNameClear;
    h[1] = pid.id;
    h[2] = pid.serial;
    this.emit(pid.id % this.endpoints, 3, name, true);
  }

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
