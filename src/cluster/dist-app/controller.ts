/**
 * DistAppController: a node's distributed-application controller (Erlang's dist_ac), a
 * module-defined GenServer registered as 'dist_ac' on every node that runs
 * `DistApp.start(node)`. It keeps one AppView per distributed application (app-view.ts),
 * talks to the controllers of the other nodes with plain sends to { name: 'dist_ac', node }
 * (protocol.ts), watches nodes with ctx.monitorNodes, and orders its node's embedding
 * thread to run or stop the local instance (application.ts runHere / stopHere), since the
 * definitions and start phases live there.
 *
 * Protocol, per application:
 *   1. Declare (Application.start here): the view takes the node list, `declared` and
 *      `joining` are set, and the start-time sync begins: every node of the list and every
 *      connected node is sent our state with ask: true, and its controller is monitored
 *      by name ({ name: 'dist_ac', node }), so a node without a controller answers at once
 *      with DOWN 'noproc' and one that cannot be reached with DOWN 'noconnection'.
 *      The sync waits until (a) every asked node answered or was found absent — at most the
 *      discovery timeout — and (b) every sync node (mandatory + optional) declared, or
 *      syncNodesTimeoutMs passed. Then a mandatory node that has not declared fails the
 *      start (SyncNodesError), a peer with another node list fails it
 *      (DistAppMismatchError); otherwise the decisions run (step 6).
 *   2. A peer's state: recorded in `peers`; a peer that runs it becomes `runningAt` (and
 *      ends any failover wait); a peer that stopped its instance (withdrew, or lost a race)
 *      is no longer `runningAt` — nothing waits for a timeout then. ask: true is answered.
 *   3. Nodedown (monitorNodes): the node's peer view goes; if it
 *      ran the application, `failoverFrom` is set and a failover timer of
 *      failoverTimeoutMs starts; only when it fires may a node start it ({ failover }).
 *      Nodeup: our state (ask: true) for every application goes to that node.
 *   4. Run here: local = 'starting', the state is broadcast (peers wait for the outcome),
 *      the order goes to the embedding thread. Done ok: local = 'running', runningAt =
 *      this node, broadcast (a node whose instance this one took over stops it on
 *      receipt: decision 4). Done with an error: a takeover leaves the old instance
 *      running; any other start withdraws this node (the next candidate starts it).
 *   5. Stop here (taken over, lost a race, withdrawn): local = 'stopping', order; when
 *      done, local = 'none', runningAt = a peer that runs it (or null), broadcast.
 *      The instance's top process is monitored while it runs: if it dies on its own (a
 *      crash past its supervisor's intensity, an exit from outside), this node withdraws
 *      (no automatic restart here: it failed here) and broadcasts failed: true, and the
 *      other nodes fail the application over as at a nodedown (step 3).
 *   6. After every change: decision 4 (yield), 3 (takeover by a joining node), 2 (start);
 *      then Application.start's caller is answered once the application is placed
 *      (AppView.settled).
 *   7. Withdraw (Application.stop, node.stop): declared = false, broadcast; an instance
 *      here is stopped first (the caller is answered when it is gone); the peers then
 *      start it at once, with start type 'normal' (a stop is not a failure).
 *   8. Takeover by hand: the application must run on another node; it is started here with
 *      { takeover: thatNode } and the caller answered when it runs here (step 4 stops the
 *      old one). No node takes it back by priority later (only a joining node does).
 *
 * Calls (protocol.ts ControllerCall) are answered with { ok } or { error } (dist-app.ts
 * throws the error). Timers are sendAfter messages carrying a token, so a stale one is
 * ignored.
 */
import type { From } from '../../core/call-protocol.ts';
import type { Context } from '../../core/context.ts';
import type { Pid, Ref } from '../../core/pid.ts';
import type { DistributedStartOptions, StartType } from '../../otp/application.ts';
import { defineGenServer } from '../../otp/gen-server.ts';
import { AppView } from './app-view.ts';
import { AlreadyRunningHereError, DistAppMismatchError, DistAppStoppedError, NotRunningDistributedError, SyncNodesError, UnknownDistributedAppError } from './errors.ts';
import { PriorityList } from './priority-list.ts';
import {
  isDone, isPeerState, kControllerName,
  type ControllerAnswer, type ControllerCall, type DistAppInfo, type DoneMsg, type OrderMsg, type PeerStateMsg,
} from './protocol.ts';

export interface ControllerOptions {
  /** How long the start-time sync waits for an asked node that neither answers nor goes down. */
  readonly discoveryTimeoutMs: number;
}

