/**
 * GenServer: Erlang's gen_server as a core handler-style Behaviour.
 *
 * `defineGenServer(import.meta.url, impl, 'ExportName')` wraps the user's callbacks in a
 * generic handler (`init/handle/terminate` + `codeChange`), so a GenServer is spawned by
 * every spawn API (`node.spawn` of any node kind — by module + export where the node does
 * not spawn closures —, ctx.spawn/spawnLink) and is called with `node.call(pid, msg)` or
 * `yield* GenServer.call(ctx, pid, msg)`.
 *
 * Callbacks (only `init` is required) and their return shapes:
 *   init(ctx, ...args)
 *       -> { ok: state }  [+ continue: x | timeout: ms | hibernate: true]
 *        | { stop: reason }          start fails; the process exits with reason
 *        | { ignore: true }          start "succeeds" with no process; exits 'normal'
 *        | { error: reason }         start fails with reason; the process exits 'normal'
 *   handleCall(msg, from, state, ctx)
 *       -> { reply: value, state }   [+ continue | timeout | hibernate]
 *        | { noreply: true, state }  [+ ...]  answer later with GenServer.reply(ctx, from, v)
 *        | { stop: reason, reply?: value, state }
 *   handleCast(msg, state, ctx)      -> { noreply: true, state } [+ ...] | { stop: reason, state }
 *   handleInfo(msg, state, ctx)      -> same as handleCast; gets every other message, the
 *                                       string 'timeout' when a `timeout` expired, and EXIT
 *                                       messages of links other than the parent
 *   handleContinue(x, state, ctx)    -> same as handleCast; runs right after the callback
 *                                       that returned `continue: x`, before any message
 *   terminate(reason, state, ctx)    -> void; on `{ stop }`, on a crash in a callback, on
 *                                       the parent's exit signal when trapping exits (the
 *                                       parent is the starter of a start/startLink), on
 *                                       Sys.terminate. Not when killed, nor when an exit
 *                                       signal ends a server that does not trap exits.
 *   codeChange(oldVsn, state, extra) -> { ok: state } | { error: reason }
 *   formatStatus(state)              -> what Sys.getStatus shows as the state (if it
 *                                       throws: { kind: 'format_status_crashed', reason },
 *                                       and the server goes on)
 *
 * Generic loop (`handle` of the wrapper, per message):
 *   1. A pending `timeout` is cancelled by any message; its own `$gen_timeout` message
 *      becomes handleInfo('timeout') unless stale.
 *   2. `$call` whose msg is a `$system` request → sys.ts (answered even when suspended).
 *   3. Suspended → the message is queued (Sys.resume replays the queue in order).
 *   4. `$call` → handleCall; `$cast` → handleCast; EXIT from the parent → terminate and
 *      exit with its reason; anything else → handleInfo (ignored if there is none).
 *   5. The result is applied: reply, new state, then continue / timeout / hibernate, or
 *      stop (reply first, then exit with the reason: the core calls terminate).
 * A callback that returns something else ends the server with
 * `{ kind: 'bad_return_value', callback, value }`.
 *
 * Hibernate: JavaScript has no per-process heap to compact, so hibernating only drops the
 * server's own buffers (the suspend queue) and is reported by Sys.getStatus until the next
 * message.
 *
 * API (each takes `ctx` in a process-style actor — use `yield*` — or a Node
 * (src/core/node.ts) from the embedding thread — returns a promise; a timeout is positive
 * ms or Infinity, which waits for ever):
 *   GenServer.start / startLink(via, behaviour, args, { name?, timeoutMs?, spawn? })
 *        -> the server's pid, null for `{ ignore }`; throws StartFailedError for `{ stop }`
 *           or a crash in init (synchronous start: see start-ack.ts)
 *   GenServer.call(via, server, msg, timeoutMs = 5000) -> reply   (see call.ts)
 *   GenServer.cast(via, server, msg)                     never fails
 *   GenServer.reply(ctx, from, value)                    deferred reply
 *   GenServer.forward(ctx, server, from, msg)            pass a call on: `server` answers
 *                                                        the original caller (callbacks are
 *                                                        synchronous: they cannot wait for
 *                                                        a call of their own)
 *   GenServer.stop(via, server, reason = 'normal', timeoutMs = Infinity)
 *                                                        resolves 'ok' once the server
 *                                                        has terminated and exited with
 *                                                        reason (sys.ts stop)
 */
