/**
 * GenLeader: Erlang's gen_leader — a behaviour whose servers, one per member node, elect
 * one leader among the candidates and keep the others (followers) in step with it.
 *
 * `defineGenLeader(import.meta.url, impl, 'ExportName')` makes a module-defined behaviour
 * (a GenServer underneath: sys, tracing and every spawn API work), started on each member
 * node with `GenLeader.start(node, { name, candidates, workers? }, behaviour, args)` and
 * registered there under the election's name. The election protocol is in
 * election-protocol.ts (numbered steps there); the callbacks see it through `election`
 * (election.ts: leaderNode / alive / candidates / workers).
 *
 * Callbacks (`init`, `elected`, `surrendered` required) and their return shapes; every one
 * also gets `ctx` last:
 *   init(ctx, ...args)                        -> { ok: state } | { stop: reason }
 *   elected(state, election, joined)          -> { ok: true, synch, state }      synch to all followers
 *                                              | { reply: true, synch, state }   synch to `joined` only
 *       on the new leader (joined undefined), and on the leader when member `joined`'s
 *       server appears; followers get the synch in `surrendered`
 *   surrendered(state, synch, election)       -> { ok: state }   a follower of a (new) leader
 *   handleLeaderCall(req, from, state, election) on the leader
 *                                             -> { reply: value, state }  [+ broadcast: synch]
 *                                              | { stop: reason, reply?: value, state }
 *   handleLeaderCast(msg, state, election)    -> { noreply: true, state } [+ broadcast] | { stop, state }
 *   fromLeader(synch, state, election)        -> { ok: state }   a follower gets a broadcast
 *   handleDOWN(node, state, election)         -> { ok: state } [+ broadcast]   on the leader: a
 *       member's server went down (also, right after `elected`, each member alive in the
 *       previous election that is gone now — e.g. the leader this one replaces)
 *   leadershipLost(state, election)           -> { ok: state }   this node led and stops leading
 *       (a higher candidate claims); runs before the new leader can be elected. Not in
 *       gen_leader (whose old leader learns it at `surrendered`).
 *   handleCall(req, from, state, election)    -> { reply: value, state } | { noreply: true, state }
 *                                              | { stop, reply?, state }     local, any node
 *   handleCast / handleInfo(msg, state, election) -> { noreply: true, state } | { stop, state }
 *   terminate(reason, state, election)        -> void (as GenServer's terminate)
 * A callback that returns something else ends the server with
 * `{ kind: 'bad_return_value', callback, value }`.
 *
 * Leader calls (the generic loop for `$gl` requests):
 *   1. `GenLeader.leaderCall(via, name, req)` is a call to the *local* server `name`.
 *   2. The local server leads: handleLeaderCall runs there, its broadcast (if any) is sent
 *      to every follower (`fromLeader`), then the reply.
 *   3. It follows a leader: the request goes to the leader's server with an id; the
 *      leader runs step 2 and sends the answer back; the local server replies. A server
 *      that no longer leads answers "not leader": the request is queued again (it was not
 *      handled anywhere).
 *   4. No leader (an election is under way): the request is queued in order and sent on
 *      (or run) as soon as a leader is known. The caller's timeout bounds the wait
 *      (CallTimeoutError); a request whose caller gave up is still handled later.
 *   5. The leader a request was sent to goes down before answering: the caller gets
 *      LeaderDiedError (the request may or may not have been handled: at-most-once).
 *   leaderCast: the same path without an answer (lost in step 5's case).
 *
 * API (via: `ctx` in a process-style actor — use `yield*` — or a Node, which returns
 * promises; timeouts are positive ms or Infinity):
 *   GenLeader.start(via, { name, candidates, workers?, incarnationDir?, retryMs?, timeoutMs? },
 *                   behaviour, args)  -> the local server's pid. LeaderAlreadyStartedError
 *       when `name` is registered on the node, NotInElectionError when the node is no member,
 *       StartFailedError when init stops. Started from a Node, it is stopped by node.stop().
 *   GenLeader.leaderCall(via, name, req, timeoutMs = 5000) -> the leader's reply
 *   GenLeader.leaderCast(via, name, msg)
 *   GenLeader.call(via, server, req, timeoutMs = 5000) / cast(via, server, msg)   local callbacks
 *   GenLeader.election(via, server, timeoutMs)  -> the server's Election snapshot
 *   GenLeader.leaderNode / alive / candidates / workers (election)
 *   GenLeader.stop(via, server, reason)
 */
