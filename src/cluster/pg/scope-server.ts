/**
 * ScopeServer: the server of one pg scope on one node (Erlang's pg gen_server), a
 * module-defined GenServer registered locally as `pg:<scope>` (pg-protocol.ts), so it runs
 * on a LocalNode and on any scheduler of a ThreadedNode.
 *
 * State: the ScopeTable (every member the node knows, by group), the local joiners (each
 * monitored once, with the groups it joined, repeated per join), the remote peers (the
 * same scope's servers on other nodes: monitored, with the members each one told us), and
 * the subscriptions (monitor / monitorScope).
 *
 * Protocol, as Erlang's pg (message shapes in pg-protocol.ts):
 *   1. init: publish the table for readers on this scheduler, subscribe to nodeup/nodedown
 *      (ctx.monitorNodes; a node without a name runs the scope locally only), and send
 *      `discover` to the scope's server on every node connected now.
 *   2. discover from peer P: answer P with `sync` (all our local members); if P is new,
 *      monitor it, remember it, and send it our own `discover` (so it syncs to us too).
 *   3. sync from P: P's members are replaced by the list (the difference is applied to the
 *      table and notified as join/leave events); an unknown P is monitored and remembered.
 *   4. join/leave call (local pids only): update the joiners and the table, notify
 *      subscribers, broadcast join/leave to every known peer, then reply.
 *   5. DOWN of a local joiner: it leaves every group it was in (once per join), notified
 *      and broadcast as one leave.
 *   6. DOWN of a peer (its node went down: 'noconnection', or its scope server stopped) or
 *      `nodedown` of its node (whichever comes first): all its members are dropped and
 *      notified as leaves. A stale DOWN (monitor ref of an earlier life) is ignored.
 *   7. nodeup N: send `discover` to N's server of the scope (if it runs there, step 2
 *      follows on both sides).
 *   8. join/leave from an unknown peer: ignored (a late message from a node that went
 *      down; its next sync brings the truth).
 *
 * Consistency: eventually consistent, as pg. A node's own joins/leaves are visible on it as
 * soon as the call returns; elsewhere when the broadcast arrives. Two nodes that join
 * concurrently may be seen in different orders by a third. No cluster lock.
 */
import type { From } from '../../core/call-protocol.ts';
import type { Context } from '../../core/context.ts';
import { NotDistributedError } from '../../core/errors.ts';
import { nodeOf } from '../../core/node-table.ts';
import type { Pid, Ref } from '../../core/pid.ts';
import { isDownMessage } from '../../core/reason.ts';
import { defineGenServer, type CallResult, type NoReplyResult } from '../../otp/gen-server.ts';
import {
  isPeerMsg, serverName, type DiscoverMsg, type JoinMsg, type LeaveMsg, type PeerMsg, type PgRequest, type SyncMsg,
} from './pg-protocol.ts';
import { publishTable, ScopeTable, withdrawTable, withoutOnce } from './scope-table.ts';
import { Subscriptions } from './subscriptions.ts';

/** A local process that joined at least one group: monitored once. */
interface Joiner {
  readonly pid: Pid;
  readonly ref: Ref;
  /** The groups joined, one entry per join (a pid that joined g twice has g twice). */
  readonly groups: string[];
}

/** The same scope's server on another node, and the members it told us about. */
interface Peer {
  readonly pid: Pid;
  readonly ref: Ref;
  readonly node: string;
  groups: Map<string, Pid[]>;
}

export interface ScopeState {
  readonly scope: string;
  readonly table: ScopeTable;
  readonly joiners: Map<string, Joiner>;
  readonly peers: Map<string, Peer>;
  readonly subs: Subscriptions;
}

const key = (x: Pid | Ref): string => x.toString();

function nodeNameOf(pid: Pid): string {
  return nodeOf(pid)?.name ?? '?';
}

// --- local membership (steps 4, 5) -------------------------------------------------

function joinLocal(st: ScopeState, ctx: Context, group: string, pids: readonly Pid[]): void {
  for (const pid of pids) {
    const k = key(pid);
    let j = st.joiners.get(k);
    if (j === undefined) {
      j = { pid, ref: ctx.monitor(pid), groups: [] };
      st.joiners.set(k, j);
    }
    j.groups.push(group);
  }
  st.table.add(group, pids, true);
  st.subs.notify(ctx, 'join', group, pids);
  broadcast(st, ctx, { type: '$pg.join', peer: ctx.self, group, pids });
}