import { Behaviour, defineActor, type CodeChangeResult, type HandlerImpl } from '../core/behaviour.ts';
import { callRequest, checkCallTimeout, kDefaultCallTimeoutMs, type From } from '../core/call-protocol.ts';
import { Context, contextInInit } from '../core/context.ts';
import { BadArgError } from '../core/errors.ts';
import { errorReason } from '../core/reason.ts';
import type { Node } from '../core/node.ts';
import type { Pid, Ref } from '../core/pid.ts';
import type { SpawnOptions } from '../core/scheduler.ts';
import { callVia, castVia, type CallGen, type Via } from './call.ts';
import type { RemoteName } from '../core/types.ts';
import type { GlobalName } from '../core/global-name.ts';
import { StartFailedError } from './errors.ts';
import { specForNode } from './portable.ts';
import { ackStart, markAcksStart, startOnNode as startProtocolOnNode, startProcess } from './start-ack.ts';
import { badReturn, failInit, splitStartArgs, trapsExits } from './callback-result.ts';
import { GenericRecord } from './generic-record.ts';
import { handleSystemRequest, isSystemCall, sendTrace, stopProcess } from './sys.ts';

// -----------------------------------------------------------------------------------
// Types
// -----------------------------------------------------------------------------------

/** What may follow a successful callback result. */
export interface Then {
  readonly continue?: unknown;
  readonly timeout?: number;
  readonly hibernate?: boolean;
}

export type InitResult<S> = ({ readonly ok: S } & Then) | { readonly stop: unknown } | { readonly ignore: true } | { readonly error: unknown };
export type NoReplyResult<S> = ({ readonly noreply: true; readonly state: S } & Then) | { readonly stop: unknown; readonly state: S };
export type CallResult<S, R> =
  | ({ readonly reply: R; readonly state: S } & Then)
  | NoReplyResult<S>
  | { readonly stop: unknown; readonly reply: R; readonly state: S };

export interface GenServerImpl<S, C, X, R, A extends unknown[]> {
  init(ctx: Context, ...args: A): InitResult<S>;
  handleCall?(msg: C, from: From, state: S, ctx: Context): CallResult<S, R>;
  handleCast?(msg: X, state: S, ctx: Context): NoReplyResult<S>;
  handleInfo?(msg: unknown, state: S, ctx: Context): NoReplyResult<S>;
  handleContinue?(cont: unknown, state: S, ctx: Context): NoReplyResult<S>;
  terminate?(reason: unknown, state: S, ctx: Context): void;
  codeChange?(oldVsn: unknown, state: S, extra: unknown): { readonly ok: S } | { readonly error: unknown };
  formatStatus?(state: S): unknown;
}

declare const kTypes: unique symbol;

/** The message / reply types of a server, carried by its behaviour, pid and name types. */
export interface ServerTypes<C, X, R> {
  readonly [kTypes]?: { call: (c: C) => R; cast: (x: X) => void };
}

/** A GenServer behaviour: a core Behaviour that also carries its types. */
export type GenServer<S, C, X, R, A extends unknown[] = any[]> = Behaviour<A> & ServerTypes<C, X, R> & { readonly [kState]?: S };
declare const kState: unique symbol;

/** A server's pid typed by its messages: a wrong message type is a compile error. */
export type ServerPid<C = unknown, X = unknown, R = unknown> = Pid & ServerTypes<C, X, R>;
/** A registered name typed by the server's messages (see `serverName`). */
export type ServerName<C = unknown, X = unknown, R = unknown> = string & ServerTypes<C, X, R>;

