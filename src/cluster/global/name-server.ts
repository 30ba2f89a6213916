/**
 * The global name server: one per node, a GenServer registered locally as
 * 'global_name_server' (Erlang's global_name_server). It holds this node's copy of the
 * cluster's name table (name-table.ts) and its part of the cluster lock (lock-table.ts),
 * hands transactions to its registrar (registrar.ts), and keeps the node's thread replicas
 * (replica-actor.ts, thread-replica.ts) up to date. It never waits for anyone.
 *
 * Protocol:
 *   1. init: spawn-link the registrar; on a named node subscribe to node events
 *      (ctx.monitorNodes) and treat every node already connected as a nodeup.
 *   2. nodeup(N): the node whose name sorts first drives the merge: if this node's name is
 *      smaller, queue `sync N` for the registrar; else send N's server `hello` (which makes
 *      N queue it: this covers a server started after the nodeup).
 *   3. register / unregister calls: handed to the registrar with the caller's `from`; the
 *      registrar answers the caller itself. `registerSelf` (a message) the same way.
 *   4. Transaction steps from any node's registrar: set_lock (answering the owners of the
 *      names asked), del_lock, apply,
 *      table, install (see registrar.ts for the order they come in).
 *   5. An owner's DOWN (it died, or 'noconnection') or nodedown(N): its names are removed;
 *      nodedown also forgets N as synced. A lock holder's DOWN frees its locks.
 *   6. Every table change goes to every replica subscriber as `change` (seq-numbered);
 *      a new subscriber first gets a `snapshot`.
 *   7. `sync` calls (Global.sync) are answered once every connected node is synced and
 *      every replica subscriber acknowledged a barrier sent after that point, so the
 *      caller's threads all see the table as this server has it.
 *   8. terminate: the registrar is killed; the replicas see this server's DOWN.
 *
 * What is lost when: names live only in the servers' tables. A node that stops or dies
 * takes its names with it (every other server removes them at nodedown); a server that
 * crashes loses its node's copy (the registrar dies with it), and other nodes keep theirs.
 */
import type { From } from '../../core/call-protocol.ts';
import type { Context } from '../../core/context.ts';
import { kNoNodeName } from '../../core/node-table.ts';
import type { Pid, Ref } from '../../core/pid.ts';
import { isDownMessage } from '../../core/reason.ts';
import { defineGenServer } from '../../otp/gen-server.ts';
import type { LockAnswer } from './cluster-lock.ts';
import { LockTable } from './lock-table.ts';
import { NameTable } from './name-table.ts';
import { kServerName, type NameChange, type NameRow, type RegistrarJob, type ReplicaMessage, type ServerCall, type ServerInfo, type TableAnswer } from './protocol.ts';
import { GlobalRegistrar } from './registrar.ts';

/** A failed sync is tried again after this long while the peer stays connected. */
const kSyncRetryMs = 200;

interface Subscriber {
  readonly pid: Pid;
  readonly ref: Ref;
}

interface Barrier {
  readonly froms: From[];
  readonly waiting: Set<string>;
}

class ServerState {
  readonly table = new NameTable();
  readonly locks = new LockTable();
  readonly known = new Set<string>();
  readonly subscribers = new Map<string, Subscriber>();
  readonly subRefs = new Map<string, string>();
  readonly syncQueued = new Set<string>();
  readonly syncWaiters: From[] = [];
  readonly barriers = new Map<string, Barrier>();
  constructor(
    readonly node: string,
    readonly epoch: string,
    readonly distributed: boolean,
    readonly registrar: Pid,
  ) {}
}

type NodeEventMessage = { readonly type: 'nodeup' | 'nodedown'; readonly node: string };

function isNodeEvent(m: unknown): m is NodeEventMessage {
  const t = (m as { type?: unknown } | null)?.type;
  return (t === 'nodeup' || t === 'nodedown') && typeof (m as { node?: unknown }).node === 'string';
}

function isServerInfo(m: unknown): m is ServerInfo {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$global';
}

