/**
 * Courier: the helper actor that carries a sender's at-least-once deliveries — resends,
 * timeouts, fallback — so the sender itself keeps no delivery state and may be written in
 * either style. Module-defined (it runs on any scheduler of any node kind).
 *
 * Who has one: each actor that calls `Delivery.send` gets its own courier on first use,
 * spawned linked on the sender's scheduler and remembered in this thread's table
 * (`courierFor`); a node's embedding thread gets one per node (`courierForNode`), asked
 * with calls. A courier ends with its sender: the link (an abnormal exit) or its monitor
 * on the sender (a normal one).
 *
 * Protocol of one delivery (messages in delivery-messages.ts):
 *   1. A DeliveryRequest arrives (from the sender; or as a `$call` from a node, answered
 *      with the report as its reply). The courier takes the first target.
 *   2. Attempt: make sure the target is watched — one monitor per distinct target, shared
 *      by every delivery pending on it —, send the DeliveryEnvelope (`from` = the courier),
 *      and start a timer of `timeoutMs` for this attempt (none for Infinity).
 *   3. A DeliveryAck for a pending id: cancel its timer, report ok (the target that acked —
 *      the envelope's `n`, echoed by the ack: a late ack of an earlier target counts —,
 *      the receiver's pid, attempts, whether the receiver had it already). Acks for ids no
 *      longer pending (a second ack of a resend) are ignored.
 *   4. The attempt's timer fires (a stale one — of an earlier attempt — is ignored): resend
 *      to the same target while `retries` are left, else go on to the next target.
 *   5. A DOWN of a watched target (its process died, its name is not registered: 'noproc',
 *      its node is gone: 'noconnection'): every delivery pending on it goes on to its next
 *      target at once, without waiting for its timers (the message may have been processed
 *      and the ack lost: that is why the receiver dedupes).
 *   6. No target left: report `{ ok: false, reason: { kind: 'delivery_failed', tried } }`.
 * Reports go to the sender as a message `{ type: 'delivery', id, ok, ... }`.
 *
 * Idle watches (no delivery pending on the target) are kept, at most kIdleWatches of them
 * (oldest dropped with a demonitor), so a stream to one target costs no monitor per message.
 *
 * Down nodes: a DOWN 'noconnection' marks the target's node down for kDownNodeMs (or until
 * its nodeup: the courier of a named node subscribes with ctx.monitorNodes). A target on a
 * node marked down is skipped — counted in `tried` as 'skipped: node down', no attempt —
 * unless it is the delivery's last target, so a stream whose first target's node died
 * goes straight to the fallback instead of paying a connection attempt per message.
 *
 * Erlang mapping: none in OTP — Erlang's send is at-most-once and people write this loop
 * by hand (a monitor + a receive with `after` + a resend), which is what this actor is.
 */
import { defineActor } from '../../core/behaviour.ts';
import { isCall, type From } from '../../core/call-protocol.ts';
import type { Context } from '../../core/context.ts';
import { NotRegisteredError } from '../../core/errors.ts';
import type { Node } from '../../core/node.ts';
import { Pid, type Ref } from '../../core/pid.ts';
import { nodeOf } from '../../core/node-table.ts';
import { isRemoteName } from '../../core/remote-name.ts';
import { isDownMessage } from '../../core/reason.ts';
import { describeTarget, targetKey } from './delivery-options.ts';
import {
  isDeliveryAck, isDeliveryRequest, isDeliveryTimeout, type DeliveryEnvelope, type DeliveryReport, type DeliveryRequest,
  type DeliveryTarget, type DeliveryTimeout, type TriedTarget,
} from './delivery-messages.ts';

/** Idle watched targets kept per courier. */
export const kIdleWatches = 64;

/** How long a node whose target went DOWN 'noconnection' is skipped (unless it comes up). */
export const kDownNodeMs = 5000;

interface Pending {
  readonly req: DeliveryRequest;
  readonly reply: From | null;
  /** Index of the current target in req.targets. */
  ti: number;
  /** Attempts on the current target. */
  onTarget: number;
  /** Attempts over all targets. */
  attempts: number;
  timer: Ref | null;
  watch: Watch | null;
  readonly tried: TriedTarget[];
}

interface Watch {
  readonly key: string;
  readonly target: DeliveryTarget;
  readonly ref: Ref;
  readonly pending: Set<Pending>;
}

interface CourierState {
  /** The sender (null: a node's embedding thread, which is answered by reply). */
  readonly owner: Pid | null;
  readonly ownerRef: Ref | null;
  readonly pending: Map<string, Pending>;
  /** Watches by target key; idle ones are also in `idle` (oldest first). */
  readonly watches: Map<string, Watch>;
  readonly byRef: Map<string, Watch>;
  readonly idle: Map<string, Watch>;
  /** Node name -> until when its targets are skipped. */
  readonly downNodes: Map<string, number>;
  started: boolean;
}

