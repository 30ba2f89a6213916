/**
 * The messages of at-least-once delivery: what travels between a sender's courier
 * (courier.ts), the receiver, and the sender. Plain sendable objects, so they cross
 * threads and nodes with the ordinary codec.
 *
 *   sender  --DeliveryRequest------------------>  courier        (local: the sender's own helper)
 *   courier --DeliveryEnvelope { id, key, from, n }--> target     (resent until acked)
 *   target  --DeliveryAck { id, n }-------------->  courier        (Delivery.ack)
 *   courier --DeliveryReport { id, ok, ... }---->  sender         (or the reply of a node's call)
 *
 * `id` is unique per delivery (the sender's node name, a random per-thread prefix, a
 * counter); `key` is the receiver's idempotency key, the id unless the sender gave one
 * (`key` option: the same key across the sender's own restarts makes those resends
 * duplicates too). Acks are matched on `id`, dedupe on `key`.
 *
 * Erlang mapping: the tuples a hand-written Erlang version would send — `{deliver, Id, Key,
 * From, Msg}`, `{ack, Id}` — as tagged objects.
 */
import type { Pid } from '../../core/pid.ts';
import type { Dest } from '../../core/types.ts';

/** Where a delivery may go: a pid, a local name, `{ name, node }`, or `{ global: name }` (core's Dest). */
export type DeliveryTarget = Dest;

/** What the receiver gets: the payload `msg` wrapped with the ids and the courier to ack. */
export interface DeliveryEnvelope<M = unknown> {
  readonly type: '$delivery';
  readonly id: string;
  readonly key: string;
  /** The courier that waits for the ack. */
  readonly from: Pid;
  /** Which of the delivery's targets this copy was sent to (echoed by the ack). */
  readonly n: number;
  readonly msg: M;
}

/** The receiver's acknowledgement (`Delivery.ack`), sent to the envelope's `from`. */
export interface DeliveryAck {
  readonly type: '$delivery_ack';
  readonly id: string;
  /** The envelope's `n`: which target acked (a late ack of an earlier target is still its own). */
  readonly n: number;
  /** The receiver that acked. */
  readonly by: Pid;
  /** True when the receiver had processed this key before (a duplicate, not processed again). */
  readonly duplicate: boolean;
}

/** What a sender hands its courier (Delivery.send builds it). */
export interface DeliveryRequest {
  readonly type: '$delivery_send';
  readonly id: string;
  readonly key: string;
  readonly targets: readonly DeliveryTarget[];
  readonly msg: unknown;
  readonly retries: number;
  readonly timeoutMs: number;
}

/** The courier's own timer message for one attempt. */
export interface DeliveryTimeout {
  readonly type: '$delivery_timeout';
  readonly id: string;
  /** The attempt number (1-based, over all targets) it belongs to: a stale one is ignored. */
  readonly attempt: number;
}

/** How the attempts on one target ended. */
export interface TriedTarget {
  /** The target in words (`<0.42.0>`, `login`, `login on b@h`, `{ global: login }`). */
  readonly target: string;
  readonly attempts: number;
  /** 'timeout' (no ack for each of its attempts) or 'down: <reason>' (a DOWN for it). */
  readonly outcome: string;
}

/** The tagged reason of a failed delivery. */
export interface DeliveryFailure {
  readonly kind: 'delivery_failed';
  readonly tried: readonly TriedTarget[];
}

/** The outcome, sent to the sender as a message (`Delivery.send`) or as a call's reply. */
export type DeliveryReport = DeliveryOk | DeliveryNotOk;

export interface DeliveryOk {
  readonly type: 'delivery';
  readonly id: string;
  readonly ok: true;
  /** The target that acknowledged (one of the target list). */
  readonly target: DeliveryTarget;
  /** The receiver's pid. */
  readonly by: Pid;
  /** Attempts made, over all targets, the acked one included. */
  readonly attempts: number;
  /** The receiver saw the key as already processed. */
  readonly duplicate: boolean;
}

export interface DeliveryNotOk {
  readonly type: 'delivery';
  readonly id: string;
  readonly ok: false;
  readonly reason: DeliveryFailure;
  readonly attempts: number;
}

function typed(m: unknown, type: string): boolean {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type;
}

/** Is `m` an at-least-once delivery (to ack with Delivery.ack)? */
export function isDelivery(m: unknown): m is DeliveryEnvelope {
  return typed(m, '$delivery') && typeof (m as DeliveryEnvelope).id === 'string';
}

export function isDeliveryAck(m: unknown): m is DeliveryAck {
  return typed(m, '$delivery_ack');
}

export function isDeliveryRequest(m: unknown): m is DeliveryRequest {
  return typed(m, '$delivery_send');
}

export function isDeliveryTimeout(m: unknown): m is DeliveryTimeout {
  return typed(m, '$delivery_timeout');
}

/** Is `m` the report of a delivery (of `id` when given)? */
export function isDeliveryReport(m: unknown, id?: string): m is DeliveryReport {
  return typed(m, 'delivery') && typeof (m as DeliveryReport).ok === 'boolean' && (id === undefined || (m as DeliveryReport).id === id);
}