/** The pids (of `pids`) that were in `group`, one occurrence each removed; [] if none. */
function leaveLocal(st: ScopeState, ctx: Context, group: string, pids: readonly Pid[]): Pid[] {
  const left: Pid[] = [];
  for (const pid of pids) {
    const j = st.joiners.get(key(pid));
    if (j === undefined) continue;
    const i = j.groups.indexOf(group);
    if (i < 0) continue;
    j.groups.splice(i, 1);
    left.push(j.pid);
    if (j.groups.length === 0) {
      ctx.demonitor(j.ref, { flush: true });
      st.joiners.delete(key(pid));
    }
  }
  if (left.length === 0) return left;
  st.table.remove(group, left, true);
  st.subs.notify(ctx, 'leave', group, left);
  broadcast(st, ctx, { type: '$pg.leave', peer: ctx.self, pids: left, groups: [group] });
  return left;
}

function joinerDown(st: ScopeState, ctx: Context, j: Joiner): void {
  st.joiners.delete(key(j.pid));
  const counts = new Map<string, number>();
  for (const g of j.groups) counts.set(g, (counts.get(g) ?? 0) + 1);
  for (const [g, n] of counts) {
    const pids = new Array<Pid>(n).fill(j.pid);
    st.table.remove(g, pids, true);
    st.subs.notify(ctx, 'leave', g, pids);
  }
  broadcast(st, ctx, { type: '$pg.leave', peer: ctx.self, pids: [j.pid], groups: j.groups.slice() });
}

/** Every local member by group (with repetitions): what a sync carries. */
function localGroups(st: ScopeState): Array<[string, Pid[]]> {
  const by = new Map<string, Pid[]>();
  for (const j of st.joiners.values()) {
    for (const g of j.groups) {
      let l = by.get(g);
      if (l === undefined) by.set(g, (l = []));
      l.push(j.pid);
    }
  }
  return [...by];
}

function broadcast(st: ScopeState, ctx: Context, msg: JoinMsg | LeaveMsg): void {
  for (const p of st.peers.values()) ctx.send(p.pid, msg);
}

// --- peers (steps 2, 3, 6, 7, 8) -----------------------------------------------------

function addPeer(st: ScopeState, ctx: Context, pid: Pid): Peer {
  const p: Peer = { pid, ref: ctx.monitor(pid), node: nodeNameOf(pid), groups: new Map() };
  st.peers.set(key(pid), p);
  return p;
}

function dropPeer(st: ScopeState, ctx: Context, p: Peer): void {
  st.peers.delete(key(p.pid));
  ctx.demonitor(p.ref, { flush: true });
  for (const [g, pids] of p.groups) {
    st.table.remove(g, pids, false);
    st.subs.notify(ctx, 'leave', g, pids);
  }
}

function onDiscover(st: ScopeState, ctx: Context, m: DiscoverMsg): void {
  if (m.peer.node === 0) return; // only servers of other nodes are peers
  const sync: SyncMsg = { type: '$pg.sync', peer: ctx.self, groups: localGroups(st) };
  ctx.send(m.peer, sync);
  if (st.peers.has(key(m.peer))) return;
  addPeer(st, ctx, m.peer);
  const back: DiscoverMsg = { type: '$pg.discover', peer: ctx.self };
  ctx.send(m.peer, back);
}

function onSync(st: ScopeState, ctx: Context, m: SyncMsg): void {
  if (m.peer.node === 0) return;
  const p = st.peers.get(key(m.peer)) ?? addPeer(st, ctx, m.peer);
  const next = new Map<string, Pid[]>();
  for (const [g, pids] of m.groups) next.set(g, pids.slice());
  for (const [g, old] of p.groups) {
    const now = next.get(g) ?? [];
    const gone = withoutOnce(old, now);
    if (gone.length > 0) {
      st.table.remove(g, gone, false);
      st.subs.notify(ctx, 'leave', g, gone);
    }
  }
  for (const [g, now] of next) {
    const came = withoutOnce(now, p.groups.get(g) ?? []);
    if (came.length > 0) {
      st.table.add(g, came, false);
      st.subs.notify(ctx, 'join', g, came);
    }
  }
  p.groups = next;
}

function onRemoteJoin(st: ScopeState, ctx: Context, m: JoinMsg): void {
  const p = st.peers.get(key(m.peer));
  if (p === undefined) return;
  const l = p.groups.get(m.group);
  if (l === undefined) p.groups.set(m.group, m.pids.slice());
  else l.push(...m.pids);
  st.table.add(m.group, m.pids, false);
  st.subs.notify(ctx, 'join', m.group, m.pids);
}

function onRemoteLeave(st: ScopeState, ctx: Context, m: LeaveMsg): void {
  const p = st.peers.get(key(m.peer));
  if (p === undefined) return;
  for (const g of m.groups) {
    const l = p.groups.get(g);
    if (l === undefined) continue;
    const rest = withoutOnce(l, m.pids);
    if (rest.length === l.length) continue;
    const gone = withoutOnce(l, rest);
    if (rest.length === 0) p.groups.delete(g);
    else p.groups.set(g, rest);
    st.table.remove(g, gone, false);
    st.subs.notify(ctx, 'leave', g, gone);
  }
}