type TypesOf<T> = T extends { readonly [kTypes]?: { call: (c: infer C) => infer R; cast: (x: infer X) => void } } ? [C, X, R] : [unknown, unknown, unknown];
export type CallOf<T> = TypesOf<T>[0];
export type CastOf<T> = TypesOf<T>[1];
export type ReplyOf<T> = TypesOf<T>[2];
export type PidOf<B> = B extends ServerTypes<infer C, infer X, infer R> ? ServerPid<C, X, R> : Pid;

/** Give a registered name the types of the server registered under it. */
export function serverName<B>(name: string): B extends ServerTypes<infer C, infer X, infer R> ? ServerName<C, X, R> : string {
  return name as never;
}

export type { BadReturnReason } from './callback-result.ts';

// -----------------------------------------------------------------------------------
// Definition
// -----------------------------------------------------------------------------------

const kCallbacks = ['handleCall', 'handleCast', 'handleInfo', 'handleContinue', 'terminate', 'codeChange', 'formatStatus'] as const;

export function defineGenServer<S, C = never, X = never, R = unknown, A extends unknown[] = []>(
  moduleUrl: string,
  impl: GenServerImpl<S, C, X, R, A>,
  exportName?: string,
): GenServer<S, C, X, R, A> {
  if (typeof impl !== 'object' || impl === null) throw new BadArgError('defineGenServer: impl must be an object of callbacks');
  if (typeof impl.init !== 'function') throw new BadArgError('defineGenServer: impl.init must be a function');
  for (const k of kCallbacks) {
    const f = (impl as unknown as Record<string, unknown>)[k];
    if (f !== undefined && typeof f !== 'function') throw new BadArgError(`defineGenServer: impl.${k} must be a function`);
  }
  const b = defineActor(moduleUrl, makeHandler(impl as GenServerImpl<unknown, unknown, unknown, unknown, unknown[]>) as HandlerImpl<ServerRecord, unknown, unknown[]>, exportName);
  markAcksStart(b);
  return b as unknown as GenServer<S, C, X, R, A>;
}

// -----------------------------------------------------------------------------------
// API
// -----------------------------------------------------------------------------------

export interface StartOptions {
  /** Register the server under this name (atomically with the spawn). */
  name?: string;
  /** How long init may take, ms or Infinity (default: no limit from an actor, 5000 from a node). */
  timeoutMs?: number;
  /** Other spawn options (priority, maxHeapSize, scheduler on a ThreadedNode, ...). */
  spawn?: SpawnOptions & { scheduler?: number };
}

function spawnOptions(opts: StartOptions | undefined): (SpawnOptions & { scheduler?: number }) | undefined {
  if (opts === undefined) return undefined;
  if (opts.name === undefined) return opts.spawn;
  return { ...opts.spawn, name: opts.name };
}

function* startFrom<B>(ctx: Context, behaviour: B, args: readonly unknown[], opts: StartOptions | undefined, link: boolean): CallGen<PidOf<B> | null> {
  const r = yield* startProcess(ctx, behaviour, args, { link, timeoutMs: opts?.timeoutMs, spawn: spawnOptions(opts) });
  if ('ok' in r) return r.ok as PidOf<B>;
  if ('ignore' in r) return null;
  throw new StartFailedError(r.error);
}

/** From a node's embedding thread: the one start protocol, run by a starter (start-ack.ts, N1-N3). */
async function startOnNode<B>(node: Node, behaviour: B, args: readonly unknown[], opts: StartOptions | undefined): Promise<PidOf<B> | null> {
  const timeoutMs = opts?.timeoutMs ?? kDefaultCallTimeoutMs;
  checkCallTimeout('GenServer.start', timeoutMs);
  const r = await startProtocolOnNode(node, specForNode(node, behaviour), args, { timeoutMs, spawn: spawnOptions(opts) });
  if ('ok' in r) return r.ok as PidOf<B>;
  if ('ignore' in r) return null;
  if (r.error === 'timeout') throw new StartFailedError('timeout', `the process did not finish init within ${timeoutMs} ms`);
  throw new StartFailedError(r.error);
}

type ArgsOf<B> = B extends Behaviour<infer A> ? A : unknown[];