interface ControllerState {
  readonly self: string;
  readonly gateway: Pid;
  readonly opts: ControllerOptions;
  readonly apps: Map<string, AppView>;
  seq: number;
  readonly orders: Map<number, { readonly app: string; readonly op: 'run' | 'stop' }>;
  syncToken: number;
}

interface TimerMsg {
  readonly type: '$dist_ac_timer';
  readonly app: string;
  readonly kind: 'discovery' | 'sync' | 'failover';
  readonly token: number;
}

type NodeMsg = { readonly type: 'nodeup' | 'nodedown'; readonly node: string };

export const DistAppController = defineGenServer<ControllerState, ControllerCall, never, ControllerAnswer, [Pid, ControllerOptions]>(import.meta.url, {
  init(ctx, gateway, opts) {
    ctx.monitorNodes(true);
    return { ok: { self: ctx.nodeName, gateway, opts, apps: new Map(), seq: 0, orders: new Map(), syncToken: 0 } };
  },

  handleCall(call, from, st, ctx) {
    const answer = handleCall(ctx, st, call, from);
    return answer === null ? { noreply: true, state: st } : { reply: answer, state: st };
  },

  handleInfo(msg, st, ctx) {
    if (isPeerState(msg)) onPeerState(ctx, st, msg);
    else if (isDone(msg)) onDone(ctx, st, msg);
    else if (isTimer(msg)) onTimer(ctx, st, msg);
    else if (isDown(msg)) onDown(ctx, st, msg.ref);
    else if (isNodeMsg(msg)) {
      if (msg.type === 'nodedown') onNodeDown(ctx, st, msg.node);
      else for (const v of st.apps.values()) if (v.declared) sendState(ctx, st, v, msg.node, true);
    }
    return { noreply: true, state: st };
  },
}, 'DistAppController');

// -----------------------------------------------------------------------------------
// Calls
// -----------------------------------------------------------------------------------

function handleCall(ctx: Context, st: ControllerState, call: ControllerCall, from: From): ControllerAnswer | null {
  if (call.op === 'declare') return declare(ctx, st, call.app, call.nodes, call.failoverTimeoutMs, call.sync, from);
  const v = st.apps.get(call.app);
  if (v === undefined || v.list === null) return { error: new UnknownDistributedAppError(call.app) };
  switch (call.op) {
    case 'where':
      return { ok: v.runningAt };
    case 'info':
      return { ok: info(st, v) };
    case 'withdraw':
      return withdraw(ctx, st, v, from);
    case 'takeover':
      if (!v.declared) return { error: new UnknownDistributedAppError(call.app) };
      if (v.local === 'running' || v.local === 'starting') return { error: new AlreadyRunningHereError(v.name) };
      if (v.sync !== null || v.runningAt === null || v.runningAt === st.self) return { error: new NotRunningDistributedError(v.name) };
      v.joining = false;
      v.waiters.takeover.push(from);
      runHere(ctx, st, v, { takeover: v.runningAt });
      return null;
  }
}

/** Step 1. */
function declare(ctx: Context, st: ControllerState, app: string, nodes: readonly (string | readonly string[])[], failoverTimeoutMs: number, sync: DistributedStartOptions, from: From): ControllerAnswer | null {
  let v = st.apps.get(app);
  if (v === undefined) st.apps.set(app, (v = new AppView(app)));
  if (v.declared) return { ok: v.runningAt };
  const list = PriorityList.from(nodes);
  v.list = list;
  v.failoverTimeoutMs = failoverTimeoutMs;
  for (const p of v.peers.values()) p.mismatch = p.key !== null && p.key !== list.key();
  v.declared = true;
  v.joining = true;
  v.waiters.declare.push(from);
  const connected = new Set(ctx.nodes());
  const asked = new Set([...list.all(), ...connected]);
  asked.delete(st.self);
  const syncNodes = [...sync.syncNodesMandatory, ...sync.syncNodesOptional].filter((n) => n !== st.self);
  const token = ++st.syncToken;
  v.sync = {
    unanswered: new Set(asked),
    undeclared: new Set(syncNodes.filter((n) => !(v.peers.get(n)?.declared ?? false))),
    mandatory: new Set(sync.syncNodesMandatory.filter((n) => n !== st.self)),
    timeoutMs: sync.syncNodesTimeoutMs,
    discoveryOver: false,
    syncOver: sync.syncNodesTimeoutMs === 0,
    monitored: new Map(),
    token,
  };
  for (const n of asked) {
    v.sync.monitored.set(n, ctx.monitor({ name: kControllerName, node: n }));
    sendState(ctx, st, v, n, true);
  }
  ctx.sendAfter(st.opts.discoveryTimeoutMs, ctx.self, timer(app, 'discovery', token));
  if (sync.syncNodesTimeoutMs > 0 && Number.isFinite(sync.syncNodesTimeoutMs)) ctx.sendAfter(sync.syncNodesTimeoutMs, ctx.self, timer(app, 'sync', token));
  checkSync(ctx, st, v);
  return null;
}

