/**
 * The call protocol (src/core/call-protocol.ts), seen from an OTP caller — a process-style
 * actor (`yield*`) or the embedding thread (a Node's promise-returning `call`).
 *
 * `yield* callProcess(ctx, to, msg, timeoutMs)` follows call-protocol.ts's caller steps:
 *   1. Check the timeout (positive ms or Infinity: BadArgError otherwise) and resolve `to`
 *      (a name must be registered: else NoProcError, nothing is sent).
 *   2. A server on this scheduler: the local fast path (core/local-call.ts: a pending-call
 *      marker on the server instead of a monitor; its DOWN comes from the server's
 *      finalisation; steps 3-4 the same, without demonitor). Otherwise monitor the
 *      server; the monitor ref is also the call ref (`from.ref`), so one pattern
 *      `{ ref }` selects both the reply and the server's DOWN.
 *   3. Send `callRequest(from, msg)` and receive only a message matching `{ ref }`, with
 *      the timeout (Infinity: no timer); other messages stay queued in order.
 *   4. Reply: demonitor with flush (a DOWN already queued is removed), return the value;
 *      a reply flagged `demonitored` (a server on another thread of this node removed the
 *      monitor as it replied, core/thread-call.ts) is forgotten here without a record.
 *      DOWN: `callDownError` (NoProcError for 'noproc', else CallExitError with the reason).
 *      Timeout: demonitor with flush, then `ctx.expireCall(ref)`: a reply already queued
 *      is removed and one arriving later is dropped on delivery by the scheduler — a late
 *      reply never lands in the caller's mailbox (Erlang's deactivated alias). Then
 *      CallTimeoutError.
 *
 * From a node, `callVia` checks the timeout the same way and hands the call to
 * `node.call` (its gateway actor follows the same steps).
 *
 * Costs per call beyond the request and the reply: a local call, one ref and a marker
 * pushed and removed; a call to another thread or node, the monitor, its ref and the
 * `{ ref }` pattern. `callProcess` returns a small iterator object (`Call`), not a
 * generator: `yield*` drives it with two plain `next` calls.
 */
import { callDownError, callRequest, castRequest, checkCallTimeout, isReply, kDefaultCallTimeoutMs } from '../core/call-protocol.ts';
import { Context, type ReceiveRequest } from '../core/context.ts';
import { BadArgError, CallTimeoutError, NoProcError, NotRegisteredError } from '../core/errors.ts';
import type { Node } from '../core/node.ts';
import { Pid, type Ref } from '../core/pid.ts';
import { TIMEOUT } from '../core/reason.ts';
import { isDemonitoredReply } from '../core/thread-call.ts';
import { isRemoteName } from '../core/remote-name.ts';
import { isGlobalName, resolveGlobalName } from '../core/global-name.ts';
import type { Dest, RemoteName } from '../core/types.ts';

/** A generator to `yield*` from a process-style actor. */
export type CallGen<R> = Generator<ReceiveRequest, R, any>;

/** Where an OTP client call is made from: the running actor, or the embedding thread's node. */
export type Via = Context | Node;

/** What a call made through `via` gives: a generator to `yield*` from an actor, a promise from a node. */
export type CallOut<V, R> = V extends Context ? CallGen<R> : Promise<R>;

/** What `yield ctx.receive({ ref })` gives back in step 3: the reply or the DOWN. */
interface Answer {
  readonly type: string;
  readonly value?: unknown;
  readonly reason?: unknown;
  readonly ref: Ref;
}

/** Where a `Call` is: its next `next(input)` starts it, or takes the answer of one of the two protocols. */
const kStart = 0;
const kLocal = 1;
const kMonitor = 2;
const kDone = 3;

/**
 * One call from a process-style actor, as an iterator that `yield*` drives: the first
 * `next()` runs steps 1-3 and yields the receive; the second gets the answer (step 4) and
 * ends with the reply or throws. A hand-written iterator, not a generator function: a
 * generator per call costs its creation plus a resume of its own on each of the two
 * steps, inside the actor's own resume — most of a local call's client-side time.
 * `return` and `throw` (the actor's generator closed or thrown into while it waits) end
 * it as a generator function without try/finally would: nothing is cleaned up.
 */
class Call<R> implements Generator<ReceiveRequest, R, any> {
  private state = kStart;
  private dest: Pid | RemoteName | undefined = undefined;
  private ref: Ref | null = null;
  private readonly ctx: Context;
  private readonly to: Dest;
  private readonly msg: unknown;
  private readonly timeoutMs: number;

  constructor(ctx: Context, to: Dest, msg: unknown, timeoutMs: number) {
    this.ctx = ctx;
    this.to = to;
    this.msg = msg;
    this.timeoutMs = timeoutMs;
  }

  next(input?: unknown): IteratorResult<ReceiveRequest, R> {
    const st = this.state;
    this.state = kDone;
    if (st === kLocal) return { value: this.endLocal(input as Answer | typeof TIMEOUT), done: true };
    if (st === kMonitor) return { value: this.endMonitored(input as Answer | typeof TIMEOUT), done: true };
    if (st === kStart) return this.begin();
    return { value: undefined as R, done: true };
  }

