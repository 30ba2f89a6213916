/**
 * `sys`-style inspection and control of an OTP process (GenServer, Supervisor): the
 * `$system` request protocol.
 *
 * A system request is an ordinary call whose message is `{ type: '$system', req, ... }`,
 * so it works from an actor (`yield* Sys.getState(ctx, pid)`) and from the embedding
 * thread (`await Sys.getState(node, pid)`, which is `node.call(pid, { type: '$system',
 * req: 'getState' })`) on every node kind (src/core/node.ts). Messages with type '$system'
 * are reserved: a GenServer never passes them to handleCall.
 *
 * Requests (every one is answered; a suspended process still answers them):
 *   ping                       'ok' once init has finished (used by start from a node)
 *   getState                   the callback state
 *   getStatus                  SystemStatus: pid, 'running' | 'suspended', the behaviour,
 *                              the state (through formatStatus when the impl has one), ...
 *   suspend                    'ok'; from now on every message but system requests is
 *                              queued, in order, not handled
 *   resume                     'ok'; the queued messages are handled first, in order
 *   replaceState { state }     'ok'; the state becomes `state` (a value: functions cannot
 *                              be sent, unlike Erlang's sys:replace_state fun)
 *   trace { tracer }           'ok'; every message handled is sent to `tracer` as
 *                              `{ type: '$trace', pid, dir: 'in', msg }` and every reply as
 *                              `{ type: '$trace', pid, dir: 'out', to, msg }`; null stops it
 *                              (Sys.trace also takes a callback: it spawns the tracer)
 *   changeCode { oldVsn, extra }  'ok' after the behaviour's codeChange ran on the state
 *   stop { reason }            terminate runs (and, for a supervisor, its children are
 *                              shut down), then the process exits with reason, unanswered:
 *                              the caller's call ends with the callee's DOWN, and
 *                              Sys.terminate resolves 'ok' when that DOWN carries the
 *                              reason asked for (the process is gone, its name freed:
 *                              OTP's proc_lib:stop waits for the DOWN too); another
 *                              reason (terminate crashed) is a CallExitError with it
 *
 * Server side: `handleSystemRequest(server, req, from, ctx)` with `server` implementing
 * SystemServer; the generic loop of the behaviour calls it.
 */
import { checkCallTimeout, isCall, type CallRequest, type From } from '../core/call-protocol.ts';
import { Context } from '../core/context.ts';
import { BadArgError, CallExitError } from '../core/errors.ts';
import type { Node } from '../core/node.ts';
import type { Pid } from '../core/pid.ts';
import { callOut, callVia, type CallGen, type CallOut as Out, type Via } from './call.ts';

export type SystemRequest =
  | { readonly type: '$system'; readonly req: 'ping' | 'getState' | 'getStatus' | 'suspend' | 'resume' }
  | { readonly type: '$system'; readonly req: 'replaceState'; readonly state: unknown }
  | { readonly type: '$system'; readonly req: 'trace'; readonly tracer: Pid | null }
  | { readonly type: '$system'; readonly req: 'changeCode'; readonly oldVsn: unknown; readonly extra: unknown }
  | { readonly type: '$system'; readonly req: 'stop'; readonly reason: unknown };

export interface SystemStatus {
  readonly pid: Pid;
  readonly status: 'running' | 'suspended';
  readonly behaviour: string;
  readonly state: unknown;
  readonly queued: number;
  readonly hibernated: boolean;
  readonly parent: Pid | null;
}

export interface TraceEvent {
  readonly type: '$trace';
  readonly pid: Pid;
  readonly dir: 'in' | 'out';
  readonly msg: unknown;
  readonly to?: Pid;
}

/** What a behaviour's generic loop provides to answer system requests. */
export interface SystemServer {
  getState(): unknown;
  getStatus(ctx: Context): SystemStatus;
  suspend(): void;
  resume(ctx: Context): void;
  replaceState(state: unknown): void;
  setTracer(tracer: Pid | null): void;
  changeCode(oldVsn: unknown, extra: unknown): void;
  /** Clean up (terminate, shut children down); the caller replies then exits. */
  prepareStop(reason: unknown, ctx: Context): void;
}