export const GlobalNameServer = defineGenServer<ServerState, ServerCall, never, unknown, []>(
  import.meta.url,
  {
    init(ctx) {
      const registrar = ctx.spawnLink(GlobalRegistrar, [ctx.self]);
      const distributed = ctx.nodeName !== kNoNodeName;
      const st = new ServerState(ctx.nodeName, ctx.self.toString(), distributed, registrar);
      if (distributed) {
        ctx.monitorNodes(true);
        for (const n of ctx.nodes()) nodeUp(st, n, ctx);
      }
      return { ok: st };
    },

    handleCall(msg, from, st, ctx) {
      switch (msg.op) {
        case 'register':
          toRegistrar(st, ctx, { job: 'register', name: msg.name, pid: msg.pid, method: msg.method, force: msg.force, replyTo: { kind: 'call', from } });
          return { noreply: true, state: st };
        case 'unregister':
          toRegistrar(st, ctx, { job: 'unregister', name: msg.name, replyTo: { kind: 'call', from } });
          return { noreply: true, state: st };
        case 'known':
          return { reply: [...st.known], state: st };
        case 'set_lock': {
          const granted = st.locks.set(ctx, msg.resource, msg.holder);
          const owners = granted ? msg.names.map((n) => st.table.get(n)?.pid ?? null) : [];
          return { reply: { granted, owners } satisfies LockAnswer, state: st };
        }
        case 'apply':
          return { reply: msg.changes.map((c) => applyChange(st, ctx, c)), state: st };
        case 'table':
          return { reply: { rows: st.table.rows(), known: [...st.known] } satisfies TableAnswer, state: st };
        case 'install':
          install(st, ctx, msg.rows, msg.nodes);
          return { reply: st.table.seq, state: st };
        case 'sync':
          st.syncWaiters.push(from);
          checkSyncWaiters(st, ctx);
          return { noreply: true, state: st };
        default:
          // Not a request of this protocol (another version, or a stray call): answered,
          // never a crash that would lose this node's copy of the names.
          return { reply: { error: 'unknown global_name_server request' }, state: st };
      }
    },

    handleInfo(msg, st, ctx) {
      if (isServerInfo(msg)) onInfo(st, ctx, msg);
      else if (isNodeEvent(msg)) {
        if (msg.type === 'nodeup') nodeUp(st, msg.node, ctx);
        else nodeDown(st, msg.node, ctx);
      } else if (isDownMessage(msg)) onDown(st, ctx, msg.ref);
      return { noreply: true, state: st };
    },

    terminate(_reason, st, ctx) {
      ctx.exit(st.registrar, 'kill');
    },
  },
  'GlobalNameServer',
);

/** One change of a transaction; answers its seq (the current one if nothing changed). */
function applyChange(st: ServerState, ctx: Context, c: NameChange): number {
  if (c.pid === null) {
    const seq = st.table.delete(ctx, c.name);
    if (seq < 0) return st.table.seq;
    broadcast(st, ctx, c.name, null, seq);
    return seq;
  }
  const before = st.table.get(c.name);
  const seq = st.table.set(ctx, c.name, c.pid, c.method);
  if (before === undefined || !before.pid.equals(c.pid)) broadcast(st, ctx, c.name, c.pid, seq);
  return seq;
}

function toRegistrar(st: ServerState, ctx: Context, job: RegistrarJob): void {
  ctx.send(st.registrar, job);
}

function nodeUp(st: ServerState, node: string, ctx: Context): void {
  if (st.node < node) queueSync(st, node, ctx);
  else ctx.send({ name: kServerName, node }, { type: '$global', op: 'hello', node: st.node } satisfies ServerInfo);
}

function queueSync(st: ServerState, node: string, ctx: Context): void {
  if (st.syncQueued.has(node)) return;
  st.syncQueued.add(node);
  toRegistrar(st, ctx, { job: 'sync', node });
}

function nodeDown(st: ServerState, node: string, ctx: Context): void {
  st.known.delete(node);
  for (const name of st.table.removeNode(ctx, node)) broadcast(st, ctx, name, null, st.table.nextSeq());
  checkSyncWaiters(st, ctx);
}

