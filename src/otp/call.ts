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
 *   4. Reply: demonitor with flush (a DOWN already queued is removed), return the value.
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
 * `{ ref }` pattern.
 */
import { callDownError, callRequest, castRequest, checkCallTimeout, isReply, kDefaultCallTimeoutMs } from '../core/call-protocol.ts';
import { Context, type ReceiveRequest } from '../core/context.ts';
import { BadArgError, CallTimeoutError, NoProcError, NotRegisteredError } from '../core/errors.ts';
import type { Node } from '../core/node.ts';
import { Pid, type Ref } from '../core/pid.ts';
import { TIMEOUT } from '../core/reason.ts';
import { isRemoteName } from '../core/remote-name.ts';
import { isGlobalName, resolveGlobalName } from '../core/global-name.ts';
import type { Dest } from '../core/types.ts';

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

/** Call `to` from the running process-style actor: `const r = yield* callProcess(ctx, pid, msg)`. */
export function* callProcess<R = unknown>(ctx: Context, to: Dest, msg: unknown, timeoutMs: number = kDefaultCallTimeoutMs): CallGen<R> {
  checkCallTimeout('call', timeoutMs);
  let dest: Pid | { name: string; node: string } | undefined;
  if (to instanceof Pid) dest = to;
  else if (typeof to === 'string') {
    dest = ctx.whereis(to);
    if (dest === undefined) throw new NoProcError(to);
  } else if (isRemoteName(to)) dest = to; // monitored by name on its node (DOWN 'noproc' if not registered)
  else if (isGlobalName(to)) {
    dest = resolveGlobalName(to.global);
    if (dest === undefined) throw new NoProcError(to);
  } else throw new BadArgError('call: expected a pid, a registered name, { name, node } or { global }');
  if (dest instanceof Pid) {
    // A server on this scheduler: no monitor (local-call.ts).
    const ref = ctx.callLocal(dest, msg);
    if (ref === undefined) throw new NoProcError(to);
    if (ref !== null) {
      // Steps 3-4 here rather than in a helper generator: one generator per call.
      const a = (yield ctx.awaitAnswer(timeoutMs)) as Answer | typeof TIMEOUT;
      ctx.endLocalCall(dest, ref);
      if (a === TIMEOUT) {
        ctx.expireCall(ref);
        throw new CallTimeoutError(timeoutMs);
      }
      if (isReply(a)) return a.value as R;
      throw callDownError(to, a.reason);
    }
  }
  const ref = ctx.monitor(dest);
  ctx.send(dest, callRequest({ pid: ctx.self, ref }, msg));
  const m = (yield ctx.receive({ ref }, timeoutMs)) as Answer | typeof TIMEOUT;
  if (m === TIMEOUT) {
    ctx.demonitor(ref, { flush: true });
    ctx.expireCall(ref);
    throw new CallTimeoutError(timeoutMs);
  }
  if (isReply(m)) {
    ctx.demonitor(ref, { flush: true });
    return m.value as R;
  }
  // DOWN: the server is gone.
  throw callDownError(to, m.reason);
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