/** Step 7. */
function withdraw(ctx: Context, st: ControllerState, v: AppView, from: From): ControllerAnswer | null {
  if (!v.declared) return { ok: null };
  if (v.sync !== null) endSync(ctx, v);
  for (const f of v.waiters.declare.splice(0)) ctx.reply(f, { error: new DistAppStoppedError(v.name) });
  v.declared = false;
  v.joining = false;
  broadcast(ctx, st, v);
  if (v.local === 'none') {
    evaluate(ctx, st, v);
    return { ok: null };
  }
  v.waiters.withdraw.push(from);
  if (v.local === 'running') stopHere(ctx, st, v);
  return null; // 'starting': stopped when the start is done; 'stopping': answered when stopped
}

// -----------------------------------------------------------------------------------
// Sync (step 1)
// -----------------------------------------------------------------------------------

function checkSync(ctx: Context, st: ControllerState, v: AppView): void {
  const s = v.sync;
  if (s === null) return;
  if (s.unanswered.size > 0 && !s.discoveryOver) return;
  if (s.undeclared.size > 0 && !s.syncOver) return;
  const missing = [...s.mandatory].filter((n) => s.undeclared.has(n));
  endSync(ctx, v);
  if (missing.length > 0) failDeclare(ctx, st, v, new SyncNodesError(v.name, missing, s.timeoutMs));
  else evaluate(ctx, st, v);
}

function endSync(ctx: Context, v: AppView): void {
  for (const ref of v.sync!.monitored.values()) ctx.demonitor(ref, { flush: true });
  v.sync = null;
}

/** A sync's monitor of a peer controller fired: that node has none ('noproc') or cannot be reached. */
function onDown(ctx: Context, st: ControllerState, ref: Ref): void {
  for (const v of st.apps.values()) {
    if (v.topRef === ref) return onInstanceDied(ctx, st, v);
    const s = v.sync;
    if (s === null) continue;
    for (const [n, r] of s.monitored) {
      if (r !== ref) continue;
      s.monitored.delete(n);
      s.unanswered.delete(n);
      return checkSync(ctx, st, v);
    }
  }
}

function failDeclare(ctx: Context, st: ControllerState, v: AppView, error: Error): void {
  if (v.sync !== null) endSync(ctx, v);
  v.declared = false;
  v.joining = false;
  for (const f of v.waiters.declare.splice(0)) ctx.reply(f, { error });
  broadcast(ctx, st, v);
  evaluate(ctx, st, v);
}

// -----------------------------------------------------------------------------------
// Messages (steps 2, 3)
// -----------------------------------------------------------------------------------

function onPeerState(ctx: Context, st: ControllerState, m: PeerStateMsg): void {
  if (m.node === st.self) return;
  let v = st.apps.get(m.app);
  if (v === undefined) st.apps.set(m.app, (v = new AppView(m.app)));
  const peerList = m.ranks === null ? null : PriorityList.from(m.ranks);
  if (v.list === null && peerList !== null) v.list = peerList; // known here only through peers: followed, never run
  const key = peerList?.key() ?? null;
  const mismatch = key !== null && v.declared && v.list !== null && key !== v.list.key();
  v.peers.set(m.node, { declared: m.declared, local: m.local, startType: m.startType, gen: m.gen, mismatch, key });
  if (m.gen > v.maxGen) v.maxGen = m.gen;
  if (m.local === 'running') {
    if (v.local !== 'running') v.runningAt = m.node;
    endFailoverWait(ctx, v);
  } else if (v.runningAt === m.node) {
    const taker = m.runningAt;
    v.runningAt = null;
    if (m.failed) startFailoverWait(ctx, v, m.node);
    else if (taker !== null && taker !== st.self && taker !== m.node) {
      // It stopped because `taker` took over; we may not have heard from the taker yet.
      if (ctx.nodes().includes(taker)) v.runningAt = taker;
      else startFailoverWait(ctx, v, taker); // ... and the taker is down already
    } else if (m.failoverFrom !== null && m.failoverFrom !== st.self && v.failoverFrom === null) {
      startFailoverWait(ctx, v, m.failoverFrom); // the taker went down before we heard of it
    }
  }
  if (m.ask) sendState(ctx, st, v, m.node, false);
  const s = v.sync;
  if (s !== null) {
    s.unanswered.delete(m.node);
    const ref = s.monitored.get(m.node);
    if (ref !== undefined) {
      s.monitored.delete(m.node);
      ctx.demonitor(ref, { flush: true });
    }
    if (mismatch) return failDeclare(ctx, st, v, new DistAppMismatchError(v.name, m.node));
    if (m.declared) s.undeclared.delete(m.node);
    return checkSync(ctx, st, v);
  }
  evaluate(ctx, st, v);
}

