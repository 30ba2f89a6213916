/**
 * Calls between the threads of one node: the reply drops the call's monitor on both
 * sides, so a call costs three ring records (monitor, request, reply) instead of four
 * (no demonitor record). Erlang's `monitor(process, Pid, [{alias, reply_demonitor}])`
 * (OTP 24) in spirit: the answer itself ends the monitor. Functions taking the scheduler;
 * Context.reply and otp/call.ts drive them.
 *
 *   client C (thread A)                       server S (thread B)
 *   1. ref = monitor(S)      --- MONITOR --->  S.monitoredBy[ref] = C
 *      send { $call, from: { C, ref }, msg } --- SEND --->
 *                                              2. ctx.reply(from, v): S holds monitor
 *                                                 `ref` by C, so it is removed here and
 *      <--- SEND { $reply, ref, value: v, demonitored: true } ---
 *   3. a flagged reply: remove `ref` from C's monitors (no record: S has no entry left),
 *      drop a DOWN of `ref` already queued (a peer-gone DOWN of thread B), return v.
 *      An unflagged reply (someone S forwarded the call to answered it, or a server on
 *      another node): demonitor as before — S's entry goes with the DEMONITOR record.
 *
 * Why it is exact: S removes the entry before the reply leaves, so no DOWN of `ref` can
 * follow it from S; the only DOWN that can is a peer-gone one made on thread A, and step 3
 * flushes it. A client that timed out demonitors and expires the ref as before; if S
 * replies meanwhile, its flagged reply is dropped on delivery and the DEMONITOR record
 * finds nothing to remove. Only pids of this node take this path (`pid.node === 0`):
 * calls to and from other nodes are unchanged.
 *
 * The server finds the entry by the ref's value: the monitor record and the request were
 * decoded separately, so the keys are equal copies (the scan is what a DEMONITOR record's
 * removal does today, `SchedulerInbound.demonitorIn`).
 */
import { Pid, pidEquals, Ref } from './pid.ts';
import type { DownMessage } from './reason.ts';
import type { SchedulerState } from './scheduler-state.ts';

/** The reply of step 2: the wire format's reply plus the flag. */
export interface DemonitoredReply {
  readonly type: '$reply';
  readonly ref: Ref;
  readonly value: unknown;
  readonly demonitored: true;
}

/**
 * Step 2, `ctx.reply(from, value)` by the running actor to a caller on another thread of
 * this node that monitors it with `from.ref`: removes that monitor entry and sends the
 * flagged reply. False (nothing done) otherwise: the caller replies the general way.
 */
export function replyDemonitoring(s: SchedulerState, from: { readonly pid: unknown; readonly ref: unknown }, value: unknown): boolean {
  const cur = s.current;
  const to = from.pid;
  const ref = from.ref;
  if (cur === null || !(to instanceof Pid) || to.node !== 0 || !(ref instanceof Ref)) return false;
  const by = cur.ext?.monitoredBy;
  if (by == null || by.size === 0) return false;
  let key: Ref | null = by.has(ref) ? ref : null;
  if (key === null) {
    for (const r of by.keys()) {
      if (r.equals(ref)) {
        key = r;
        break;
      }
    }
  }
  if (key === null || !pidEquals(by.get(key)!, to)) return false;
  const t = s.router.transportFor(to);
  if (t === null) return false; // a pid of this scheduler (dead): the general way drops it
  by.delete(key);
  const reply: DemonitoredReply = { type: '$reply', ref, value, demonitored: true };
  s.sendOut(t, to, reply);
  return true;
}

/** Whether `msg` is a reply of step 2 (its server dropped the monitor already). */
export function isDemonitoredReply(msg: unknown): boolean {
  return (msg as { demonitored?: unknown }).demonitored === true;
}

/**
 * Step 3, for the running actor: forget monitor `ref` (its own Ref object, the key of its
 * monitors) without a record, and drop a DOWN of it already queued.
 */
export function forgetMonitor(s: SchedulerState, ref: Ref): void {
  const cur = s.requireCurrent('call');
  cur.ext?.monitors?.delete(ref);
  for (let i = 0; i < cur.mlen; i++) {
    const m = cur.at(i) as DownMessage;
    if (typeof m === 'object' && m !== null && m.type === 'DOWN' && m.ref === ref) {
      s.removeMessage(cur, i);
      return;
    }
  }
}
