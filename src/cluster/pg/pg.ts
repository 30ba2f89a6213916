/**
 * Pg: process groups with eventually consistent membership — Erlang/OTP 23+'s `pg`.
 *
 * A group is a name (a non-empty string) in a *scope*; a process may join any groups of
 * any scopes, a group several times (each join counts: it must leave as many times).
 * Every node that runs the scope's server sees the members of every node that runs it;
 * a member is removed when it leaves, when it dies, or when its node goes down.
 *
 * Where calls are made from (the `via` of the OTP APIs, src/otp/call.ts):
 *   - from a process-style actor: `yield* Pg.join(ctx, ...)` — every function that answers
 *     is a generator to `yield*`. Reads (members, localMembers, whichGroups,
 *     whichLocalGroups) by an actor on the scope server's own scheduler read the server's
 *     table directly and send no message (Erlang's ETS read); from another scheduler of a
 *     ThreadedNode they are a call to the server (no per-thread replica: see readme).
 *   - from the embedding thread: `await Pg.join(node, ...)` — promises, each a call made
 *     by the node's gateway. A subscription made from a node (monitor / monitorScope) has
 *     the gateway as subscriber: its events are the node's `'message'` events.
 *
 * `Pg.view(ctx, scope?)`: the same reads without a generator (GenServer callbacks), when the
 * actor runs on the server's scheduler (always on a LocalNode); undefined elsewhere.
 *
 * Scope argument: optional, as Erlang's pg/2 vs pg/3 functions: `Pg.join(via, group, pids)`
 * is `Pg.join(via, 'default', group, pids)`; the same for leave, members, localMembers,
 * monitor, demonitor (`whichGroups(via, scope?)`, `monitorScope(via, scope?)`).
 *
 * Protocol of a client call (steps):
 *   1. Check the arguments (BadArgError; join/leave of a pid of another node:
 *      PgNotLocalError, nothing sent).
 *   2. A read from the server's own scheduler: answer from its table (scope-table.ts).
 *   3. Otherwise call `pg:<scope>` on this node with no timeout (as pg's infinity; the
 *      call monitors the server, so a dead server ends it). Not registered:
 *      PgNotStartedError.
 *   4. demonitor from an actor: after the server forgot the subscription, the events of
 *      that ref already in the mailbox are removed (as pg:demonitor flushes).
 *
 * Lifecycle: `await Pg.start(node, scope?, { scheduler? })` starts the scope's server on that
 * node (PgAlreadyStartedError if it runs); it stops with the node (node.onStop) or with
 * `await Pg.stop(node, scope?)`. Stopping a scope's server (or its crash) forgets the node's
 * local memberships (as pg: local membership is not preserved when a scope restarts); the
 * peers drop that node's members when they see the server's DOWN.
 */
import type { CallGen, CallOut, Via } from '../../otp/call.ts';
import { callProcess } from '../../otp/call.ts';
import { GenServer } from '../../otp/gen-server.ts';
import { Sys } from '../../otp/sys.ts';
import { Context } from '../../core/context.ts';
import { BadArgError, NameTakenError, NoProcError } from '../../core/errors.ts';
import type { Node } from '../../core/node.ts';
import { checkOptions, mustBeNonNegativeInteger } from '../../core/options.ts';
import { Pid, Ref } from '../../core/pid.ts';
import { TIMEOUT } from '../../core/reason.ts';
import { StartFailedError } from '../../otp/errors.ts';
import { PgAlreadyStartedError, PgNotLocalError, PgNotStartedError } from './errors.ts';
import { kDefaultScope, serverName, type GroupSubscription, type NotLocalReply, type PgRequest, type ScopeSubscription } from './pg-protocol.ts';
import { ScopeServer } from './scope-server.ts';
// OTP pg's protocol with Erlang nodes (registers its message translator on this thread).
import './pg-erlang.ts';
import { tableOnThisScheduler, type ScopeTable, type ScopeView } from './scope-table.ts';

export type PidOrPids = Pid | readonly Pid[];

