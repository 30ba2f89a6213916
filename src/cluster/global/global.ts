/**
 * Global: Erlang's `global` for Switchboard — names registered cluster-wide, one owner at
 * any time, removed when the owner dies or its node goes down, merged when partitions heal.
 *
 *   await Global.start(node)                      the node's global name server (+ replicas)
 *   Global.register(via, name, pid, resolve?)     'yes' | 'no'  (Erlang's yes/no)
 *   Global.reRegister(via, name, pid, resolve?)   'yes': the name moves to pid, held or not
 *   Global.unregister(via, name)                  'ok'
 *   Global.whereis(via, name)                     Pid | undefined   synchronous (this thread's replica)
 *   Global.send(via, name, msg)                   the pid; GlobalNotRegisteredError if none
 *   Global.registered(via)                        string[] (sorted)  synchronous
 *   Global.sync(via, timeoutMs?)                  'ok' once every connected node is synced
 *   Global.registerSelf(ctx, name, opts?)         from an actor's init: register it, no wait
 * `via` is the running actor's ctx (register, unregister and sync are then generators to
 * `yield*`) or a Node from the embedding thread (they return promises), as GenServer's API.
 * `{ global: name }` is accepted by send, call and monitor wherever a pid is (core resolves
 * it through this thread's replica).
 *
 * Start (`Global.start(node)`, idempotent: a second call returns the running server's pid):
 *   1. Start the GenServer GlobalNameServer registered locally as 'global_name_server'.
 *   2. On every scheduler (node.applyOnSchedulers) spawn a replica actor that follows it
 *      and installs that thread's `{ global }` resolver (replica-actor.ts).
 *   3. ThreadedNode: the embedding thread runs no actor, so its replica is fed through the
 *      node's gateway: the server sends replica messages to `node.pid`, and a 'message'
 *      listener applies them here (they are tagged `type: '$global_replica'`; other
 *      listeners of 'message' see them too and should ignore that tag). On a LocalNode the
 *      embedding thread is the scheduler's thread: step 2 covers it.
 *   4. node.onStop: stop the server (its replicas end with it), drop this thread's replica.
 * One node per thread: the resolver is per thread, so a second running node starting
 * Global on the same embedding thread gets GlobalThreadInUseError.
 *
 * Erlang mapping: global:register_name/2,3 (register), re_register_name/2,3, unregister_name/1, whereis_name/1,
 * send/2, registered_names/0, sync/0, and `{global, Name}` destinations; the resolve
 * methods random_exit_name / notify_all_name / a user fun (resolve.ts).
 *
 * Consistency: register/unregister return after the change is written on every synced
 * node's server; the caller's own thread sees it at once (the answer carries the change
 * number: read your own writes). Other threads of a node see it when their replica actor
 * has run (microseconds); `Global.sync` waits for every replica of the node.
 */
import { Context } from '../../core/context.ts';
import { BadArgError } from '../../core/errors.ts';
import type { Node } from '../../core/node.ts';
import { Pid } from '../../core/pid.ts';
import { checkOptions } from '../../core/options.ts';
import { callProcess, type CallGen, type CallOut, type Via } from '../../otp/call.ts';
import { GenServer } from '../../otp/gen-server.ts';
import { GlobalNotRegisteredError, GlobalNotStartedError, GlobalThreadInUseError } from './errors.ts';
import { GlobalNameServer } from './name-server.ts';
import { isReplicaMessage, kServerName, type ResolveMethod, type ServerCall, type ServerInfo, type TxnAnswer } from './protocol.ts';
import { applyReplicaMessage, kStartThreadReplica } from './replica-actor.ts';
import { checkResolveMethod } from './resolve.ts';
import { threadReplica } from './thread-replica.ts';
import { transactionFromActor } from './actor-transaction.ts';
// Sharing names with the global of Erlang nodes (the Erlang bridge's global handler).
import './global-erlang.ts';

/** The node whose server this (embedding) thread's replica follows. */
let embeddingOwner: Node | null = null;

/** Starts under way, by node: a second call while the first runs waits for the same one. */
const starting = new WeakMap<Node, Promise<Pid>>();