function onNodeDown(ctx: Context, st: ControllerState, node: string): void {
  for (const v of st.apps.values()) {
    v.peers.delete(node);
    if (v.runningAt === node) {
      v.runningAt = null;
      startFailoverWait(ctx, v, node);
    }
    const s = v.sync;
    if (s !== null) {
      s.unanswered.delete(node); // its monitor's DOWN 'noconnection' comes too, and finds nothing to do
      checkSync(ctx, st, v);
    } else evaluate(ctx, st, v);
  }
}

function onTimer(ctx: Context, st: ControllerState, m: TimerMsg): void {
  const v = st.apps.get(m.app);
  if (v === undefined) return;
  if (m.kind === 'failover') {
    if (m.token !== v.failoverToken || v.failoverTimer === null) return;
    v.failoverTimer = null;
    return evaluate(ctx, st, v);
  }
  const s = v.sync;
  if (s === null || s.token !== m.token) return;
  if (m.kind === 'discovery') {
    s.discoveryOver = true;
  } else s.syncOver = true;
  checkSync(ctx, st, v);
}

function startFailoverWait(ctx: Context, v: AppView, from: string): void {
  v.failoverFrom = from;
  if (v.failoverTimer !== null) ctx.cancelTimer(v.failoverTimer);
  v.failoverTimer = v.failoverTimeoutMs > 0 ? ctx.sendAfter(v.failoverTimeoutMs, ctx.self, timer(v.name, 'failover', ++v.failoverToken)) : null;
}

function endFailoverWait(ctx: Context, v: AppView): void {
  v.failoverFrom = null;
  if (v.failoverTimer !== null) ctx.cancelTimer(v.failoverTimer);
  v.failoverTimer = null;
}

// -----------------------------------------------------------------------------------
// The local instance (steps 4, 5)
// -----------------------------------------------------------------------------------

function runHere(ctx: Context, st: ControllerState, v: AppView, startType: StartType): void {
  v.local = 'starting';
  v.localStartType = startType;
  v.localGen = ++v.maxGen;
  broadcast(ctx, st, v);
  order(ctx, st, { type: '$dist_app_order', app: v.name, seq: ++st.seq, op: 'run', startType });
}

function stopHere(ctx: Context, st: ControllerState, v: AppView): void {
  if (v.topRef !== null) ctx.demonitor(v.topRef, { flush: true });
  v.topRef = null;
  v.local = 'stopping';
  order(ctx, st, { type: '$dist_app_order', app: v.name, seq: ++st.seq, op: 'stop' });
}

function order(ctx: Context, st: ControllerState, o: OrderMsg): void {
  st.orders.set(o.seq, { app: o.app, op: o.op });
  ctx.send(st.gateway, o);
}

function onDone(ctx: Context, st: ControllerState, m: DoneMsg): void {
  const o = st.orders.get(m.seq);
  const v = o === undefined ? undefined : st.apps.get(o.app);
  if (o === undefined || v === undefined) return;
  st.orders.delete(m.seq);
  if (o.op === 'run') {
    if (m.ok) {
      v.local = 'running';
      v.runningAt = st.self;
      if (m.top !== undefined && m.top !== null) v.topRef = ctx.monitor(m.top);
      v.joining = false;
      endFailoverWait(ctx, v);
      for (const f of v.waiters.takeover.splice(0)) ctx.reply(f, { ok: st.self });
      broadcast(ctx, st, v);
      if (!v.declared) stopHere(ctx, st, v); // withdrawn while it was starting
    } else {
      const wasTakeover = v.localStartType !== null && typeof v.localStartType === 'object' && 'takeover' in v.localStartType;
      v.local = 'none';
      v.localStartType = null;
      for (const f of v.waiters.takeover.splice(0)) ctx.reply(f, { error: m.error });
      for (const f of v.waiters.withdraw.splice(0)) ctx.reply(f, { ok: null });
      if (wasTakeover) {
        v.joining = false;
        broadcast(ctx, st, v);
      } else if (v.declared) return failDeclare(ctx, st, v, m.error as Error);
      else broadcast(ctx, st, v);
    }
  } else {
    v.local = 'none';
    v.localStartType = null;
    if (v.runningAt === st.self) v.runningAt = runningPeer(v);
    broadcast(ctx, st, v);
    for (const f of v.waiters.withdraw.splice(0)) ctx.reply(f, { ok: null });
  }
  evaluate(ctx, st, v);
}

