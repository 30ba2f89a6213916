/**
 * Delivery: at-least-once sends and exactly-once processing on top of Switchboard's plain,
 * at-most-once send (see the readme section "Delivery guarantees" for what plain send
 * loses when).
 *
 * Sender side (any actor, either style; or a node's embedding thread):
 *   const id = Delivery.send(ctx, target, msg, { retries, timeoutMs, fallback, key })
 *       returns at once; the outcome comes later as a message to the caller:
 *       { type: 'delivery', id, ok: true, target, by, attempts, duplicate }
 *       { type: 'delivery', id, ok: false, reason: { kind: 'delivery_failed', tried }, attempts }
 *       (match it with `Delivery.isReport(m, id)`).
 *   const ok = yield* Delivery.deliver(ctx, target, msg, opts)     (process style)
 *   const ok = await Delivery.deliver(node, target, msg, opts)     (embedding thread)
 *       waits for the outcome: the DeliveryOk, or throws DeliveryFailedError.
 * The resends, timers and fallback are done by the sender's courier (courier.ts), a helper
 * actor spawned linked to the sender on its first send.
 *
 * Receiver side:
 *   Delivery.isDelivery(m) / Delivery.pattern           recognise an envelope (m.msg is the payload)
 *   Delivery.ack(ctx, env)                              acknowledge it (after processing it)
 *   Delivery.processOnce(ctx, env, table, fn)           exactly-once processing: a key the
 *       table (dedupe-table.ts) has seen is acked and not processed again; else fn(env.msg)
 *       runs and its key is recorded in the table's order, then the envelope is acked.
 *
 * Erlang mapping: Erlang's `!` is at-most-once and OTP has no at-least-once helper; this is
 * the monitor + `receive ... after` + resend loop and the ETS table of seen ids that Erlang
 * systems write by hand.
 *
 * Ordering: deliveries from one sender to one target leave in the order they were sent,
 * but a resend or a fallback overtakes nothing and waits for nothing: after a timeout or a
 * failover the receiver may see them out of order (and, without dedupe, twice).
 */
import { Context } from '../../core/context.ts';
import type { Node } from '../../core/node.ts';
import { BadArgError, CallExitError, NoProcError } from '../../core/errors.ts';
import { courierFor, courierForNode, forgetNodeCourier } from './courier.ts';
import { DedupeTable } from './dedupe-table.ts';
import { resolveDelivery, type DeliveryOptions } from './delivery-options.ts';
import { DeliveryFailedError } from './errors.ts';
import {
  isDelivery, isDeliveryReport, type DeliveryAck, type DeliveryEnvelope, type DeliveryOk, type DeliveryReport, type DeliveryRequest,
  type DeliveryTarget,
} from './delivery-messages.ts';
import type { CallGen } from '../../otp/call.ts';

// --- ids: node name / random per-thread prefix / counter ---

const threadPrefix = Math.floor(Math.random() * 0x1000000000000).toString(36);
let nextSeq = 0;

function newId(nodeName: string): string {
  return `${nodeName}/${threadPrefix}/${(nextSeq++).toString(36)}`;
}

function request(api: string, nodeName: string, target: unknown, msg: unknown, opts: DeliveryOptions | undefined): DeliveryRequest {
  const r = resolveDelivery(api, target, opts);
  const id = newId(nodeName);
  return { type: '$delivery_send', id, key: r.key ?? id, targets: r.targets, msg, retries: r.retries, timeoutMs: r.timeoutMs };
}

/** Start an at-least-once delivery from the running actor; returns its id (the report comes as a message). */
function send(ctx: Context, target: DeliveryTarget, msg: unknown, opts?: DeliveryOptions): string {
  if (!(ctx instanceof Context)) throw new BadArgError('Delivery.send: the first argument must be the running actor\'s ctx (from the embedding thread use Delivery.deliver(node, ...))');
  const req = request('Delivery.send', ctx.nodeName, target, msg, opts);
  ctx.send(courierFor(ctx), req); // copies msg now: an unsendable one throws here
  return req.id;
}