function start<B>(ctx: Context, behaviour: B, args: ArgsOf<B>, opts?: StartOptions): CallGen<PidOf<B> | null>;
function start<B>(node: Node, behaviour: B, args: ArgsOf<B>, opts?: StartOptions): Promise<PidOf<B> | null>;
function start<B>(via: Via, behaviour: B, args: ArgsOf<B>, opts?: StartOptions): CallGen<PidOf<B> | null> | Promise<PidOf<B> | null> {
  if (via instanceof Context) return startFrom(via, behaviour, args as unknown[], opts, false);
  return startOnNode(via, behaviour, args as unknown[], opts);
}

/**
 * From an actor: spawn linked and wait for init. From a node there is no caller process to
 * link to: same as `start`.
 */
function startLink<B>(ctx: Context, behaviour: B, args: ArgsOf<B>, opts?: StartOptions): CallGen<PidOf<B> | null>;
function startLink<B>(node: Node, behaviour: B, args: ArgsOf<B>, opts?: StartOptions): Promise<PidOf<B> | null>;
function startLink<B>(via: Via, behaviour: B, args: ArgsOf<B>, opts?: StartOptions): CallGen<PidOf<B> | null> | Promise<PidOf<B> | null> {
  if (via instanceof Context) return startFrom(via, behaviour, args as unknown[], opts, true);
  return startOnNode(via, behaviour, args as unknown[], opts);
}

function call<T extends Pid | string | RemoteName | GlobalName>(ctx: Context, server: T, msg: CallOf<T>, timeoutMs?: number): CallGen<ReplyOf<T>>;
function call<T extends Pid | string | RemoteName | GlobalName>(node: Node, server: T, msg: CallOf<T>, timeoutMs?: number): Promise<ReplyOf<T>>;
function call<T extends Pid | string | RemoteName | GlobalName>(via: Via, server: T, msg: CallOf<T>, timeoutMs?: number): CallGen<ReplyOf<T>> | Promise<ReplyOf<T>> {
  return callVia<ReplyOf<T>>(via, server, msg, timeoutMs);
}

function cast<T extends Pid | string | RemoteName | GlobalName>(via: Via, server: T, msg: CastOf<T>): void {
  castVia(via, server, msg);
}

function replyTo(ctx: Context, from: From, value: unknown): void {
  ctx.reply(from, value);
}

/**
 * Pass a call on: send `msg` to `server` as a call from the original caller `from`, so
 * `server` replies to that caller directly. The way for a callback (which cannot block)
 * to have another server answer a call it received: return `{ noreply: true, state }`.
 */
function forward<T extends Pid | string>(ctx: Context, server: T, from: From, msg: CallOf<T>): void {
  ctx.send(server, callRequest(from, msg));
}

function stop<V extends Via>(via: V, server: Pid | string, reason: unknown = 'normal', timeoutMs = Infinity): V extends Context ? CallGen<'ok'> : Promise<'ok'> {
  return stopProcess('GenServer.stop', via, server, reason, timeoutMs) as never;
}

export const GenServer = { start, startLink, call, cast, reply: replyTo, forward, stop };
// -----------------------------------------------------------------------------------
// Generic loop
// -----------------------------------------------------------------------------------

type AnyImpl = GenServerImpl<unknown, unknown, unknown, unknown, unknown[]>;

/** The wrapper's state: the callback state plus the loop's own fields. One per server. */
class ServerRecord extends GenericRecord {
  state: unknown = undefined;
  /** The callbacks of the version the server runs (codeChange moves it to another). */
  impl: AnyImpl;
  handler: GenServerHandler;
  timer: Ref | null = null;
  timeoutSerial = 0;
  hibernated = false;
  protected readonly kind = 'gen_server';
  constructor(impl: AnyImpl, handler: GenServerHandler, parent: Pid | null) {
    super(parent);
    this.impl = impl;
    this.handler = handler;
  }