/** Step 5's crash case: the instance's top process died while it ran here. */
function onInstanceDied(ctx: Context, st: ControllerState, v: AppView): void {
  v.topRef = null;
  v.declared = false;
  v.joining = false;
  v.runningAt = runningPeer(v);
  // Tell the others first (they start the failover wait), then clean up the dead instance's record here.
  for (const n of ctx.nodes()) ctx.send({ name: kControllerName, node: n }, { ...stateOf(st, v, false), local: 'none', failed: true });
  stopHere(ctx, st, v);
}

function runningPeer(v: AppView): string | null {
  for (const [n, p] of v.peers) if (p.local === 'running') return n;
  return null;
}

// -----------------------------------------------------------------------------------
// Decisions (step 6)
// -----------------------------------------------------------------------------------

function evaluate(ctx: Context, st: ControllerState, v: AppView): void {
  const self = st.self;
  const winner = v.yieldTo(self);
  if (winner !== null) {
    v.runningAt = winner; // from now on it runs there (a nodedown of the winner is a failover from it)
    stopHere(ctx, st, v);
  } else {
    const t = v.takeoverNow(self) ?? v.startNow(self);
    if (t !== null) runHere(ctx, st, v, t);
  }
  if (v.joining && v.runningAt !== null && v.list !== null && (v.runningAt === self || v.list.rank(self) >= v.list.rank(v.runningAt))) v.joining = false;
  if (v.waiters.declare.length > 0 && v.settled(self)) for (const f of v.waiters.declare.splice(0)) ctx.reply(f, { ok: v.runningAt });
}

// -----------------------------------------------------------------------------------
// Sending
// -----------------------------------------------------------------------------------

function stateOf(st: ControllerState, v: AppView, ask: boolean): PeerStateMsg {
  return {
    type: '$dist_ac',
    app: v.name,
    node: st.self,
    ranks: v.declared && v.list !== null ? v.list.ranks : null,
    declared: v.declared,
    local: v.local,
    startType: v.localStartType,
    gen: v.localGen,
    runningAt: v.runningAt,
    failoverFrom: v.failoverFrom,
    ask,
    failed: false,
  };
}

function sendState(ctx: Context, st: ControllerState, v: AppView, node: string, ask: boolean): void {
  ctx.send({ name: kControllerName, node }, stateOf(st, v, ask));
}

/** To every connected node: controllers of nodes outside the list follow it too (whereRunning there). */
function broadcast(ctx: Context, st: ControllerState, v: AppView): void {
  const m = stateOf(st, v, false);
  for (const n of ctx.nodes()) ctx.send({ name: kControllerName, node: n }, m);
}

function info(st: ControllerState, v: AppView): DistAppInfo {
  const candidates = v.list === null ? [] : v.list.all().filter((n) => (n === st.self ? v.declared : (v.peers.get(n)?.declared ?? false)));
  return {
    app: v.name,
    declared: v.declared,
    local: v.local,
    startType: v.localStartType,
    gen: v.localGen,
    runningAt: v.runningAt,
    failoverFrom: v.failoverFrom,
    failoverPending: v.failoverTimer !== null,
    candidates,
  };
}

function timer(app: string, kind: TimerMsg['kind'], token: number): TimerMsg {
  return { type: '$dist_ac_timer', app, kind, token };
}

function isTimer(m: unknown): m is TimerMsg {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$dist_ac_timer';
}

function isDown(m: unknown): m is { type: 'DOWN'; ref: Ref } {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'DOWN';
}

function isNodeMsg(m: unknown): m is NodeMsg {
  const t = (m as { type?: unknown } | null)?.type;
  return (t === 'nodeup' || t === 'nodedown') && typeof (m as { node?: unknown }).node === 'string';
}