function init(owner: Pid | null): CourierState {
  return { owner, ownerRef: null, pending: new Map(), watches: new Map(), byRef: new Map(), idle: new Map(), downNodes: new Map(), started: false };
}

function handle(msg: unknown, st: CourierState, ctx: Context): CourierState {
  if (!st.started) {
    // First message: watch the sender (its normal exit would not reach us through the
    // link), and the nodes (a nodeup clears a down mark) on a named node.
    st.started = true;
    if (st.owner !== null) (st as { ownerRef: Ref | null }).ownerRef = ctx.monitor(st.owner);
    if (ctx.nodeName !== 'nonode@nohost') ctx.monitorNodes(true);
  }
  if (isDeliveryAck(msg)) {
    const p = st.pending.get(msg.id);
    if (p !== undefined) {
      const target = p.req.targets[Number.isInteger(msg.n) && msg.n >= 0 && msg.n < p.req.targets.length ? msg.n : p.ti]!;
      finish(st, ctx, p, { type: 'delivery', id: p.req.id, ok: true, target, by: msg.by, attempts: p.attempts, duplicate: msg.duplicate === true });
    }
  } else if (isDeliveryTimeout(msg)) {
    onTimeout(st, ctx, msg);
  } else if (isDeliveryRequest(msg)) {
    start(st, ctx, msg, null);
  } else if (isCall(msg) && isDeliveryRequest(msg.msg)) {
    start(st, ctx, msg.msg, msg.from);
  } else if (isDownMessage(msg)) {
    if (st.ownerRef !== null && msg.ref.equals(st.ownerRef)) ctx.exit('normal');
    const w = st.byRef.get(msg.ref.toString());
    if (w !== undefined) onDown(st, ctx, w, msg.reason);
  } else if (isNodeUp(msg)) {
    st.downNodes.delete(msg.node);
  }
  return st;
}

function terminate(_reason: unknown, st: CourierState, ctx: Context): void {
  if (st.owner !== null) forgetCourier(st.owner, ctx.self);
}

/** Step 1. */
function start(st: CourierState, ctx: Context, req: DeliveryRequest, reply: From | null): void {
  const p: Pending = { req, reply, ti: 0, onTarget: 0, attempts: 0, timer: null, watch: null, tried: [] };
  st.pending.set(req.id, p);
  attempt(st, ctx, p);
}

function isNodeUp(m: unknown): m is { type: 'nodeup'; node: string } {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'nodeup' && typeof (m as { node?: unknown }).node === 'string';
}

/** The node a target is on, when it names one (a { name, node } or another node's pid). */
function nodeOfTarget(t: DeliveryTarget): string | null {
  if (t instanceof Pid) return t.node === 0 ? null : nodeOf(t)?.name ?? null;
  return isRemoteName(t) ? t.node : null;
}

/** Is `t`'s node marked down (see the header)? Expired marks are dropped. */
function onDownNode(st: CourierState, ctx: Context, t: DeliveryTarget): boolean {
  const node = nodeOfTarget(t);
  if (node === null) return false;
  const until = st.downNodes.get(node);
  if (until === undefined) return false;
  if (ctx.now() < until) return true;
  st.downNodes.delete(node);
  return false;
}

/** Step 2. */
function attempt(st: CourierState, ctx: Context, p: Pending): void {
  const target = p.req.targets[p.ti]!;
  if (p.onTarget === 0 && p.ti < p.req.targets.length - 1 && onDownNode(st, ctx, target)) {
    nextTarget(st, ctx, p, 'skipped: node down');
    return;
  }
  if (p.watch === null) {
    const w = watch(st, ctx, target);
    w.pending.add(p);
    p.watch = w;
  }
  p.onTarget++;
  p.attempts++;
  const env: DeliveryEnvelope = { type: '$delivery', id: p.req.id, key: p.req.key, from: ctx.self, n: p.ti, msg: p.req.msg };
  try {
    ctx.send(target, env);
  } catch (e) {
    // A local name that is not registered: its monitor has already queued DOWN 'noproc'.
    if (!(e instanceof NotRegisteredError)) throw e;
  }
  if (p.req.timeoutMs !== Infinity) {
    const t: DeliveryTimeout = { type: '$delivery_timeout', id: p.req.id, attempt: p.attempts };
    p.timer = ctx.sendAfter(p.req.timeoutMs, ctx.self, t);
  }
}

/** Step 4. */
function onTimeout(st: CourierState, ctx: Context, t: DeliveryTimeout): void {
  const p = st.pending.get(t.id);
  if (p === undefined || t.attempt !== p.attempts) return;
  p.timer = null;
  if (p.onTarget <= p.req.retries) attempt(st, ctx, p);
  else nextTarget(st, ctx, p, 'timeout');
}