export interface PgStartOptions {
  /** ThreadedNode: the scheduler the scope server runs on (default: the node's placement). */
  readonly scheduler?: number;
}

const kScopeShape = /^[A-Za-z0-9_.@-]{1,200}$/;

function checkScope(api: string, scope: unknown): string {
  if (scope === undefined) return kDefaultScope;
  if (typeof scope !== 'string' || !kScopeShape.test(scope)) {
    throw new BadArgError(`${api}: the scope must be 1-200 characters of letters, digits, '_', '.', '@', '-'`);
  }
  return scope;
}

function checkGroup(api: string, group: unknown): string {
  if (typeof group !== 'string' || group === '') throw new BadArgError(`${api}: the group must be a non-empty string`);
  return group;
}

function checkLocalPids(api: string, pids: unknown): Pid[] {
  const list = pids instanceof Pid ? [pids] : Array.isArray(pids) ? (pids as unknown[]) : null;
  if (list === null) throw new BadArgError(`${api}: expected a pid or an array of pids`);
  for (const p of list) {
    if (!(p instanceof Pid)) throw new BadArgError(`${api}: expected a pid or an array of pids`);
    if (p.node !== 0) throw new PgNotLocalError(api, p.toString());
  }
  return list as Pid[];
}

// --- one client call (steps 1-3) --------------------------------------------------------

interface Plan<R> {
  readonly api: string;
  readonly scope: string;
  readonly req: PgRequest;
  /** Step 2: the answer from the table, for reads. */
  readonly fromTable?: (t: ScopeTable) => R;
  /** Turn the server's reply into the result (default: as it is). */
  readonly answer?: (reply: unknown) => R;
}

function notStarted(e: unknown, p: Plan<unknown>): unknown {
  return e instanceof NoProcError ? new PgNotStartedError(p.api, p.scope) : e;
}

function* runInActor<R>(ctx: Context, plan: () => Plan<R>): CallGen<R> {
  const p = plan();
  const name = serverName(p.scope);
  if (p.fromTable !== undefined) {
    const t = tableOnThisScheduler(ctx, p.scope, ctx.whereis(name));
    if (t !== undefined) return p.fromTable(t);
  }
  let reply: unknown;
  try {
    reply = yield* callProcess(ctx, name, p.req, Infinity);
  } catch (e) {
    throw notStarted(e, p);
  }
  return p.answer === undefined ? (reply as R) : p.answer(reply);
}

async function runOnNode<R>(node: Node, plan: () => Plan<R>): Promise<R> {
  const p = plan();
  let reply: unknown;
  try {
    reply = await node.call(serverName(p.scope), p.req, Infinity);
  } catch (e) {
    throw notStarted(e, p);
  }
  return p.answer === undefined ? (reply as R) : p.answer(reply);
}

function run<V extends Via, R>(via: V, plan: () => Plan<R>): CallOut<V, R> {
  if (via instanceof Context) return runInActor(via, plan) as CallOut<V, R>;
  return runOnNode(via as Node, plan) as CallOut<V, R>;
}

/** The scope and the rest of the arguments of a function whose scope argument is optional. */
function scoped(api: string, args: readonly unknown[], withScope: number): [string, unknown[]] {
  if (args.length === withScope) return [checkScope(api, args[0]), args.slice(1)];
  return [kDefaultScope, args.slice()];
}

function joinLeave<R>(api: string, op: 'join' | 'leave', args: readonly unknown[]): () => Plan<R> {
  return () => {
    const [scope, [group, pids]] = scoped(api, args, 3);
    const req: PgRequest = { op, group: checkGroup(api, group), pids: checkLocalPids(api, pids) };
    const answer = (r: unknown): R => {
      if (typeof r === 'object' && r !== null && 'notLocal' in r) throw new PgNotLocalError(api, String((r as NotLocalReply).notLocal));
      return r as R;
    };
    return { api, scope, req, answer };
  };
}

// --- the API ------------------------------------------------------------------------