function start(node: Node): Promise<Pid> {
  const inFlight = starting.get(node);
  if (inFlight !== undefined) return inFlight;
  const p = startServer(node).finally(() => starting.delete(node));
  starting.set(node, p);
  return p;
}

async function startServer(node: Node): Promise<Pid> {
  const running = node.whereis(kServerName);
  if (running !== undefined) return running;
  if (embeddingOwner !== null && embeddingOwner !== node && embeddingOwner.running) {
    throw new GlobalThreadInUseError(embeddingOwner.name);
  }
  const pid = (await GenServer.start(node, GlobalNameServer, [], { name: kServerName }))!;
  const epoch = pid.toString();
  embeddingOwner = node;
  threadReplica.follow(epoch);
  let listener: ((m: unknown) => void) | null = null;
  if (node.schedulers > 0) {
    listener = (m: unknown) => {
      if (!isReplicaMessage(m)) return;
      const ack = applyReplicaMessage(m, node.pid);
      if (ack !== null && node.running) node.send(ack.to, ack.ack);
    };
    node.on('message', listener);
    node.send(pid, { type: '$global', op: 'subscribe', pid: node.pid } satisfies ServerInfo);
  }
  await node.applyOnSchedulers(kStartThreadReplica, [pid]);
  node.onStop(async () => {
    try {
      // Bounded, as Sys.terminate is: node.stop() must end even if the server cannot.
      await GenServer.stop(node, pid, 'normal', 60_000);
    } catch {
      // already gone, or it did not stop in time
    }
    if (listener !== null) node.off('message', listener);
    threadReplica.drop(epoch);
    if (embeddingOwner === node) embeddingOwner = null;
  });
  return pid;
}

function checkName(api: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) throw new BadArgError(`${api}: name must be a non-empty string`);
  return name;
}

function requireServer(api: string, via: Via): void {
  const found = via.whereis(kServerName);
  if (found === undefined) throw new GlobalNotStartedError(api);
}

function writeThrough(a: TxnAnswer, name: string, pid: Pid | null): void {
  if (a.seq >= 0) threadReplica.change(a.epoch, a.seq, name, pid, false);
}

function txnFrom(ctx: Context, api: string, msg: ServerCall, name: string, pid: Pid | null): CallGen<TxnAnswer> {
  return transactionFromActor(ctx, api, msg, name, pid, threadReplica);
}

async function txnOn(node: Node, api: string, msg: ServerCall, name: string, pid: Pid | null): Promise<TxnAnswer> {
  requireServer(api, node);
  const a = await node.call<TxnAnswer>(kServerName, msg, Infinity);
  if (a.result !== 'no') writeThrough(a, name, pid);
  return a;
}

function register<V extends Via>(via: V, name: string, pid: Pid, resolve?: ResolveMethod): CallOut<V, 'yes' | 'no'> {
  return registerAs(via, 'Global.register', name, pid, resolve, false);
}

/** Move `name` to `pid` whoever holds it (Erlang's re_register_name): always 'yes'. */
function reRegister<V extends Via>(via: V, name: string, pid: Pid, resolve?: ResolveMethod): CallOut<V, 'yes'> {
  return registerAs(via, 'Global.reRegister', name, pid, resolve, true) as CallOut<V, 'yes'>;
}

function registerAs<V extends Via>(via: V, api: string, name: string, pid: Pid, resolve: ResolveMethod | undefined, force: boolean): CallOut<V, 'yes' | 'no'> {
  let msg: ServerCall;
  try {
    checkName(api, name);
    if (!(pid instanceof Pid)) throw new BadArgError(`${api}: pid must be a Pid`);
    msg = { op: 'register', name, pid, method: checkResolveMethod(api, resolve), force };
  } catch (e) {
    if (via instanceof Context) throw e;
    return Promise.reject(e) as CallOut<V, 'yes' | 'no'>;
  }
  if (via instanceof Context) {
    return (function* () {
      return (yield* txnFrom(via, api, msg, name, pid)).result as 'yes' | 'no';
    })() as CallOut<V, 'yes' | 'no'>;
  }
  return (async () => (await txnOn(via as Node, api, msg, name, pid)).result as 'yes' | 'no')() as CallOut<V, 'yes' | 'no'>;
}