import { type Behaviour } from '../../core/behaviour.ts';
import type { From } from '../../core/call-protocol.ts';
import { Context } from '../../core/context.ts';
import { BadArgError } from '../../core/errors.ts';
import type { Node } from '../../core/node.ts';
import { checkOptions, mustBePositiveInteger, mustBeTimeout } from '../../core/options.ts';
import type { Pid } from '../../core/pid.ts';
import type { Dest } from '../../core/types.ts';
import { callVia, castVia, type CallGen, type Via } from '../../otp/call.ts';
import { badReturn } from '../../otp/callback-result.ts';
import { defineGenServer, GenServer, type GenServerImpl } from '../../otp/gen-server.ts';
import { Sys } from '../../otp/sys.ts';
import { alive, candidates, leaderNode, workers, type Election } from './election.ts';
import { ElectionProtocol, type ElectionConfig, type ElectionHooks } from './election-protocol.ts';
import { LeaderAlreadyStartedError, LeaderDiedError, NotInElectionError } from './errors.ts';
import { nextIncarnation } from './incarnation.ts';

// -----------------------------------------------------------------------------------
// Types
// -----------------------------------------------------------------------------------

export type Stop<S> = { readonly stop: unknown; readonly state: S };
export type ElectedResult<S> =
  | { readonly ok: true; readonly synch: unknown; readonly state: S }
  | { readonly reply: true; readonly synch: unknown; readonly state: S };
export type OkResult<S> = { readonly ok: S };
export type LeaderCallResult<S, R> = { readonly reply: R; readonly state: S; readonly broadcast?: unknown } | (Stop<S> & { readonly reply?: R });
export type LeaderCastResult<S> = { readonly noreply: true; readonly state: S; readonly broadcast?: unknown } | Stop<S>;
export type DownResult<S> = { readonly ok: S; readonly broadcast?: unknown };
export type LocalCallResult<S, R> = { readonly reply: R; readonly state: S } | { readonly noreply: true; readonly state: S } | (Stop<S> & { readonly reply?: R });
export type LocalNoReplyResult<S> = { readonly noreply: true; readonly state: S } | Stop<S>;

export interface GenLeaderImpl<S, A extends unknown[]> {
  init(ctx: Context, ...args: A): OkResult<S> | { readonly stop: unknown };
  elected(state: S, election: Election, joined: string | undefined, ctx: Context): ElectedResult<S>;
  surrendered(state: S, synch: any, election: Election, ctx: Context): OkResult<S>;
  handleLeaderCall?(req: any, from: From, state: S, election: Election, ctx: Context): LeaderCallResult<S, unknown>;
  handleLeaderCast?(msg: any, state: S, election: Election, ctx: Context): LeaderCastResult<S>;
  fromLeader?(synch: any, state: S, election: Election, ctx: Context): OkResult<S>;
  handleDOWN?(node: string, state: S, election: Election, ctx: Context): DownResult<S>;
  leadershipLost?(state: S, election: Election, ctx: Context): OkResult<S>;
  handleCall?(req: any, from: From, state: S, election: Election, ctx: Context): LocalCallResult<S, unknown>;
  handleCast?(msg: any, state: S, election: Election, ctx: Context): LocalNoReplyResult<S>;
  handleInfo?(msg: unknown, state: S, election: Election, ctx: Context): LocalNoReplyResult<S>;
  terminate?(reason: unknown, state: S, election: Election, ctx: Context): void;
}

/** A GenLeader behaviour (a GenServer behaviour underneath). */
export type GenLeader<A extends unknown[] = any[]> = Behaviour<A> & { readonly [kGenLeader]?: true };
declare const kGenLeader: unique symbol;