/** Step 5. */
function onDown(st: CourierState, ctx: Context, w: Watch, reason: unknown): void {
  st.watches.delete(w.key);
  st.byRef.delete(w.ref.toString());
  st.idle.delete(w.key);
  const outcome = `down: ${typeof reason === 'string' ? reason : JSON.stringify(reason)}`;
  if (reason === 'noconnection') {
    const node = nodeOfTarget(w.target);
    if (node !== null) st.downNodes.set(node, ctx.now() + kDownNodeMs);
  }
  for (const p of [...w.pending]) {
    p.watch = null;
    if (p.timer !== null) ctx.cancelTimer(p.timer);
    p.timer = null;
    nextTarget(st, ctx, p, outcome);
  }
}

/** Steps 4-6: the current target is done with; try the next one or report the failure. */
function nextTarget(st: CourierState, ctx: Context, p: Pending, outcome: string): void {
  p.tried.push({ target: describeTarget(p.req.targets[p.ti]!), attempts: p.onTarget, outcome });
  release(st, ctx, p);
  p.ti++;
  p.onTarget = 0;
  if (p.ti < p.req.targets.length) {
    attempt(st, ctx, p);
    return;
  }
  finish(st, ctx, p, { type: 'delivery', id: p.req.id, ok: false, reason: { kind: 'delivery_failed', tried: p.tried }, attempts: p.attempts });
}

/** Step 3 / 6: report and forget the delivery. */
function finish(st: CourierState, ctx: Context, p: Pending, report: DeliveryReport): void {
  st.pending.delete(p.req.id);
  if (p.timer !== null) ctx.cancelTimer(p.timer);
  p.timer = null;
  release(st, ctx, p);
  if (p.reply !== null) ctx.reply(p.reply, report);
  else if (st.owner !== null) ctx.send(st.owner, report);
}

/** The watch of `target`, monitoring it if it is not watched yet. */
function watch(st: CourierState, ctx: Context, target: DeliveryTarget): Watch {
  const key = targetKey(target);
  let w = st.watches.get(key);
  if (w === undefined) {
    // A { global } name is resolved by the monitor (unknown: DOWN 'noproc' at once).
    const ref = ctx.monitor(target);
    w = { key, target, ref, pending: new Set() };
    st.watches.set(key, w);
    st.byRef.set(ref.toString(), w);
  }
  st.idle.delete(key);
  return w;
}

/** `p` no longer waits on its target; an idle watch is kept (at most kIdleWatches). */
function release(st: CourierState, ctx: Context, p: Pending): void {
  const w = p.watch;
  if (w === null) return;
  p.watch = null;
  w.pending.delete(p);
  if (w.pending.size > 0) return;
  st.idle.set(w.key, w);
  if (st.idle.size <= kIdleWatches) return;
  const oldest = st.idle.values().next().value as Watch;
  st.idle.delete(oldest.key);
  st.watches.delete(oldest.key);
  st.byRef.delete(oldest.ref.toString());
  ctx.demonitor(oldest.ref, { flush: true });
}

export const Courier = defineActor(import.meta.url, { init, handle, terminate }, 'Courier');

// --- who has which courier ---

/** This thread's couriers, by sender pid (each entry written and removed on the sender's thread). */
const couriers = new Map<string, Pid>();

/** Forget `courier` as `owner`'s (unless a newer one has replaced it meanwhile). */
function forgetCourier(owner: Pid, courier: Pid): void {
  const k = owner.toString();
  if (couriers.get(k)?.equals(courier) === true) couriers.delete(k);
}

/** The running actor's courier, spawned (linked, on its own scheduler) on first use. */
export function courierFor(ctx: Context): Pid {
  const self = ctx.self;
  const k = self.toString();
  const known = couriers.get(k);
  if (known !== undefined && ctx.isAlive(known)) return known;
  // ctx.makeRef().sched is the running scheduler's index: the courier stays on this thread,
  // so isAlive above can see it.
  const pid = ctx.spawnLink(Courier, [self], { scheduler: ctx.makeRef().sched });
  couriers.set(k, pid);
  return pid;
}

const nodeCouriers = new WeakMap<Node, Promise<Pid>>();

/** Drop a node's courier from the table (it is gone). */
export function forgetNodeCourier(node: Node): void {
  nodeCouriers.delete(node);
}

/** A node's courier for deliveries made from its embedding thread (answered by call). */
export function courierForNode(node: Node): Promise<Pid> {
  let p = nodeCouriers.get(node);
  if (p === undefined) {
    p = node.spawn(Courier, [null]);
    nodeCouriers.set(node, p);
    p.catch(() => nodeCouriers.delete(node));
  }
  return p;
}