/** Deliver and wait for the outcome: a generator from an actor, a promise from a node. */
function deliver(via: Context, target: DeliveryTarget, msg: unknown, opts?: DeliveryOptions): CallGen<DeliveryOk>;
function deliver(via: Node, target: DeliveryTarget, msg: unknown, opts?: DeliveryOptions): Promise<DeliveryOk>;
function deliver(via: Context | Node, target: DeliveryTarget, msg: unknown, opts?: DeliveryOptions): CallGen<DeliveryOk> | Promise<DeliveryOk> {
  if (via instanceof Context) return deliverFromActor(via, target, msg, opts);
  let req: DeliveryRequest;
  try {
    req = request('Delivery.deliver', via.name, target, msg, opts);
  } catch (e) {
    return Promise.reject(e);
  }
  return courierForNode(via)
    .then((courier) => via.call<DeliveryReport>(courier, req, Infinity))
    .then(outcome, (e: unknown) => {
      // The node's courier is gone (it crashed): the next deliver spawns a new one.
      if (e instanceof NoProcError || e instanceof CallExitError) forgetNodeCourier(via);
      throw e;
    });
}

function* deliverFromActor(ctx: Context, target: DeliveryTarget, msg: unknown, opts?: DeliveryOptions): CallGen<DeliveryOk> {
  const req = request('Delivery.deliver', ctx.nodeName, target, msg, opts);
  ctx.send(courierFor(ctx), req);
  const id = req.id;
  const report = (yield ctx.receive((m: unknown) => isDeliveryReport(m, id))) as DeliveryReport;
  return outcome(report);
}

function outcome(r: DeliveryReport): DeliveryOk {
  if (r.ok) return r;
  throw new DeliveryFailedError(r.id, r.reason);
}

/** Acknowledge an envelope to its courier (`duplicate`: it had been processed before). */
function ack(ctx: Context, env: DeliveryEnvelope, duplicate = false): void {
  if (!isDelivery(env)) throw new BadArgError('Delivery.ack: expected a delivery envelope (Delivery.isDelivery)');
  const a: DeliveryAck = { type: '$delivery_ack', id: env.id, n: env.n, by: ctx.self, duplicate };
  ctx.send(env.from, a);
}

export type ProcessOnceResult<R> = { readonly processed: true; readonly result: R } | { readonly processed: false };

/**
 * Process `env` at most once per key as far as `table` remembers (exactly once together
 * with at-least-once delivery), then ack it. See dedupe-table.ts for `order` and what a
 * crash between processing and recording does. `fn` throwing: nothing is recorded (in
 * 'process-first' order) and nothing is acked — the error propagates (the actor crashes
 * as it would have), and the sender resends.
 */
function processOnce<M, R>(ctx: Context, env: DeliveryEnvelope<M>, table: DedupeTable, fn: (msg: M) => R): ProcessOnceResult<R> {
  if (!isDelivery(env)) throw new BadArgError('Delivery.processOnce: expected a delivery envelope (Delivery.isDelivery)');
  if (!(table instanceof DedupeTable)) throw new BadArgError('Delivery.processOnce: table must be a DedupeTable');
  if (table.has(env.key)) {
    ack(ctx, env, true);
    return { processed: false };
  }
  let result: R;
  if (table.order === 'record-first') {
    table.record(env.key);
    result = fn(env.msg);
  } else {
    result = fn(env.msg);
    table.record(env.key, result);
  }
  ack(ctx, env, false);
  return { processed: true, result };
}

/** A receive pattern for envelopes: `yield ctx.receive(Delivery.pattern)`. */
const pattern = { type: '$delivery' } as const;

export const Delivery = { send, deliver, ack, processOnce, isDelivery, isReport: isDeliveryReport, pattern };