export interface GenLeaderOptions {
  /** The election's name: the servers are registered under it on every member. */
  readonly name: string;
  /** Candidate node names, highest priority first. */
  readonly candidates: readonly string[];
  /** Nodes that follow but never lead. */
  readonly workers?: readonly string[];
  /** Where the incarnation counter is kept (incarnation.ts); default: the clock. */
  readonly incarnationDir?: string;
  /** How long a candidate whose claim was rejected waits before claiming again (ms, default 200). */
  readonly retryMs?: number;
  /** How long init may take (default 5000 ms from a node, no limit from an actor). */
  readonly timeoutMs?: number;
}

const kCallbacks = ['handleLeaderCall', 'handleLeaderCast', 'fromLeader', 'handleDOWN', 'leadershipLost', 'handleCall', 'handleCast', 'handleInfo', 'terminate'] as const;

// -----------------------------------------------------------------------------------
// Definition
// -----------------------------------------------------------------------------------

export function defineGenLeader<S, A extends unknown[] = []>(moduleUrl: string, impl: GenLeaderImpl<S, A>, exportName?: string): GenLeader<A> {
  if (typeof impl !== 'object' || impl === null) throw new BadArgError('defineGenLeader: impl must be an object of callbacks');
  for (const k of ['init', 'elected', 'surrendered'] as const) {
    if (typeof impl[k] !== 'function') throw new BadArgError(`defineGenLeader: impl.${k} must be a function`);
  }
  for (const k of kCallbacks) {
    const f = (impl as unknown as Record<string, unknown>)[k];
    if (f !== undefined && typeof f !== 'function') throw new BadArgError(`defineGenLeader: impl.${k} must be a function`);
  }
  const server = makeServer(impl as unknown as AnyImpl);
  return defineGenServer(moduleUrl, server as never, exportName) as unknown as GenLeader<A>;
}

// -----------------------------------------------------------------------------------
// API
// -----------------------------------------------------------------------------------

const optionChecks = {
  name: (v: unknown) => (typeof v === 'string' && v !== '' ? null : 'must be a non-empty string'),
  candidates: (v: unknown) => (isNodeList(v) && v.length > 0 ? null : 'must be a non-empty array of distinct node names'),
  workers: (v: unknown) => (isNodeList(v) ? null : 'must be an array of distinct node names'),
  incarnationDir: (v: unknown) => (typeof v === 'string' && v !== '' ? null : 'must be a directory path'),
  retryMs: mustBePositiveInteger,
  timeoutMs: mustBeTimeout,
};

function isNodeList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((n) => typeof n === 'string' && n.includes('@')) && new Set(v).size === v.length;
}

/** What init gets as its first argument (plain data: it crosses threads). */
interface StartConfig {
  readonly name: string;
  readonly candidates: readonly string[];
  readonly workers: readonly string[];
  readonly incarnationDir: string | undefined;
  readonly retryMs: number;
}

function checkStart(opts: GenLeaderOptions, node: string): StartConfig {
  checkOptions('GenLeader.start', optionChecks, opts);
  if (opts === undefined || opts.name === undefined) throw new BadArgError('GenLeader.start: option "name" is required');
  if (opts.candidates === undefined) throw new BadArgError('GenLeader.start: option "candidates" is required');
  const workersList = opts.workers ?? [];
  for (const w of workersList) {
    if (opts.candidates.includes(w)) throw new BadArgError(`GenLeader.start: node "${w}" is both a candidate and a worker`);
  }
  if (!opts.candidates.includes(node) && !workersList.includes(node)) throw new NotInElectionError(opts.name, node);
  return { name: opts.name, candidates: [...opts.candidates], workers: [...workersList], incarnationDir: opts.incarnationDir, retryMs: opts.retryMs ?? 200 };
}

function* startFrom(ctx: Context, opts: GenLeaderOptions, behaviour: GenLeader, args: readonly unknown[]): CallGen<Pid> {
  const cfg = checkStart(opts, ctx.nodeName);
  if (ctx.whereis(cfg.name) !== undefined) throw new LeaderAlreadyStartedError(cfg.name);
  const pid = yield* GenServer.start(ctx, behaviour as never, [cfg, ...args] as never, { name: cfg.name, timeoutMs: opts.timeoutMs });
  return pid as unknown as Pid;
}