/** Erlang's pg:join/2,3. Resolves 'ok' once the server recorded the joins (visible on this node). */
function join<V extends Via>(via: V, group: string, pids: PidOrPids): CallOut<V, 'ok'>;
function join<V extends Via>(via: V, scope: string | undefined, group: string, pids: PidOrPids): CallOut<V, 'ok'>;
function join<V extends Via>(via: V, ...args: unknown[]): CallOut<V, 'ok'> {
  return run(via, joinLeave<'ok'>('Pg.join', 'join', args));
}

/** Erlang's pg:leave/2,3: 'not_joined' when none of the pids was in the group. */
function leave<V extends Via>(via: V, group: string, pids: PidOrPids): CallOut<V, 'ok' | 'not_joined'>;
function leave<V extends Via>(via: V, scope: string | undefined, group: string, pids: PidOrPids): CallOut<V, 'ok' | 'not_joined'>;
function leave<V extends Via>(via: V, ...args: unknown[]): CallOut<V, 'ok' | 'not_joined'> {
  return run(via, joinLeave<'ok' | 'not_joined'>('Pg.leave', 'leave', args));
}

function read<V extends Via, R>(via: V, api: string, args: readonly unknown[], op: 'members' | 'localMembers', get: (t: ScopeTable, g: string) => R): CallOut<V, R> {
  return run(via, () => {
    const [scope, [group]] = scoped(api, args, 2);
    const g = checkGroup(api, group);
    return { api, scope, req: { op, group: g }, fromTable: (t) => get(t, g) };
  });
}

/** Erlang's pg:get_members/1,2: every member this node knows, any node (a pid per join). */
function members<V extends Via>(via: V, group: string): CallOut<V, Pid[]>;
function members<V extends Via>(via: V, scope: string | undefined, group: string): CallOut<V, Pid[]>;
function members<V extends Via>(via: V, ...args: unknown[]): CallOut<V, Pid[]> {
  return read(via, 'Pg.members', args, 'members', (t, g) => t.members(g));
}

/** Erlang's pg:get_local_members/1,2: the members that live on this node. */
function localMembers<V extends Via>(via: V, group: string): CallOut<V, Pid[]>;
function localMembers<V extends Via>(via: V, scope: string | undefined, group: string): CallOut<V, Pid[]>;
function localMembers<V extends Via>(via: V, ...args: unknown[]): CallOut<V, Pid[]> {
  return read(via, 'Pg.localMembers', args, 'localMembers', (t, g) => t.localMembers(g));
}

/** Erlang's pg:which_groups/0,1: the groups with at least one member (anywhere). */
function whichGroups<V extends Via>(via: V, scope?: string): CallOut<V, string[]> {
  return run(via, () => ({ api: 'Pg.whichGroups', scope: checkScope('Pg.whichGroups', scope), req: { op: 'whichGroups' }, fromTable: (t) => t.whichGroups() }));
}

/** Erlang's pg:which_local_groups/0,1: the groups with at least one member on this node. */
function whichLocalGroups<V extends Via>(via: V, scope?: string): CallOut<V, string[]> {
  return run(via, () => ({ api: 'Pg.whichLocalGroups', scope: checkScope('Pg.whichLocalGroups', scope), req: { op: 'whichLocalGroups' }, fromTable: (t) => t.whichLocalGroups() }));
}

/**
 * Erlang's pg:monitor/1,2: the group's members now and a ref; then the caller gets
 * `{ type: 'pg', ref, event: 'join' | 'leave', group, pids }` for each change of the group.
 */
function monitor<V extends Via>(via: V, group: string): CallOut<V, GroupSubscription>;
function monitor<V extends Via>(via: V, scope: string | undefined, group: string): CallOut<V, GroupSubscription>;
function monitor<V extends Via>(via: V, ...args: unknown[]): CallOut<V, GroupSubscription> {
  return run(via, () => {
    const [scope, [group]] = scoped('Pg.monitor', args, 2);
    return { api: 'Pg.monitor', scope, req: { op: 'monitor', group: checkGroup('Pg.monitor', group) } };
  });
}