export function isSystemRequest(m: unknown): m is SystemRequest {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$system';
}

/** A call whose message is a system request (answered by the generic loops, even when suspended). */
export function isSystemCall(m: unknown): m is CallRequest<SystemRequest> {
  return isCall(m) && isSystemRequest(m.msg);
}

/**
 * Send one trace event of the running server's traffic to `server.tracer` (set by a trace
 * request): `dir` 'in' for a message handled, 'out' for a reply to `to`. A tracer that
 * cannot take it (unsendable message, tracer gone) ends the tracing rather than the server.
 */
export function sendTrace(server: { tracer: Pid | null }, dir: 'in' | 'out', msg: unknown, to: Pid | undefined, ctx: Context): void {
  const ev: TraceEvent = to === undefined ? { type: '$trace', pid: ctx.self, dir, msg } : { type: '$trace', pid: ctx.self, dir, msg, to };
  try {
    ctx.send(server.tracer!, ev);
  } catch {
    server.tracer = null;
  }
}

/** Answer one system request. Exits the process for `stop`. */
export function handleSystemRequest(server: SystemServer, req: SystemRequest, from: From, ctx: Context): void {
  switch (req.req) {
    case 'ping':
      ctx.reply(from, 'ok');
      return;
    case 'getState':
      ctx.reply(from, server.getState());
      return;
    case 'getStatus':
      ctx.reply(from, server.getStatus(ctx));
      return;
    case 'suspend':
      server.suspend();
      ctx.reply(from, 'ok');
      return;
    case 'resume':
      ctx.reply(from, 'ok');
      server.resume(ctx);
      return;
    case 'replaceState':
      server.replaceState(req.state);
      ctx.reply(from, 'ok');
      return;
    case 'trace':
      server.setTracer(req.tracer);
      ctx.reply(from, 'ok');
      return;
    case 'changeCode':
      server.changeCode(req.oldVsn, req.extra);
      ctx.reply(from, 'ok');
      return;
    case 'stop':
      // No reply: the caller learns of the stop from the DOWN (see the header).
      server.prepareStop(req.reason, ctx);
      ctx.exit(req.reason);
      return;
    default:
      ctx.reply(from, { error: 'unknown_system_request' });
  }
}


const kNoCallbackTracer = 'Sys.trace: a callback tracer needs a ctx or a node that spawns closures (node.spawnsClosures); pass a tracer pid';

function sys<V extends Via, R>(via: V, pid: Pid | string, msg: SystemRequest, timeoutMs?: number): Out<V, R> {
  return callOut<V, R>(via, pid, msg, timeoutMs);
}

/**
 * Client API. Each function takes `ctx` (inside a process-style actor: use with `yield*`)
 * or a node (from the embedding thread: returns a promise).
 */