function unregister<V extends Via>(via: V, name: string): CallOut<V, 'ok'> {
  const api = 'Global.unregister';
  try {
    checkName(api, name);
  } catch (e) {
    if (via instanceof Context) throw e;
    return Promise.reject(e) as CallOut<V, 'ok'>;
  }
  const msg: ServerCall = { op: 'unregister', name };
  if (via instanceof Context) {
    return (function* () {
      yield* txnFrom(via, api, msg, name, null);
      return 'ok' as const;
    })() as CallOut<V, 'ok'>;
  }
  return (async () => {
    await txnOn(via as Node, api, msg, name, null);
    return 'ok' as const;
  })() as CallOut<V, 'ok'>;
}

function requireReplica(api: string): void {
  if (threadReplica.serverEpoch === null) throw new GlobalNotStartedError(api);
}

/** The owner of `name` as this thread's replica knows it (Erlang's whereis_name; undefined for `undefined`). */
function whereis(_via: Via, name: string): Pid | undefined {
  checkName('Global.whereis', name);
  requireReplica('Global.whereis');
  return threadReplica.whereis(name);
}

/** Send `msg` to the owner of `name`; returns its pid. @throws GlobalNotRegisteredError */
function send(via: Via, name: string, msg: unknown): Pid {
  checkName('Global.send', name);
  requireReplica('Global.send');
  const pid = threadReplica.whereis(name);
  if (pid === undefined) throw new GlobalNotRegisteredError(name);
  via.send(pid, msg);
  return pid;
}

/** Every registered name, sorted (Erlang's registered_names). */
function registered(_via: Via): string[] {
  requireReplica('Global.registered');
  return threadReplica.names();
}

/** Wait until every connected node is synced and every replica of this node caught up (Erlang's global:sync). */
function sync<V extends Via>(via: V, timeoutMs = 10_000): CallOut<V, 'ok'> {
  if (via instanceof Context) {
    return (function* () {
      requireServer('Global.sync', via);
      return yield* callProcess<'ok'>(via, kServerName, { op: 'sync' } satisfies ServerCall, timeoutMs);
    })() as CallOut<V, 'ok'>;
  }
  const node = via as Node;
  try {
    requireServer('Global.sync', node);
  } catch (e) {
    return Promise.reject(e) as CallOut<V, 'ok'>;
  }
  return node.call<'ok'>(kServerName, { op: 'sync' } satisfies ServerCall, timeoutMs) as CallOut<V, 'ok'>;
}

export interface RegisterSelfOptions {
  /** How a clash at a merge is resolved (default 'random_exit'). */
  readonly resolve?: ResolveMethod;
  /** When the name is already taken: 'exit' (default) ends the caller with `{ kind: 'global_name_taken', name, owner }`; 'message' sends it `{ type: 'global_name_taken', name, owner }`. */
  readonly onTaken?: 'exit' | 'message';
}

/**
 * Register the running actor under `name` without waiting (usable in a GenServer's `init`,
 * which cannot wait): the node's registrar runs the usual transaction; if the name is
 * taken the actor exits (or is told, see `onTaken`). A supervised child that calls it in
 * init takes the name at each (re)start: the old child's name went with its death.
 * Until the transaction ends (a round trip to every synced node) the name is not yet
 * resolvable.
 */
function registerSelf(ctx: Context, name: string, opts?: RegisterSelfOptions): void {
  const api = 'Global.registerSelf';
  checkName(api, name);
  checkOptions(api, {
    resolve: (v) => {
      try {
        checkResolveMethod(api, v);
        return null;
      } catch {
        return "must be 'random_exit', 'notify_all' or { module, export }";
      }
    },
    onTaken: (v) => (v === 'exit' || v === 'message' ? null : "must be 'exit' or 'message'"),
  }, opts);
  requireServer(api, ctx);
  const m: ServerInfo = {
    type: '$global',
    op: 'register_self',
    name,
    pid: ctx.self,
    method: checkResolveMethod(api, opts?.resolve),
    onTaken: opts?.onTaken ?? 'exit',
  };
  ctx.send(kServerName, m);
}


export const Global = { start, register, reRegister, unregister, whereis, send, registered, sync, registerSelf };
