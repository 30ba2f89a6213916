/**
 * The call protocol: the one way a process — or a node's gateway actor on behalf of the
 * embedding thread — asks another process for an answer. GenServer, GenStatem,
 * supervisors, sys, tasks and both node kinds use only what this file defines.
 *
 * Wire format (plain frozen data, so it crosses threads and nodes unchanged):
 *
 *   request  { type: '$call', from: { pid, ref }, msg }   answered with ctx.reply(from, v)
 *   reply    { type: '$reply', ref, value }
 *   cast     { type: '$cast', msg }                        no answer
 *
 * The caller's steps (callProcess below; the gateway actors of both node kinds follow the
 * same steps with gatewayCall, PendingCalls and gatewayReceive):
 *   1. Resolve `to` (a name must be registered: else NoProcError, nothing is sent).
 *   2. Monitor the callee; the monitor ref is also the call ref (`from.ref`), so one
 *      pattern `{ ref }` selects both the reply and the callee's DOWN. (A process calling
 *      a live server on its own scheduler skips the monitor: local-call.ts leaves a
 *      pending-call marker on the server whose finalisation sends the same DOWN; the
 *      wire format and steps 3-4 are unchanged.)
 *   3. Send the request; wait only for a message carrying that ref, with the timeout.
 *   4. Reply: demonitor (flushing a DOWN already queued) and return the value. Between
 *      the threads of one node the server removes the monitor as it replies and flags the
 *      reply `demonitored: true`; the caller then forgets the monitor without a DEMONITOR
 *      record (thread-call.ts).
 *      DOWN: NoProcError for 'noproc', else CallExitError carrying the exit reason.
 *      Timeout: demonitor, then expire the ref — a reply already queued is removed and
 *      one arriving later is dropped on delivery (Erlang's deactivated alias) — then
 *      CallTimeoutError.
 *
 * Timeouts are positive milliseconds or `Infinity` (wait for ever: no timer is armed,
 * so nothing is clamped by setTimeout's 2^31-1 ms limit).
 */
import { BadArgError, CallExitError, CallTimeoutError, NoProcError } from './errors.ts';
import { Ref, type Pid } from './pid.ts';
import type { RemoteName } from './types.ts';
import { isDemonitoredReply } from './thread-call.ts';

/** Who to reply to for a call: the caller's pid and the call's unique ref. */
export interface From {
  readonly pid: Pid;
  readonly ref: Ref;
}

/** A request made with `call`: answer it with `ctx.reply(msg.from, value)`. */
export interface CallRequest<M = unknown> {
  readonly type: '$call';
  readonly from: From;
  readonly msg: M;
}

/** The answer to a call, delivered to the caller. */
export interface CallReply<R = unknown> {
  readonly type: '$reply';
  readonly ref: Ref;
  readonly value: R;
  /** Set by a server on another thread of this node that removed the call's monitor (thread-call.ts). */
  readonly demonitored?: true;
}

/** A message sent with `cast`: no answer. */
export interface CastRequest<M = unknown> {
  readonly type: '$cast';
  readonly msg: M;
}

export const kDefaultCallTimeoutMs = 5000;

export function callRequest<M>(from: From, msg: M): CallRequest<M> {
  return { type: '$call', from, msg };
}

export function callReply<R>(ref: Ref, value: R): CallReply<R> {
  return { type: '$reply', ref, value };
}

export function castRequest<M>(msg: M): CastRequest<M> {
  return { type: '$cast', msg };
}

export function isCall(m: unknown): m is CallRequest {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$call';
}

export function isReply(m: unknown): m is CallReply {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$reply';
}

export function isCast(m: unknown): m is CastRequest {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$cast';
}

/** Throws BadArgError unless `timeoutMs` is a positive number of milliseconds or Infinity. */
export function checkCallTimeout(where: string, timeoutMs: unknown): asserts timeoutMs is number {
  if (!(timeoutMs === Infinity || (typeof timeoutMs === 'number' && timeoutMs > 0 && Number.isFinite(timeoutMs)))) {
    throw new BadArgError(`${where}: timeoutMs must be a positive number of milliseconds or Infinity, got ${String(timeoutMs)}`);
  }
}

/** The error a call fails with when the callee's DOWN arrives first (step 4). */
export function callDownError(to: unknown, reason: unknown): Error {
  return reason === 'noproc' ? new NoProcError(to) : new CallExitError(reason);
}

/**
 * The calls a gateway actor has in flight for the embedding thread, keyed by call ref
 * (which is also the monitor ref, step 2). The gateway's handler passes every message it
 * receives to `settle`; the table resolves or rejects the caller's promise.
 */
export interface PendingCall {
  /** The call ref as `add` got it: the monitor's own key (a reply carries an equal copy). */
  readonly ref: Ref;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  readonly to: unknown;
  timer: ReturnType<typeof setTimeout> | null;
}

export class PendingCalls {
  /**
   * By the ref's serial `n`. Every ref added is minted by the gateway's own scheduler
   * (its monitor, step 2), so serials are unique here; a reply or DOWN may carry an equal
   * copy (it crossed threads), so a hit is confirmed by value (`find`).
   */
  private readonly bySerial = new Map<number, PendingCall>();

  get size(): number {
    return this.bySerial.size;
  }