export const Sys = {
  getState<S = unknown, V extends Via = Via>(via: V, pid: Pid | string, timeoutMs?: number): Out<V, S> {
    return sys<V, S>(via, pid, { type: '$system', req: 'getState' }, timeoutMs);
  },
  getStatus<V extends Via>(via: V, pid: Pid | string, timeoutMs?: number): Out<V, SystemStatus> {
    return sys<V, SystemStatus>(via, pid, { type: '$system', req: 'getStatus' }, timeoutMs);
  },
  suspend<V extends Via>(via: V, pid: Pid | string, timeoutMs?: number): Out<V, 'ok'> {
    return sys<V, 'ok'>(via, pid, { type: '$system', req: 'suspend' }, timeoutMs);
  },
  resume<V extends Via>(via: V, pid: Pid | string, timeoutMs?: number): Out<V, 'ok'> {
    return sys<V, 'ok'>(via, pid, { type: '$system', req: 'resume' }, timeoutMs);
  },
  replaceState<V extends Via>(via: V, pid: Pid | string, state: unknown, timeoutMs?: number): Out<V, 'ok'> {
    return sys<V, 'ok'>(via, pid, { type: '$system', req: 'replaceState', state }, timeoutMs);
  },
  /**
   * Send a trace of messages in/out of `pid` to `tracer` (null: stop tracing). A callback
   * tracer is run by a tracer actor spawned on the caller's scheduler: from an actor, or
   * from a node that spawns closures (`node.spawnsClosures`); on any other node the
   * promise rejects with BadArgError — pass a tracer pid there.
   */
  trace<V extends Via>(via: V, pid: Pid | string, tracer: Pid | null | ((event: TraceEvent) => void), timeoutMs?: number): Out<V, 'ok'> {
    if (typeof tracer !== 'function') return sys<V, 'ok'>(via, pid, { type: '$system', req: 'trace', tracer }, timeoutMs);
    const impl = { handle: (ev: TraceEvent, st: unknown) => (tracer(ev), st) };
    if (via instanceof Context) return sys<V, 'ok'>(via, pid, { type: '$system', req: 'trace', tracer: via.spawn(impl) }, timeoutMs);
    const node = via as Node;
    if (!node.spawnsClosures) return Promise.reject(new BadArgError(kNoCallbackTracer)) as Out<V, 'ok'>;
    return node.spawn(impl).then((to) => callVia<'ok'>(node, pid, { type: '$system', req: 'trace', tracer: to }, timeoutMs)) as Out<V, 'ok'>;
  },
  changeCode<V extends Via>(via: V, pid: Pid | string, oldVsn: unknown, extra: unknown, timeoutMs?: number): Out<V, 'ok'> {
    return sys<V, 'ok'>(via, pid, { type: '$system', req: 'changeCode', oldVsn, extra }, timeoutMs);
  },
  /**
   * Stop the process with `reason` (default 'normal'); resolves 'ok' once it has cleaned
   * up and exited with that reason (its DOWN came: the name is free). NoProcError when it
   * does not exist; CallExitError when it exited with another reason.
   */
  terminate<V extends Via>(via: V, pid: Pid | string, reason: unknown = 'normal', timeoutMs: number = 60_000): Out<V, 'ok'> {
    return stopProcess('Sys.terminate', via, pid, reason, timeoutMs);
  },
};

/**
 * The stop request of Sys.terminate, GenServer.stop and GenStatem.stop (`where` names the
 * API in an invalid timeout's BadArgError, thrown at once).
 */
export function stopProcess<V extends Via>(where: string, via: V, pid: Pid | string, reason: unknown, timeoutMs: number): Out<V, 'ok'> {
  checkCallTimeout(where, timeoutMs);
  const req: SystemRequest = { type: '$system', req: 'stop', reason };
  if (via instanceof Context) return terminateFrom(via, pid, req, reason, timeoutMs) as Out<V, 'ok'>;
  return callVia<'ok'>(via as Node, pid, req, timeoutMs).catch((e: unknown) => stopOutcome(e, reason)) as Out<V, 'ok'>;
}

function* terminateFrom(ctx: Context, pid: Pid | string, req: SystemRequest, reason: unknown, timeoutMs: number): CallGen<'ok'> {
  try {
    return yield* callVia<'ok'>(ctx, pid, req, timeoutMs);
  } catch (e) {
    return stopOutcome(e, reason);
  }
}

/** A stop request's call ended with `e`: the DOWN with the reason asked for is success. */
function stopOutcome(e: unknown, reason: unknown): 'ok' {
  if (e instanceof CallExitError && sameReason(e.reason, reason)) return 'ok';
  throw e;
}

/** Structural equality of two exit reasons (data: primitives, arrays, plain objects, pids / refs by `equals`). */
function sameReason(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const eq = (a as { equals?: unknown }).equals;
  if (typeof eq === 'function') return (eq as (o: unknown) => boolean).call(a, b) === true;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !sameReason((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}
