/**
 * The local call fast path: a call from a process-style actor to a live server on the
 * same scheduler, without a monitor. Functions taking the scheduler; otp/call.ts drives
 * them through the Context (`ctx.callLocal`, `ctx.awaitAnswer`, `ctx.endLocalCall`).
 *
 * A call needs the monitor of call-protocol.ts for one thing only: to learn that the
 * server ended while the call was pending. When both sides are on one scheduler that is
 * cheaper to learn from the server itself, as Erlang's alias-based calls (OTP 24:
 * `monitor(process, Pid, [{alias, demonitor}])`) let the reply path skip the monitor's
 * bookkeeping:
 *
 *   client C                                server S (same scheduler)
 *   1. ref = makeRef(); C.callRef = ref
 *      push (C, ref) on S.callers  ------>  (the pending-call marker: no Map entry, no DOWN)
 *      deliver { $call, from: { C, ref }, msg: copy(msg) }
 *   2. receive a message whose `ref` is C.callRef (one predicate per scheduler: nothing
 *      allocated for the pattern), with the timeout
 *                                           3. handleCall ... ctx.reply(from, v):
 *                                              deliver { $reply, ref, value: copy(v) }
 *   4. reply: remove (C, ref) from S.callers; callRef = null; return the value
 *      S ended first: its finalisation (signals.ts) gave every caller still waiting on
 *      its ref a DOWN { ref, pid: S, reason } -> NoProcError / CallExitError as before
 *      timeout: remove the marker, drop a DOWN already queued, expire the ref
 *      (a reply already queued is removed, a later one dropped on delivery)
 *
 * Rules that keep it exact:
 *   - the fast path is taken only for a server this scheduler owns (its table, or a guest
 *     it runs) that is not exiting; a dead local pid is NoProcError at once (what the
 *     monitor's immediate DOWN 'noproc' gave); a pid of another thread or node takes the
 *     monitor protocol (otp/call.ts);
 *   - a marker is fired only if its client still waits on that very ref (`callRef`), so a
 *     client that gave up or died gets nothing; markers of such clients are swept when the
 *     list doubles (so a server that outlives many dead callers stays bounded);
 *   - a server with markers is not moved to another thread (threads/migration.ts
 *     `movable`), as a marker names an actor of this scheduler;
 *   - a reply and a DOWN both queued (the server replied, then ended before the client
 *     ran): the reply is taken (it is older) and the DOWN is removed (step 4).
 */
import { Actor, kDead, kExiting } from './actor.ts';
import { copyMessage, lastCopyBytes } from './copy.ts';
import { Pid, Ref } from './pid.ts';
import type { DownMessage } from './reason.ts';
import { reductions } from './reductions.ts';
import type { SchedulerState } from './scheduler-state.ts';

/** A server's pending-call list is swept of stale markers at this many entries, then at twice what survived. */
const kSweepAt = 64;

/**
 * A server's pending-call markers: pairs [client, ref, client, ref, ...], unordered (a
 * marker is removed by moving the last pair into its place). One per server, made at its
 * first local call.
 */
export class PendingCallers {
  readonly list: (Actor | Ref)[] = [];
  sweepAt = kSweepAt;
}

/** Envelope bytes charged to the mailbox for a request or a reply, beyond the payload's copy. */
const kEnvelopeBytes = 48;

/**
 * Step 1. Returns the call's ref, or null when `to` lives on another thread or node (the
 * caller uses the monitor protocol). Returns undefined when `to` is a dead local pid.
 */
export function beginLocalCall(s: SchedulerState, to: Pid, msg: unknown): Ref | null | undefined {
  const cur = s.requireCurrent('call');
  const server = s.lookup(to);
  if (server === undefined) return s.router.transportFor(to) === null ? undefined : null;
  if (server.status >= kExiting) return undefined;
  const payload = copyMessage(msg);
  const bytes = lastCopyBytes + kEnvelopeBytes;
  const ref = s.makeRef();
  cur.x().callRef = ref;
  const sx = server.x();
  const pending = sx.callers ?? (sx.callers = new PendingCallers());
  if (pending.list.length >= pending.sweepAt) sweep(pending);
  pending.list.push(cur, ref);
  cur.msgsOut++;
  reductions.left--;
  s.counters.messagesOut++;
  s.deliver(server, { type: '$call', from: { pid: cur.pid, ref }, msg: payload }, bytes);
  return ref;
}