  getState(): unknown {
    return this.state;
  }
  replaceState(state: unknown): void {
    this.state = state;
  }
  protected handleQueued(msg: unknown, ctx: Context): void {
    dispatch(this, msg, ctx);
  }
  protected statusState(): unknown {
    if (this.impl.formatStatus === undefined) return this.state;
    // A crash in formatStatus is shown, not fatal (OTP: "format_status/1 crashed").
    try {
      return this.impl.formatStatus(this.state);
    } catch (e) {
      return Object.freeze({ kind: 'format_status_crashed', reason: errorReason(e) });
    }
  }
  protected isHibernated(): boolean {
    return this.hibernated;
  }
  protected moveCode(oldVsn: unknown, extra: unknown): CodeChangeResult<unknown> {
    return this.handler.codeChange(oldVsn, this, extra);
  }
  protected runTerminate(reason: unknown, ctx: Context): void {
    if (this.impl.terminate !== undefined) this.impl.terminate(reason, this.state, ctx);
  }
}

export interface GenServerHandler extends HandlerImpl<ServerRecord, unknown, unknown[]> {
  /**
   * Called by the code server when the actor moves to this version (and by
   * Sys.changeCode): moves the server record to this version's callbacks and runs the
   * user's codeChange on the callback state.
   */
  codeChange(oldVsn: unknown, record: ServerRecord, extra: unknown): CodeChangeResult<ServerRecord>;
}

function makeHandler(impl: AnyImpl): GenServerHandler {
  const handler: GenServerHandler = {
    init(...raw: unknown[]): ServerRecord {
      const ctx = contextInInit();
      const { marker, args } = splitStartArgs(raw);
      const rec = new ServerRecord(impl, handler, marker === null ? null : marker.starter);
      const r = impl.init(ctx, ...args) as InitResult<unknown> | undefined;
      if (typeof r === 'object' && r !== null && 'ok' in r) {
        rec.state = r.ok;
        if (marker !== null) ackStart(ctx, marker, 'ok');
        then(rec, r, ctx);
        return rec;
      }
      return failInit(ctx, marker, r);
    },
    handle(msg: unknown, rec: ServerRecord, ctx: Context): ServerRecord {
      dispatch(rec, msg, ctx);
      return rec;
    },
    terminate(reason: unknown, rec: ServerRecord, ctx: Context): void {
      if (rec.terminated || impl.terminate === undefined) return;
      if (!rec.stopping && !rec.inCallback && !trapsExits(ctx)) return;
      rec.terminated = true;
      impl.terminate(reason, rec.state, ctx);
    },
    codeChange(oldVsn: unknown, rec: ServerRecord, extra: unknown): CodeChangeResult<ServerRecord> {
      // `rec` may come from another version of this server: it moves to this one.
      rec.impl = impl;
      rec.handler = handler;
      if (impl.codeChange === undefined) return { ok: rec };
      const r = impl.codeChange(oldVsn, rec.state, extra);
      if (typeof r === 'object' && r !== null && 'ok' in r) {
        rec.state = r.ok;
        return { ok: rec };
      }
      return { error: typeof r === 'object' && r !== null && 'error' in r ? r.error : badReturn('codeChange', r) };
    },
  };
  return handler;
}

interface Envelope {
  readonly type?: unknown;
  readonly msg?: unknown;
  readonly from?: From;
  readonly n?: number;
  readonly reason?: unknown;
}