async function startOnNode(node: Node, opts: GenLeaderOptions, behaviour: GenLeader, args: readonly unknown[]): Promise<Pid> {
  const cfg = checkStart(opts, node.name);
  if (node.whereis(cfg.name) !== undefined) throw new LeaderAlreadyStartedError(cfg.name);
  const pid = await GenServer.start(node, behaviour as never, [cfg, ...args] as never, { name: cfg.name, timeoutMs: opts.timeoutMs });
  node.onStop(async () => {
    try {
      await Sys.terminate(node, pid as unknown as Pid, 'shutdown');
    } catch {
      // already gone
    }
  });
  return pid as unknown as Pid;
}

function start<A extends unknown[]>(ctx: Context, opts: GenLeaderOptions, behaviour: GenLeader<A>, args: A): CallGen<Pid>;
function start<A extends unknown[]>(node: Node, opts: GenLeaderOptions, behaviour: GenLeader<A>, args: A): Promise<Pid>;
function start(via: Via, opts: GenLeaderOptions, behaviour: GenLeader, args: unknown[]): CallGen<Pid> | Promise<Pid> {
  if (via instanceof Context) return startFrom(via, opts, behaviour, args);
  try {
    return startOnNode(via, opts, behaviour, args);
  } catch (e) {
    return Promise.reject(e);
  }
}

/** The answer a local server gives to a leader call (unwrapped by the client). */
type LeaderAnswer = { readonly ok: unknown } | { readonly error: 'leader_died'; readonly leader: string };

function unwrap(election: string, a: LeaderAnswer): unknown {
  if ('ok' in a) return a.ok;
  throw new LeaderDiedError(election, a.leader);
}

function nameOf(server: Dest): string {
  return typeof server === 'string' ? server : typeof server === 'object' && server !== null && 'name' in server ? String(server.name) : String(server);
}

function* leaderCallFrom(ctx: Context, server: Dest, req: unknown, timeoutMs: number | undefined): CallGen<unknown> {
  const a = yield* callVia<LeaderAnswer>(ctx, server, { $gl: 'leader_call', req }, timeoutMs);
  return unwrap(nameOf(server), a);
}

function leaderCall<R = unknown>(ctx: Context, server: Dest, req: unknown, timeoutMs?: number): CallGen<R>;
function leaderCall<R = unknown>(node: Node, server: Dest, req: unknown, timeoutMs?: number): Promise<R>;
function leaderCall(via: Via, server: Dest, req: unknown, timeoutMs?: number): CallGen<unknown> | Promise<unknown> {
  if (via instanceof Context) return leaderCallFrom(via, server, req, timeoutMs);
  return callVia<LeaderAnswer>(via, server, { $gl: 'leader_call', req }, timeoutMs).then((a) => unwrap(nameOf(server), a));
}

function leaderCast(via: Via, server: Dest, msg: unknown): void {
  castVia(via, server, { $gl: 'leader_cast', msg });
}

function call<R = unknown>(ctx: Context, server: Dest, req: unknown, timeoutMs?: number): CallGen<R>;
function call<R = unknown>(node: Node, server: Dest, req: unknown, timeoutMs?: number): Promise<R>;
function call(via: Via, server: Dest, req: unknown, timeoutMs?: number): CallGen<unknown> | Promise<unknown> {
  return callVia(via, server, req, timeoutMs);
}

function cast(via: Via, server: Dest, msg: unknown): void {
  castVia(via, server, msg);
}

function election(ctx: Context, server: Dest, timeoutMs?: number): CallGen<Election>;
function election(node: Node, server: Dest, timeoutMs?: number): Promise<Election>;
function election(via: Via, server: Dest, timeoutMs?: number): CallGen<Election> | Promise<Election> {
  return callVia<Election>(via, server, { $gl: 'election' }, timeoutMs);
}

