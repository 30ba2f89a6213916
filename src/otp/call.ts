/**
 * The call protocol, seen from the caller — a process-style actor (`yield*`) or the
 * embedding thread (a node's promise-returning `call`).
 *
 * Wire format (the core convention, so `node.call(server, msg)` works unchanged):
 *   request  { type: '$call', from: { pid, ref }, msg }     answered with ctx.reply(from, v)
 *   reply    { type: '$reply', ref, value }
 *   cast     { type: '$cast', msg }                          no answer
 *
 * `yield* callProcess(ctx, to, msg, timeoutMs)`:
 *   1. Resolve `to` (a name must be registered: else NoProcError, nothing is sent).
 *   2. Monitor the server; the monitor ref is also the call ref (`from.ref`), so one
 *      pattern `{ ref }` selects both the reply and the server's DOWN.
 *   3. Send the request and receive only a message matching `{ ref }`, with the timeout;
 *      other messages stay queued in order (selective receive).
 *   4. Reply: demonitor with flush (a DOWN already queued is removed), return the value.
 *      DOWN: NoProcError for 'noproc', else CallExitError carrying the exit reason.
 *      Timeout: demonitor with flush, then `ctx.expireCall(ref)`: a reply already queued
 *      is removed and one arriving later is dropped on delivery by the scheduler — a late
 *      reply never lands in the caller's mailbox (Erlang's deactivated alias). Then
 *      CallTimeoutError.
 *
 * Costs per call beyond the request itself: the monitor, its ref and the `{ ref }` pattern.
 */
import { Context, type ReceiveRequest } from '../core/context.ts';
import { BadArgError, CallExitError, CallTimeoutError, NoProcError, NotRegisteredError } from '../core/errors.ts';
import { Pid, type Ref } from '../core/pid.ts';
import { TIMEOUT } from '../core/reason.ts';

/** A generator to `yield*` from a process-style actor. */
export type CallGen<R> = Generator<ReceiveRequest, R, any>;

/** What the OTP helpers need from a node (LocalNode and ThreadedNode both have these). */
export interface NodeLike {
  call(to: Pid | string, msg: unknown, timeoutMs?: number): Promise<unknown>;
  send(to: Pid | string, msg: unknown): void;
}

export const kDefaultCallTimeoutMs = 5000;

interface Answer {
  readonly type: string;
  readonly value?: unknown;
  readonly reason?: unknown;
  readonly ref: Ref;
}

/** Call `to` from the running process-style actor: `const r = yield* callProcess(ctx, pid, msg)`. */
export function* callProcess<R = unknown>(ctx: Context, to: Pid | string, msg: unknown, timeoutMs: number = kDefaultCallTimeoutMs): CallGen<R> {
  if (!(timeoutMs === Infinity || (typeof timeoutMs === 'number' && timeoutMs > 0))) {
    throw new BadArgError(`call: timeoutMs must be a positive number of milliseconds or Infinity, got ${String(timeoutMs)}`);
  }
  let pid: Pid | undefined;
  if (to instanceof Pid) pid = to;
  else if (typeof to === 'string') {
    pid = ctx.whereis(to);
    if (pid === undefined) throw new NoProcError(to);
  } else throw new BadArgError('call: expected a pid or a registered name');
  const ref = ctx.monitor(pid);
  ctx.send(pid, { type: '$call', from: { pid: ctx.self, ref }, msg });
  const m = (yield ctx.receive({ ref }, timeoutMs)) as Answer | typeof TIMEOUT;
  if (m === TIMEOUT) {
    ctx.demonitor(ref, { flush: true });
    ctx.expireCall(ref);
    throw new CallTimeoutError(timeoutMs);
  }
  if (m.type === '$reply') {
    ctx.demonitor(ref, { flush: true });
    return m.value as R;
  }
  // DOWN: the server is gone.
  if (m.reason === 'noproc') throw new NoProcError(to);
  throw new CallExitError(m.reason);
}

/** Call from an actor (a generator to `yield*`) or from the embedding thread (a promise). */
export function callVia<R>(via: Context, to: Pid | string, msg: unknown, timeoutMs?: number): CallGen<R>;
export function callVia<R>(via: NodeLike, to: Pid | string, msg: unknown, timeoutMs?: number): Promise<R>;
export function callVia<R>(via: Context | NodeLike, to: Pid | string, msg: unknown, timeoutMs?: number): CallGen<R> | Promise<R>;
export function callVia<R>(via: Context | NodeLike, to: Pid | string, msg: unknown, timeoutMs: number = kDefaultCallTimeoutMs): CallGen<R> | Promise<R> {
  if (via instanceof Context) return callProcess<R>(via, to, msg, timeoutMs);
  return via.call(to, msg, timeoutMs) as Promise<R>;
}

/** Send `{ type: '$cast', msg }`; like Erlang's cast it never fails, even to an unknown name. */
export function castVia(via: Context | NodeLike, to: Pid | string, msg: unknown): void {
  try {
    via.send(to, { type: '$cast', msg });
  } catch (e) {
    if (!(e instanceof NotRegisteredError)) throw e;
  }
}