function dispatch(rec: ServerRecord, msg: unknown, ctx: Context): void {
  const m = (typeof msg === 'object' && msg !== null ? msg : null) as Envelope | null;
  const type = m === null ? undefined : m.type;
  if (type === '$gen_timeout') {
    if (m!.n !== rec.timeoutSerial || rec.timer === null) return; // stale
    rec.timer = null;
    if (rec.suspended) return rec.enqueue('timeout');
    return info(rec, 'timeout', ctx);
  }
  if (rec.timer !== null) {
    ctx.cancelTimer(rec.timer);
    rec.timer = null;
  }
  if (isSystemCall(msg)) {
    handleSystemRequest(rec, msg.msg, msg.from, ctx);
    return;
  }
  rec.hibernated = false;
  if (type === 'EXIT' && rec.parent !== null && rec.parent.equals((m as { from?: unknown }).from)) {
    // The parent (supervisor) ends us: terminate, then exit with its reason.
    rec.stopping = true;
    ctx.exit(m!.reason);
  }
  if (rec.suspended) return rec.enqueue(msg);
  if (rec.tracer !== null) sendTrace(rec, 'in', msg, undefined, ctx);
  const impl = rec.impl;
  if (type === '$call') {
    if (impl.handleCall === undefined) {
      rec.stopping = true;
      ctx.exit({ kind: 'bad_call', message: 'handleCall is not defined' });
    }
    rec.inCallback = true;
    const r = impl.handleCall(m!.msg, m!.from!, rec.state, ctx);
    rec.inCallback = false;
    applyCallResult(rec, r, m!.from!, ctx);
  } else if (type === '$cast') {
    if (impl.handleCast === undefined) {
      rec.stopping = true;
      ctx.exit({ kind: 'bad_cast', message: 'handleCast is not defined' });
    }
    rec.inCallback = true;
    const r = impl.handleCast(m!.msg, rec.state, ctx);
    rec.inCallback = false;
    applyNoReply(rec, r, 'handleCast', ctx);
  } else {
    info(rec, msg, ctx);
  }
}

function info(rec: ServerRecord, msg: unknown, ctx: Context): void {
  const impl = rec.impl;
  if (impl.handleInfo === undefined) return;
  rec.inCallback = true;
  const r = impl.handleInfo(msg, rec.state, ctx);
  rec.inCallback = false;
  applyNoReply(rec, r, 'handleInfo', ctx);
}

function applyCallResult(rec: ServerRecord, r: CallResult<unknown, unknown>, from: From, ctx: Context): void {
  if (typeof r === 'object' && r !== null && 'state' in r) {
    if ('stop' in r) {
      rec.state = r.state;
      if ('reply' in r) reply(rec, from, r.reply, ctx);
      rec.stopping = true;
      ctx.exit(r.stop);
    }
    if ('reply' in r) {
      rec.state = r.state;
      reply(rec, from, r.reply, ctx);
      then(rec, r, ctx);
      return;
    }
    if ('noreply' in r) {
      rec.state = r.state;
      then(rec, r, ctx);
      return;
    }
  }
  rec.stopping = true;
  ctx.exit(badReturn('handleCall', r));
}

function applyNoReply(rec: ServerRecord, r: NoReplyResult<unknown>, callback: string, ctx: Context): void {
  if (typeof r === 'object' && r !== null && 'state' in r) {
    rec.state = r.state;
    if ('stop' in r) {
      rec.stopping = true;
      ctx.exit(r.stop);
    }
    if ('noreply' in r) {
      then(rec, r, ctx);
      return;
    }
  }
  rec.stopping = true;
  ctx.exit(badReturn(callback, r));
}

/** Continue, timeout, hibernate after a successful callback. */
function then(rec: ServerRecord, r: Then, ctx: Context): void {
  if (r.continue !== undefined) {
    const impl = rec.impl;
    if (impl.handleContinue === undefined) {
      rec.stopping = true;
      ctx.exit({ kind: 'bad_continue', message: 'handleContinue is not defined' });
    }
    rec.inCallback = true;
    const c = impl.handleContinue(r.continue, rec.state, ctx);
    rec.inCallback = false;
    applyNoReply(rec, c, 'handleContinue', ctx);
    return;
  }
  if (r.hibernate === true) {
    rec.hibernated = true;
    if (rec.queue !== null && rec.queue.length === 0) rec.queue = null;
  }
  if (r.timeout !== undefined && r.timeout !== Infinity) {
    if (typeof r.timeout !== 'number' || !(r.timeout >= 0)) {
      rec.stopping = true;
      ctx.exit(badReturn('timeout', r.timeout));
    }
    rec.timer = ctx.sendAfter(r.timeout, ctx.self, { type: '$gen_timeout', n: ++rec.timeoutSerial });
  }
}

function reply(rec: ServerRecord, from: From, value: unknown, ctx: Context): void {
  ctx.reply(from, value);
  if (rec.tracer !== null) sendTrace(rec, 'out', value, from.pid, ctx);
}