  /**
   * Track a call whose request was sent with `ref` (step 3). `onTimeout` is run when the
   * timeout fires first, with the ref and the callee (the gateway demonitors and expires
   * the ref there, step 4).
   */
  add(ref: Ref, to: unknown, timeoutMs: number, resolve: (v: unknown) => void, reject: (e: unknown) => void, onTimeout: (ref: Ref, to: unknown) => void): void {
    const p: PendingCall = { ref, resolve, reject, to, timer: null };
    if (timeoutMs !== Infinity) {
      p.timer = setTimeout(() => {
        if (!this.take(ref)) return;
        onTimeout(ref, to);
        reject(new CallTimeoutError(timeoutMs));
      }, timeoutMs);
    }
    this.bySerial.set(ref.n, p);
  }

  /**
   * Step 4 for a message the gateway received: a reply or a DOWN of a call in flight.
   * Returns the settled call's ref — the one given to `add`, which is the monitor's own
   * key, not the message's copy — so the gateway demonitors it; or null when the message
   * belongs to no call (a late reply: dropped).
   */
  settle(msg: unknown): Ref | null {
    if (typeof msg !== 'object' || msg === null) return null;
    const m = msg as { type?: unknown; ref?: Ref; value?: unknown; reason?: unknown };
    if (m.type !== '$reply' && m.type !== 'DOWN') return null;
    if (!(m.ref instanceof Ref)) return null;
    const p = this.find(m.ref);
    if (p === undefined) return null;
    this.take(m.ref);
    if (m.type === '$reply') p.resolve(m.value);
    else p.reject(callDownError(p.to, m.reason));
    return p.ref;
  }

  /**
   * Reject every call in flight whose callee matches with `error(to)` (e.g. the thread it
   * ran on died, so no reply or DOWN will ever come). Returns how many were rejected.
   */
  failMatching(match: (to: unknown) => boolean, error: (to: unknown) => Error): number {
    let n = 0;
    for (const [k, p] of this.bySerial) {
      if (!match(p.to)) continue;
      this.bySerial.delete(k);
      if (p.timer !== null) clearTimeout(p.timer);
      p.reject(error(p.to));
      n++;
    }
    return n;
  }

  /** Reject every call in flight with `error` (the node stops). */
  failAll(error: Error): void {
    this.failMatching(() => true, () => error);
  }

  /** The call in flight for `ref` (the same ref or an equal copy), if any. */
  private find(ref: Ref): PendingCall | undefined {
    const p = this.bySerial.get(ref.n);
    return p !== undefined && (p.ref === ref || p.ref.equals(ref)) ? p : undefined;
  }

  private take(ref: Ref): boolean {
    const p = this.find(ref);
    if (p === undefined) return false;
    this.bySerial.delete(ref.n);
    if (p.timer !== null) clearTimeout(p.timer);
    return true;
  }
}

/** What `gatewayCall` needs of the scheduler the gateway actor runs on. */
export interface GatewayScheduler {
  monitorAs(watcher: Pid, target: Pid | RemoteName): Ref;
  demonitorAs(watcher: Pid, ref: Ref): void;
  send(to: Pid | RemoteName, msg: unknown): void;
}

/**
 * Steps 2-3 for a gateway actor (pid `gateway`) calling `to` on behalf of the embedding
 * thread: monitor the callee as the gateway, send the request with the monitor ref as the
 * call ref, and return the ref (the caller then adds the call to its PendingCalls). If the
 * send throws (an unsendable message) the monitor goes and the error is rethrown.
 */
export function gatewayCall(s: GatewayScheduler, gateway: Pid, to: Pid | RemoteName, msg: unknown): Ref {
  const ref = s.monitorAs(gateway, to);
  try {
    s.send(to, callRequest({ pid: gateway, ref }, msg));
  } catch (e) {
    s.demonitorAs(gateway, ref);
    throw e;
  }
  return ref;
}

/** What `gatewayReceive` needs of the gateway actor's context. */
export interface GatewayContext {
  demonitor(ref: Ref, opts?: { flush?: boolean }): boolean;
  forgetCallMonitor(ref: Ref): void;
}

/**
 * Step 4 in a gateway actor's handler, for every message it receives: a reply or DOWN of
 * a call in flight settles it and the monitor goes; a reply or DOWN of no call in flight
 * (a call that timed out, or the DOWN of a callee that died right after replying) is
 * dropped — so no flush is needed, and none is done: a flush scans the mailbox, and the
 * gateway's may hold a whole batch of replies; anything else is handed to `emit`
 * (the node's 'message' event). A throw from `emit` is the embedder's, not the
 * gateway's: it is rethrown outside the actor, which runs on.
 */
export function gatewayReceive(calls: PendingCalls, msg: unknown, ctx: GatewayContext, emit: (msg: unknown) => void): void {
  const ref = calls.settle(msg);
  if (ref !== null) {
    // A server on another thread of this node dropped the monitor as it replied
    // (thread-call.ts): forget it without a record.
    if (isDemonitoredReply(msg)) ctx.forgetCallMonitor(ref);
    else ctx.demonitor(ref);
    return;
  }
  const type = typeof msg === 'object' && msg !== null ? (msg as { type?: unknown }).type : undefined;
  if (type === '$reply' || type === 'DOWN') return;
  try {
    emit(msg);
  } catch (e) {
    queueMicrotask(() => {
      throw e;
    });
  }
}