function stop<V extends Via>(via: V, server: Pid | string, reason: unknown = 'normal', timeoutMs?: number): V extends Context ? CallGen<'ok'> : Promise<'ok'> {
  return Sys.terminate(via, server, reason, timeoutMs) as never;
}

export const GenLeader = { start, leaderCall, leaderCast, call, cast, election, stop, leaderNode, alive, candidates, workers };

// -----------------------------------------------------------------------------------
// Generic loop
// -----------------------------------------------------------------------------------

type AnyImpl = GenLeaderImpl<unknown, unknown[]>;

type Queued = { readonly call: true; readonly req: unknown; readonly from: From } | { readonly call: false; readonly msg: unknown };

interface Forwarded {
  readonly from: From;
  readonly req: unknown;
  readonly leader: string;
}

/** The GenServer state of one GenLeader: the user's state and the election's. */
class LeaderRecord {
  user: unknown;
  proto!: ElectionProtocol;
  readonly queue: Queued[] = [];
  readonly forwarded = new Map<number, Forwarded>();
  fwdSerial = 0;
  constructor(user: unknown) {
    this.user = user;
  }
}

type LocalMsg = { readonly $gl?: unknown; readonly req?: unknown; readonly msg?: unknown };

function makeServer(impl: AnyImpl): GenServerImpl<LeaderRecord, unknown, unknown, unknown, unknown[]> {
  return {
    init(ctx: Context, cfg: unknown, ...args: unknown[]) {
      const c = cfg as StartConfig;
      const r = impl.init(ctx, ...args) as OkResult<unknown> | { stop: unknown } | undefined;
      if (typeof r !== 'object' || r === null || !('ok' in r)) return r as { stop: unknown };
      const rec = new LeaderRecord(r.ok);
      const config: ElectionConfig = {
        name: c.name,
        node: ctx.nodeName,
        inc: nextIncarnation(c.name, ctx.nodeName, c.incarnationDir),
        candidates: Object.freeze([...c.candidates]),
        workers: Object.freeze([...c.workers]),
        retryMs: c.retryMs,
      };
      rec.proto = new ElectionProtocol(config, hooks(impl, rec));
      rec.proto.start(ctx);
      return { ok: rec };
    },
    handleCall(msg: unknown, from: From, rec: LeaderRecord, ctx: Context) {
      const m = msg as LocalMsg;
      if (typeof m === 'object' && m !== null && m.$gl === 'leader_call') {
        leaderRequest(impl, rec, { call: true, req: m.req, from }, ctx);
        return { noreply: true, state: rec };
      }
      if (typeof m === 'object' && m !== null && m.$gl === 'election') return { reply: rec.proto.snapshot(), state: rec };
      if (impl.handleCall === undefined) ctx.exit({ kind: 'bad_call', message: 'handleCall is not defined' });
      const r = impl.handleCall(msg, from, rec.user, rec.proto.snapshot(), ctx);
      if (typeof r === 'object' && r !== null && 'state' in r) {
        rec.user = r.state;
        if ('stop' in r) {
          if ('reply' in r) ctx.reply(from, r.reply);
          ctx.exit(r.stop);
        }
        if ('reply' in r) return { reply: r.reply, state: rec };
        if ('noreply' in r) return { noreply: true, state: rec };
      }
      ctx.exit(badReturn('handleCall', r));
    },
    handleCast(msg: unknown, rec: LeaderRecord, ctx: Context) {
      const m = msg as LocalMsg;
      if (typeof m === 'object' && m !== null && m.$gl === 'leader_cast') leaderRequest(impl, rec, { call: false, msg: m.msg }, ctx);
      else if (impl.handleCast !== undefined) local(rec, 'handleCast', impl.handleCast(msg, rec.user, rec.proto.snapshot(), ctx), ctx);
      return { noreply: true, state: rec };
    },
    handleInfo(msg: unknown, rec: LeaderRecord, ctx: Context) {
      if (rec.proto.handle(msg, ctx)) return { noreply: true, state: rec };
      if (!remoteLeaderMessage(impl, rec, msg, ctx) && impl.handleInfo !== undefined) {
        local(rec, 'handleInfo', impl.handleInfo(msg, rec.user, rec.proto.snapshot(), ctx), ctx);
      }
      return { noreply: true, state: rec };
    },
    terminate(reason: unknown, rec: LeaderRecord, ctx: Context) {
      if (impl.terminate !== undefined) impl.terminate(reason, rec.user, rec.proto.snapshot(), ctx);
    },
    formatStatus(rec: LeaderRecord) {
      return { state: rec.user, election: rec.proto.snapshot(), queuedLeaderRequests: rec.queue.length, forwardedLeaderCalls: rec.forwarded.size };
    },
  };
}

