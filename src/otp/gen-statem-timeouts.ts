/**
 * The time-out table of one GenStatem: its state time-out, its event time-out and its
 * named generic time-outs, each with the content its event will carry, and the queue of
 * zero time-outs (OTP's `t0q`) that the loop takes before the next mailbox message.
 *
 *   slot = { event, content, n, ref }     one running time-out
 *     ref: Ref   a timer: `{ type: '$statem_timeout', kind, n, name? }` is sent to self
 *                after ms; it fires only if its slot is still there with the same n
 *                (a cancelled or restarted time-out leaves its message stale)
 *     ref: null  a zero time-out: the slot waits in `zero`, in the order set
 *
 * Protocol (driven by the loop, gen-statem.ts):
 *   1. set(kind, name, ms, content): the running time-out of that kind (and name) is
 *      cancelled; Infinity stops there; 0 appends a zero slot to `zero`; else a timer.
 *   2. update(kind, name, content): a running slot gets the new content (its deadline
 *      stays); none running: as set(..., 0, content).
 *   3. fired(msg): a timer message -> [event, content] and its slot is dropped, or null
 *      when stale.
 *   4. takeZero(): after the inserted and retried events, before the mailbox, the loop
 *      runs the zero time-outs one by one, oldest first (a slot set again moves to the
 *      end, as it is a new time-out).
 *   5. Any event cancels the event time-out (cancel(kEvent)); a state change cancels the
 *      state time-out; generic time-outs run until they fire or are cancelled.
 *
 * Erlang/OTP mapping: gen_statem's `timers` map (TimeoutType => {TimerRef, Msg}), with a
 * zero time-out as TimerRef 0 queued in `t0q`; update and cancel as {Type,update,Msg} and
 * {Type,cancel}. Absolute time-outs ({abs,true}) are not offered.
 */
import type { Context } from '../core/context.ts';
import type { Ref } from '../core/pid.ts';
import { EVENT_TIMEOUT, STATE_TIMEOUT, type StatemEvent } from './gen-statem-actions.ts';

export const kState = 0;
export const kEvent = 1;
export const kGeneric = 2;

export interface TimeoutMessage {
  readonly type: '$statem_timeout';
  readonly kind: number;
  readonly n: number;
  readonly name?: string;
}

interface Slot {
  readonly kind: number;
  readonly name: string | undefined;
  readonly event: StatemEvent;
  content: unknown;
  readonly n: number;
  readonly ref: Ref | null;
}

export type TimeoutEvent = [StatemEvent, unknown];

export class StatemTimeouts {
  private stateSlot: Slot | null = null;
  private eventSlot: Slot | null = null;
  private generic: Map<string, Slot> | null = null;
  /** Zero time-outs, in the order set. */
  private zero: Slot[] | null = null;
  private serial = 0;

  get hasEventTimeout(): boolean {
    return this.eventSlot !== null;
  }

  get hasStateTimeout(): boolean {
    return this.stateSlot !== null;
  }

  get hasZero(): boolean {
    return this.zero !== null && this.zero.length > 0;
  }

  /** Step 1. `ms` is >= 0 or Infinity (checked by the builders and the loop). */
  set(kind: number, name: string | undefined, ms: number, content: unknown, ctx: Context): void {
    this.cancel(kind, name, ctx);
    if (ms === Infinity) return;
    const n = ++this.serial;
    if (ms === 0) {
      const slot: Slot = { kind, name, event: eventOf(kind, name), content, n, ref: null };
      this.put(slot);
      (this.zero ??= []).push(slot);
      return;
    }
    const msg: TimeoutMessage = name === undefined ? { type: '$statem_timeout', kind, n } : { type: '$statem_timeout', kind, n, name };
    this.put({ kind, name, event: eventOf(kind, name), content, n, ref: ctx.sendAfter(ms, ctx.self, msg) });
  }

  /** Step 2. */
  update(kind: number, name: string | undefined, content: unknown, ctx: Context): void {
    const slot = this.get(kind, name);
    if (slot !== null) slot.content = content;
    else this.set(kind, name, 0, content, ctx);
  }

  cancel(kind: number, name: string | undefined, ctx: Context): void {
    const slot = this.get(kind, name);
    if (slot === null) return;
    this.drop(slot);
    if (slot.ref !== null) ctx.cancelTimer(slot.ref);
    else this.zero!.splice(this.zero!.indexOf(slot), 1);
  }

  /** Step 3. */
  fired(msg: TimeoutMessage): TimeoutEvent | null {
    const slot = this.get(msg.kind, msg.name);
    if (slot === null || slot.n !== msg.n || slot.ref === null) return null;
    this.drop(slot);
    return [slot.event, slot.content];
  }

  /** Step 4: the oldest zero time-out, taken out (null: none). */
  takeZero(): TimeoutEvent | null {
    const z = this.zero;
    if (z === null || z.length === 0) return null;
    const slot = z.shift()!;
    this.drop(slot);
    return [slot.event, slot.content];
  }

  /** What a status shows: the running time-outs, by kind (and name), with their content. */
  describe(): { readonly type: string; readonly name?: string; readonly zero: boolean; readonly content: unknown }[] {
    const out: { type: string; name?: string; zero: boolean; content: unknown }[] = [];
    const add = (s: Slot | null) => {
      if (s === null) return;
      if (s.name === undefined) out.push({ type: s.event.type, zero: s.ref === null, content: s.content });
      else out.push({ type: s.event.type, name: s.name, zero: s.ref === null, content: s.content });
    };
    add(this.stateSlot);
    add(this.eventSlot);
    if (this.generic !== null) for (const s of this.generic.values()) add(s);
    return out;
  }

  private get(kind: number, name: string | undefined): Slot | null {
    if (kind === kState) return this.stateSlot;
    if (kind === kEvent) return this.eventSlot;
    return this.generic?.get(name!) ?? null;
  }

  private put(slot: Slot): void {
    if (slot.kind === kState) this.stateSlot = slot;
    else if (slot.kind === kEvent) this.eventSlot = slot;
    else (this.generic ??= new Map()).set(slot.name!, slot);
  }

  private drop(slot: Slot): void {
    if (slot.kind === kState) this.stateSlot = null;
    else if (slot.kind === kEvent) this.eventSlot = null;
    else this.generic!.delete(slot.name!);
  }
}

function eventOf(kind: number, name: string | undefined): StatemEvent {
  if (kind === kState) return STATE_TIMEOUT;
  if (kind === kEvent) return EVENT_TIMEOUT;
  return Object.freeze({ type: 'genericTimeout', name: name! });
}