  return(value: R): IteratorResult<ReceiveRequest, R> {
    this.state = kDone;
    return { value, done: true };
  }

  throw(e: unknown): IteratorResult<ReceiveRequest, R> {
    this.state = kDone;
    throw e;
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** Steps 1-3. */
  private begin(): IteratorResult<ReceiveRequest, R> {
    const { ctx, to, msg, timeoutMs } = this;
    checkCallTimeout('call', timeoutMs);
    let dest: Pid | RemoteName | undefined;
    if (to instanceof Pid) dest = to;
    else if (typeof to === 'string') {
      dest = ctx.whereis(to);
      if (dest === undefined) throw new NoProcError(to);
    } else if (isRemoteName(to)) dest = to; // monitored by name on its node (DOWN 'noproc' if not registered)
    else if (isGlobalName(to)) {
      dest = resolveGlobalName(to.global);
      if (dest === undefined) throw new NoProcError(to);
    } else throw new BadArgError('call: expected a pid, a registered name, { name, node } or { global }');
    this.dest = dest;
    if (dest instanceof Pid) {
      // A server on this scheduler: no monitor (local-call.ts).
      const ref = ctx.callLocal(dest, msg);
      if (ref === undefined) throw new NoProcError(to);
      if (ref !== null) {
        this.ref = ref;
        this.state = kLocal;
        return { value: ctx.awaitAnswer(timeoutMs), done: false };
      }
    }
    const ref = ctx.monitor(dest);
    this.ref = ref;
    ctx.send(dest, callRequest({ pid: ctx.self, ref }, msg));
    this.state = kMonitor;
    return { value: ctx.receive({ ref }, timeoutMs), done: false };
  }

  /** Step 4 of a local call. */
  private endLocal(a: Answer | typeof TIMEOUT): R {
    const { ctx } = this;
    const ref = this.ref!;
    ctx.endLocalCall(this.dest as Pid, ref);
    if (a === TIMEOUT) {
      ctx.expireCall(ref);
      throw new CallTimeoutError(this.timeoutMs);
    }
    if (isReply(a)) return a.value as R;
    throw callDownError(this.to, a.reason);
  }

  /** Step 4 of a monitored call. */
  private endMonitored(m: Answer | typeof TIMEOUT): R {
    const { ctx } = this;
    const ref = this.ref!;
    if (m === TIMEOUT) {
      ctx.demonitor(ref, { flush: true });
      ctx.expireCall(ref);
      throw new CallTimeoutError(this.timeoutMs);
    }
    if (isReply(m)) {
      // The server on another thread of this node dropped the monitor as it replied
      // (core/thread-call.ts): no DEMONITOR record.
      if (isDemonitoredReply(m)) ctx.forgetCallMonitor(ref);
      else ctx.demonitor(ref, { flush: true });
      return m.value as R;
    }
    // DOWN: the server is gone.
    throw callDownError(this.to, m.reason);
  }
}

/** Call `to` from the running process-style actor: `const r = yield* callProcess(ctx, pid, msg)`. */
export function callProcess<R = unknown>(ctx: Context, to: Dest, msg: unknown, timeoutMs: number = kDefaultCallTimeoutMs): CallGen<R> {
  return new Call<R>(ctx, to, msg, timeoutMs);
}

/** Call from an actor (a generator to `yield*`) or from the embedding thread (a promise). */
export function callVia<R>(via: Context, to: Dest, msg: unknown, timeoutMs?: number): CallGen<R>;
export function callVia<R>(via: Node, to: Dest, msg: unknown, timeoutMs?: number): Promise<R>;
export function callVia<R>(via: Via, to: Dest, msg: unknown, timeoutMs?: number): CallGen<R> | Promise<R>;
export function callVia<R>(via: Via, to: Dest, msg: unknown, timeoutMs: number = kDefaultCallTimeoutMs): CallGen<R> | Promise<R> {
  if (via instanceof Context) return callProcess<R>(via, to, msg, timeoutMs);
  try {
    checkCallTimeout('call', timeoutMs);
  } catch (e) {
    return Promise.reject(e);
  }
  return via.call<R>(to, msg, timeoutMs);
}

/** `callVia` typed by where it is made from (the OTP client APIs' one-liners). */
export function callOut<V extends Via, R>(via: V, to: Dest, msg: unknown, timeoutMs?: number): CallOut<V, R> {
  return callVia<R>(via, to, msg, timeoutMs) as CallOut<V, R>;
}

/** Send `castRequest(msg)`; like Erlang's cast it never fails, even to an unknown name. */
export function castVia(via: Via, to: Dest, msg: unknown): void {
  try {
    via.send(to, castRequest(msg));
  } catch (e) {
    if (!(e instanceof NotRegisteredError)) throw e;
  }
}