function local(rec: LeaderRecord, callback: string, r: LocalNoReplyResult<unknown>, ctx: Context): void {
  if (typeof r === 'object' && r !== null && 'state' in r) {
    rec.user = r.state;
    if ('stop' in r) ctx.exit(r.stop);
    if ('noreply' in r) return;
  }
  ctx.exit(badReturn(callback, r));
}

function okState(rec: LeaderRecord, callback: string, r: OkResult<unknown>, ctx: Context): void {
  if (typeof r === 'object' && r !== null && 'ok' in r) {
    rec.user = r.ok;
    return;
  }
  ctx.exit(badReturn(callback, r));
}

function broadcast(rec: LeaderRecord, synch: unknown, ctx: Context): void {
  const msg = { type: '$gl_from_leader', node: rec.proto.cfg.node, pid: ctx.self, synch };
  for (const pid of rec.proto.peerPids()) ctx.send(pid, msg);
}

/** The election protocol's hooks: the user's callbacks, and the leader requests' steps. */
function hooks(impl: AnyImpl, rec: LeaderRecord): ElectionHooks {
  return {
    elected(joined: string | undefined, ctx: Context) {
      const r = impl.elected(rec.user, rec.proto.snapshot(), joined, ctx);
      if (typeof r === 'object' && r !== null && 'state' in r && 'synch' in r && ((r as { ok?: unknown }).ok === true || (r as { reply?: unknown }).reply === true)) {
        rec.user = r.state;
        return { synch: r.synch, toJoinedOnly: joined !== undefined && 'reply' in r };
      }
      ctx.exit(badReturn('elected', r));
    },
    surrendered(synch: unknown, ctx: Context) {
      okState(rec, 'surrendered', impl.surrendered(rec.user, synch, rec.proto.snapshot(), ctx), ctx);
    },
    memberDown(node: string, ctx: Context) {
      if (impl.handleDOWN === undefined) return;
      const r = impl.handleDOWN(node, rec.user, rec.proto.snapshot(), ctx);
      okState(rec, 'handleDOWN', r, ctx);
      if ('broadcast' in r) broadcast(rec, r.broadcast, ctx);
    },
    lost(ctx: Context) {
      if (impl.leadershipLost !== undefined) okState(rec, 'leadershipLost', impl.leadershipLost(rec.user, rec.proto.snapshot(), ctx), ctx);
    },
    leaderChanged(previous: string | undefined, died: boolean, ctx: Context) {
      if (died && previous !== undefined) {
        for (const [id, f] of rec.forwarded) {
          if (f.leader !== previous) continue;
          rec.forwarded.delete(id);
          ctx.reply(f.from, { error: 'leader_died', leader: previous } satisfies LeaderAnswer);
        }
      }
      flushQueue(impl, rec, ctx);
    },
  };
}

/** Leader-request steps 2-4 for a request made on this node. */
function leaderRequest(impl: AnyImpl, rec: LeaderRecord, q: Queued, ctx: Context): void {
  if (rec.proto.isLeader) return runOnLeader(impl, rec, q, (v) => ctx.reply((q as { from: From }).from, { ok: v } satisfies LeaderAnswer), ctx);
  const leader = rec.proto.leader;
  const pid = rec.proto.leaderPid();
  if (leader === undefined || pid === undefined) {
    rec.queue.push(q);
    return;
  }
  if (q.call) {
    const id = ++rec.fwdSerial;
    rec.forwarded.set(id, { from: q.from, req: q.req, leader });
    ctx.send(pid, { type: '$gl_fwd_call', id, req: q.req, from: q.from, pid: ctx.self });
  } else {
    ctx.send(pid, { type: '$gl_fwd_cast', msg: q.msg });
  }
}