function onInfo(st: ServerState, ctx: Context, m: ServerInfo): void {
  switch (m.op) {
    case 'del_lock':
      st.locks.release(ctx, m.resource, m.holder);
      return;
    case 'hello':
      if (st.node < m.node || m.drive === true) queueSync(st, m.node, ctx);
      return;
    case 'sync_done':
      st.syncQueued.delete(m.node);
      if (m.outcome === 'failed' && ctx.nodes().includes(m.node)) {
        ctx.sendAfter(kSyncRetryMs, ctx.self, { type: '$global', op: 'retry_sync', node: m.node } satisfies ServerInfo);
      }
      checkSyncWaiters(st, ctx);
      return;
    case 'forget':
      st.known.delete(m.node);
      return;
    case 'retry_sync':
      if (ctx.nodes().includes(m.node)) queueSync(st, m.node, ctx);
      return;
    case 'subscribe':
      subscribe(st, ctx, m.pid);
      return;
    case 'barrier_ack': {
      const b = st.barriers.get(m.ref.toString());
      if (b === undefined) return;
      b.waiting.delete(m.pid.toString());
      finishBarrier(st, ctx, m.ref.toString(), b);
      return;
    }
    case 'register_self':
      toRegistrar(st, ctx, { job: 'register', name: m.name, pid: m.pid, method: m.method, force: false, replyTo: { kind: 'self', onTaken: m.onTaken } });
      return;
  }
}

function onDown(st: ServerState, ctx: Context, ref: Ref): void {
  if (st.table.ownsRef(ref)) {
    for (const name of st.table.ownerDown(ref)) broadcast(st, ctx, name, null, st.table.nextSeq());
    return;
  }
  if (st.locks.holderDown(ref)) return;
  const key = st.subRefs.get(ref.toString());
  if (key === undefined) return;
  st.subRefs.delete(ref.toString());
  st.subscribers.delete(key);
  for (const [k, b] of st.barriers) {
    b.waiting.delete(key);
    finishBarrier(st, ctx, k, b);
  }
}

function subscribe(st: ServerState, ctx: Context, pid: Pid): void {
  const key = pid.toString();
  if (!st.subscribers.has(key)) {
    const ref = ctx.monitor(pid);
    st.subscribers.set(key, { pid, ref });
    st.subRefs.set(ref.toString(), key);
  }
  const snap: ReplicaMessage = { type: '$global_replica', kind: 'snapshot', epoch: st.epoch, seq: st.table.seq, rows: st.table.seqRows() };
  ctx.send(pid, snap);
}

function broadcast(st: ServerState, ctx: Context, name: string, pid: Pid | null, seq: number): void {
  const m: ReplicaMessage = { type: '$global_replica', kind: 'change', epoch: st.epoch, seq, name, pid };
  for (const s of st.subscribers.values()) ctx.send(s.pid, m);
}

/** A merge's result: this table becomes `rows` exactly; `nodes` are synced with. */
function install(st: ServerState, ctx: Context, rows: readonly NameRow[], nodes: readonly string[]): void {
  const keep = new Set<string>();
  for (const [name, pid, method] of rows) {
    keep.add(name);
    const before = st.table.get(name);
    const seq = st.table.set(ctx, name, pid, method);
    if (before === undefined || !before.pid.equals(pid)) broadcast(st, ctx, name, pid, seq);
  }
  for (const name of st.table.allNames()) {
    if (keep.has(name)) continue;
    const seq = st.table.delete(ctx, name);
    if (seq >= 0) broadcast(st, ctx, name, null, seq);
  }
  for (const n of nodes) if (n !== st.node) st.known.add(n);
  checkSyncWaiters(st, ctx);
}

function checkSyncWaiters(st: ServerState, ctx: Context): void {
  if (st.syncWaiters.length === 0) return;
  if (st.distributed && ctx.nodes().some((n) => !st.known.has(n))) return;
  const froms = st.syncWaiters.splice(0);
  const ref = ctx.makeRef();
  const b: Barrier = { froms, waiting: new Set(st.subscribers.keys()) };
  st.barriers.set(ref.toString(), b);
  const m: ReplicaMessage = { type: '$global_replica', kind: 'barrier', epoch: st.epoch, ref, server: ctx.self };
  for (const s of st.subscribers.values()) ctx.send(s.pid, m);
  finishBarrier(st, ctx, ref.toString(), b);
}

function finishBarrier(st: ServerState, ctx: Context, key: string, b: Barrier): void {
  if (b.waiting.size > 0) return;
  st.barriers.delete(key);
  for (const f of b.froms) ctx.reply(f, 'ok');
}