/**
 * Step 4, for the client (the running actor) whose call `ref` to `server` ended: with the
 * answer (`timedOut` false) or by its timeout. Removes the server's marker, or — the
 * server was finalised — a DOWN of this call still queued.
 */
export function endLocalCall(s: SchedulerState, server: Pid, ref: Ref): void {
  const cur = s.requireCurrent('call');
  cur.ext!.callRef = null;
  const a = s.lookup(server);
  const pending = a === undefined || a.status === kDead ? null : a.ext!.callers;
  if (pending !== null) {
    const list = pending.list;
    for (let i = 0; i < list.length; i += 2) {
      if (list[i + 1] === ref) {
        const n = list.length;
        list[i] = list[n - 2]!;
        list[i + 1] = list[n - 1]!;
        list.pop();
        list.pop();
        return;
      }
    }
    return;
  }
  // The server was finalised: its DOWN for this call may be queued behind the answer.
  for (let i = 0; i < cur.mlen; i++) {
    const m = cur.at(i) as DownMessage;
    if (typeof m === 'object' && m !== null && m.type === 'DOWN' && m.ref === ref) {
      s.removeMessage(cur, i);
      return;
    }
  }
}

/** Signals.ts, finalising `server`: a DOWN to every local caller still waiting on its ref. */
export function fireCallers(s: SchedulerState, server: Actor, reason: unknown): void {
  const list = server.ext!.callers!.list;
  server.ext!.callers = null;
  for (let i = 0; i < list.length; i += 2) {
    const client = list[i] as Actor;
    const ref = list[i + 1] as Ref;
    if (client.status >= kExiting || client.ext === null || client.ext.callRef !== ref) continue;
    const down: DownMessage = Object.freeze({ type: 'DOWN', ref, pid: server.pid, reason });
    s.deliver(client, down, 64);
  }
}

/** Whether `msg` answers the call the running actor waits for (its reply or its server's DOWN). */
export function answersCall(cur: Actor, msg: unknown): boolean {
  if (typeof msg !== 'object' || msg === null) return false;
  const r = (msg as { ref?: unknown }).ref;
  const ref = cur.ext!.callRef;
  return r === ref || (ref !== null && r instanceof Ref && ref.equals(r));
}

/** Whether `server` has calls in flight from actors of this scheduler (it must not move). */
export function hasLocalCallers(server: Actor): boolean {
  const pending = server.ext?.callers;
  return pending != null && pending.list.length > 0;
}

/** Drop the markers of clients that no longer wait on them (gave up, or ended). */
function sweep(pending: PendingCallers): void {
  const list = pending.list;
  let w = 0;
  for (let i = 0; i < list.length; i += 2) {
    const client = list[i] as Actor;
    const ref = list[i + 1] as Ref;
    if (client.status >= kExiting || client.ext === null || client.ext.callRef !== ref) continue;
    list[w++] = client;
    list[w++] = ref;
  }
  list.length = w;
  pending.sweepAt = Math.max(kSweepAt, 2 * w);
}

/**
 * Step 3, `ctx.reply(from, value)` to a caller on this scheduler: one envelope around the
 * copied value, delivered (no second copy of the envelope). False when the caller is not
 * a local pid: the caller sends the reply the general way.
 */
export function replyLocal(s: SchedulerState, from: { readonly pid: unknown; readonly ref: Ref }, value: unknown): boolean {
  const to = from.pid;
  if (!(to instanceof Pid)) return false;
  const client = s.lookup(to);
  if (client === undefined) return false;
  const copy = copyMessage(value);
  const bytes = lastCopyBytes + kEnvelopeBytes;
  const cur = s.current;
  if (cur !== null) {
    cur.msgsOut++;
    reductions.left--;
  }
  s.counters.messagesOut++;
  if (client.status >= kExiting) {
    s.counters.messagesDropped++;
    return true;
  }
  s.deliver(client, { type: '$reply', ref: from.ref, value: copy }, bytes);
  if (cur === null) s.wake();
  return true;
}