function flushQueue(impl: AnyImpl, rec: LeaderRecord, ctx: Context): void {
  if (rec.queue.length === 0 || (!rec.proto.isLeader && rec.proto.leaderPid() === undefined)) return;
  const queued = rec.queue.splice(0);
  for (const q of queued) leaderRequest(impl, rec, q, ctx);
}

/** Step 2: run a leader request on this (leading) server. */
function runOnLeader(impl: AnyImpl, rec: LeaderRecord, q: Queued, answer: (v: unknown) => void, ctx: Context): void {
  if (q.call) {
    if (impl.handleLeaderCall === undefined) ctx.exit({ kind: 'bad_call', message: 'handleLeaderCall is not defined' });
    const r = impl.handleLeaderCall(q.req, q.from, rec.user, rec.proto.snapshot(), ctx);
    if (typeof r === 'object' && r !== null && 'state' in r) {
      rec.user = r.state;
      if ('stop' in r) {
        if ('reply' in r) answer(r.reply);
        ctx.exit(r.stop);
      }
      if ('reply' in r) {
        if ('broadcast' in r) broadcast(rec, r.broadcast, ctx);
        answer(r.reply);
        return;
      }
    }
    ctx.exit(badReturn('handleLeaderCall', r));
  }
  if (impl.handleLeaderCast === undefined) ctx.exit({ kind: 'bad_cast', message: 'handleLeaderCast is not defined' });
  const r = impl.handleLeaderCast(q.msg, rec.user, rec.proto.snapshot(), ctx);
  if (typeof r === 'object' && r !== null && 'state' in r) {
    rec.user = r.state;
    if ('stop' in r) ctx.exit(r.stop);
    if ('noreply' in r) {
      if ('broadcast' in r) broadcast(rec, r.broadcast, ctx);
      return;
    }
  }
  ctx.exit(badReturn('handleLeaderCast', r));
}

interface RemoteMsg {
  readonly type?: unknown;
  readonly id?: number;
  readonly req?: unknown;
  readonly msg?: unknown;
  readonly from?: From;
  readonly pid?: Pid;
  readonly node?: string;
  readonly value?: unknown;
  readonly notLeader?: boolean;
  readonly synch?: unknown;
}

/** Leader requests between servers (step 3) and broadcasts; false for other messages. */
function remoteLeaderMessage(impl: AnyImpl, rec: LeaderRecord, msg: unknown, ctx: Context): boolean {
  if (typeof msg !== 'object' || msg === null) return false;
  const m = msg as RemoteMsg;
  switch (m.type) {
    case '$gl_fwd_call': {
      const back = m.pid!;
      if (!rec.proto.isLeader) ctx.send(back, { type: '$gl_fwd_answer', id: m.id, notLeader: true });
      else runOnLeader(impl, rec, { call: true, req: m.req, from: m.from! }, (v) => ctx.send(back, { type: '$gl_fwd_answer', id: m.id, value: v }), ctx);
      return true;
    }
    case '$gl_fwd_answer': {
      const f = rec.forwarded.get(m.id!);
      if (f === undefined) return true;
      rec.forwarded.delete(m.id!);
      if (m.notLeader === true) leaderRequest(impl, rec, { call: true, req: f.req, from: f.from }, ctx);
      else ctx.reply(f.from, { ok: m.value } satisfies LeaderAnswer);
      return true;
    }
    case '$gl_fwd_cast':
      leaderRequest(impl, rec, { call: false, msg: m.msg }, ctx);
      return true;
    case '$gl_from_leader': {
      if (rec.proto.leader !== m.node || rec.proto.isLeader) return true;
      const pid = rec.proto.leaderPid();
      if (pid === undefined || !pid.equals(m.pid)) return true;
      if (impl.fromLeader !== undefined) okState(rec, 'fromLeader', impl.fromLeader(m.synch, rec.user, rec.proto.snapshot(), ctx), ctx);
      return true;
    }
    default:
      return false;
  }
}