/** Erlang's pg:monitor_scope/0,1: every group with its members now, and events for every group. */
function monitorScope<V extends Via>(via: V, scope?: string): CallOut<V, ScopeSubscription> {
  return run(via, () => ({ api: 'Pg.monitorScope', scope: checkScope('Pg.monitorScope', scope), req: { op: 'monitorScope' } }));
}

/**
 * The scope's table, read synchronously (no message), when its server runs on the calling
 * actor's scheduler — always on a LocalNode; on a ThreadedNode only on the server's
 * scheduler — else undefined (then use the generator reads). For code that cannot yield:
 * GenServer callbacks. The view is live (it shows later changes too) and read-only.
 */
function view(ctx: Context, scope?: string): ScopeView | undefined {
  if (!(ctx instanceof Context)) throw new BadArgError('Pg.view: expected the ctx of the running actor');
  const s = checkScope('Pg.view', scope);
  return tableOnThisScheduler(ctx, s, ctx.whereis(serverName(s)));
}

function* flushEvents(ctx: Context, ref: Ref): CallGen<void> {
  while ((yield ctx.receive({ type: 'pg', ref }, 0)) !== TIMEOUT);
}

/**
 * Erlang's pg:demonitor/1,2: true if the subscription existed (false otherwise). From an
 * actor, its events already in the mailbox are removed; from a node, events already
 * emitted stay emitted.
 */
function demonitor<V extends Via>(via: V, ref: Ref): CallOut<V, boolean>;
function demonitor<V extends Via>(via: V, scope: string | undefined, ref: Ref): CallOut<V, boolean>;
function demonitor<V extends Via>(via: V, ...args: unknown[]): CallOut<V, boolean> {
  const plan = (): Plan<boolean> => {
    const [scope, [ref]] = scoped('Pg.demonitor', args, 2);
    if (!(ref instanceof Ref)) throw new BadArgError('Pg.demonitor: expected the ref that monitor or monitorScope answered');
    return { api: 'Pg.demonitor', scope, req: { op: 'demonitor', ref } };
  };
  if (!(via instanceof Context)) return run(via, plan);
  const ctx = via;
  return (function* () {
    const gone = yield* runInActor(ctx, plan);
    if (gone) yield* flushEvents(ctx, args[args.length - 1] as Ref);
    return gone;
  })() as CallOut<V, boolean>;
}

/**
 * Start the server of `scope` on `node` (Erlang's pg:start/1): resolves with its pid once
 * it runs and has sent `discover` to the nodes connected now. It stops with the node.
 * @throws PgAlreadyStartedError when the scope already runs on that node
 */
async function start(node: Node, scope?: string, opts?: PgStartOptions): Promise<Pid> {
  const s = checkScope('Pg.start', scope);
  checkOptions('Pg.start', { scheduler: mustBeNonNegativeInteger }, opts);
  const name = serverName(s);
  if (node.whereis(name) !== undefined) throw new PgAlreadyStartedError(s);
  let pid: Pid | null;
  try {
    pid = await GenServer.start(node, ScopeServer, [s], { name, spawn: opts?.scheduler === undefined ? undefined : { scheduler: opts.scheduler } });
  } catch (e) {
    // Two starts racing: the second one's registration fails.
    if (e instanceof NameTakenError || (e instanceof StartFailedError && node.whereis(name) !== undefined)) throw new PgAlreadyStartedError(s);
    throw e;
  }
  const server = pid!;
  node.onStop(async () => {
    await Sys.terminate(node, server, 'shutdown').catch(() => undefined);
  });
  return server;
}

/** Stop the server of `scope` on `node` (its peers then drop this node's members). */
async function stop(node: Node, scope?: string): Promise<void> {
  const s = checkScope('Pg.stop', scope);
  const pid = node.whereis(serverName(s));
  if (pid === undefined) throw new PgNotStartedError('Pg.stop', s);
  await Sys.terminate(node, pid, 'shutdown').catch((e: unknown) => {
    if (!(e instanceof NoProcError)) throw e;
  });
}

export const Pg = { start, stop, join, leave, members, localMembers, whichGroups, whichLocalGroups, monitor, monitorScope, demonitor, view };