function onPeerMsg(st: ScopeState, ctx: Context, m: PeerMsg): void {
  switch (m.type) {
    case '$pg.discover': return onDiscover(st, ctx, m);
    case '$pg.sync': return onSync(st, ctx, m);
    case '$pg.join': return onRemoteJoin(st, ctx, m);
    case '$pg.leave': return onRemoteLeave(st, ctx, m);
  }
}

function onDown(st: ScopeState, ctx: Context, ref: Ref, pid: Pid): void {
  if (st.subs.remove(ref)) return;
  const k = key(pid);
  const j = st.joiners.get(k);
  if (j !== undefined && j.ref.equals(ref)) return joinerDown(st, ctx, j);
  const p = st.peers.get(k);
  if (p !== undefined && p.ref.equals(ref)) dropPeer(st, ctx, p);
  // else: a stale DOWN (demonitored, or of an earlier life of that peer)
}

// --- calls -------------------------------------------------------------------------

type Reply = CallResult<ScopeState, unknown>;

function handleCall(req: PgRequest, from: From, st: ScopeState, ctx: Context): Reply {
  const reply = (value: unknown): Reply => ({ reply: value, state: st });
  switch (req.op) {
    case 'join':
    case 'leave': {
      const bad = req.pids.find((p) => p.node !== 0);
      if (bad !== undefined) return reply({ notLocal: bad });
      if (req.op === 'join') {
        joinLocal(st, ctx, req.group, req.pids);
        return reply('ok');
      }
      return reply(leaveLocal(st, ctx, req.group, req.pids).length === 0 ? 'not_joined' : 'ok');
    }
    case 'members': return reply(st.table.members(req.group));
    case 'localMembers': return reply(st.table.localMembers(req.group));
    case 'whichGroups': return reply(st.table.whichGroups());
    case 'whichLocalGroups': return reply(st.table.whichLocalGroups());
    case 'monitor': {
      const ref = ctx.monitor(from.pid);
      st.subs.add(from.pid, ref, req.group);
      return reply({ ref, members: st.table.members(req.group) });
    }
    case 'monitorScope': {
      const ref = ctx.monitor(from.pid);
      st.subs.add(from.pid, ref, null);
      return reply({ ref, groups: st.table.snapshot() });
    }
    case 'demonitor': {
      if (!st.subs.remove(req.ref)) return reply(false);
      ctx.demonitor(req.ref, { flush: true });
      return reply(true);
    }
  }
}

// --- the behaviour -----------------------------------------------------------------

interface NodeEventMsg {
  readonly type: 'nodeup' | 'nodedown';
  readonly node: string;
}

function isNodeEvent(m: unknown): m is NodeEventMsg {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  return (t === 'nodeup' || t === 'nodedown') && typeof (m as { node?: unknown }).node === 'string';
}

function handleInfo(msg: unknown, st: ScopeState, ctx: Context): NoReplyResult<ScopeState> {
  if (isPeerMsg(msg)) onPeerMsg(st, ctx, msg);
  else if (isDownMessage(msg)) onDown(st, ctx, msg.ref, msg.pid);
  else if (isNodeEvent(msg)) {
    if (msg.type === 'nodeup') {
      const d: DiscoverMsg = { type: '$pg.discover', peer: ctx.self };
      ctx.send({ name: serverName(st.scope), node: msg.node }, d);
    } else {
      for (const p of [...st.peers.values()]) if (p.node === msg.node) dropPeer(st, ctx, p);
    }
  }
  return { noreply: true, state: st };
}

export const ScopeServer = defineGenServer<ScopeState, PgRequest, never, unknown, [string]>(import.meta.url, {
  init(ctx, scope) {
    const table = new ScopeTable(ctx.self);
    publishTable(ctx, scope, table);
    const st: ScopeState = { scope, table, joiners: new Map(), peers: new Map(), subs: new Subscriptions() };
    let distributed = true;
    try {
      ctx.monitorNodes(true);
    } catch (e) {
      if (!(e instanceof NotDistributedError)) throw e;
      distributed = false;
    }
    if (distributed) {
      const d: DiscoverMsg = { type: '$pg.discover', peer: ctx.self };
      for (const n of ctx.nodes()) ctx.send({ name: serverName(scope), node: n }, d);
    }
    return { ok: st };
  },
  handleCall,
  handleInfo,
  terminate(_reason, st, ctx) {
    withdrawTable(ctx, st.scope, st.table);
  },
  formatStatus(st) {
    return { scope: st.scope, groups: st.table.whichGroups().length, joiners: st.joiners.size, peers: [...st.peers.values()].map((p) => p.node), subscriptions: st.subs.size };
  },
}, 'ScopeServer');
