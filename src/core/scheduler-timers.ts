/**
 * Timers of a Scheduler, on its timer wheel (timer-wheel.ts): `sendAfter` messages,
 * driver-level callbacks (`callAfter`), and receive-after timeouts of process-style
 * actors. Functions taking the scheduler.
 *
 *   kind       target                  fires
 *   SEND       a pid or a name          the message (copied when armed) is delivered, or
 *                                       handed to the pid's transport (router.ts)
 *   RECEIVE    the waiting actor        its receive resumes with TIMEOUT (if still waiting)
 *   CALLBACK   -                        the function runs on this thread
 *
 * A SEND timer is found by its ref (`timersByRef`) to be cancelled. A RECEIVE timer node
 * is one per actor, reused: every path that drops it cancels it or fires it.
 *
 * Deferred receive timers. A receive-after of kDeferFromMs or more (a call's 5 s deadline
 * above all) is usually answered long before it could fire, so reading the clock and
 * inserting into and removing from the wheel on every such receive is wasted work:
 *   1. The receive finds no match: `x.timer` becomes the shared kDeferred marker (not in
 *      the wheel: cancelling it is a no-op) and the actor is pushed on `s.deferredTimers`.
 *   2. The answer comes first: the receive's match clears `x.timer` as for a real timer;
 *      nothing else is done (the list entry is dropped at the next drain).
 *   3. At the next timer tick of the host (`fireDueTimers`, and `msUntilNextTimer`, which
 *      every host calls before it sleeps) the list is drained: an actor whose `x.timer` is
 *      still kDeferred gets its real timer, due `timeoutMs` from now.
 * So a timeout can only fire late (by at most the time between two ticks of the host,
 * a few slices), never early: Erlang's `after` promises no more. An actor pushed twice
 * (answered, then waiting again before the drain) is armed once (its second entry finds
 * a real timer). `x.timer !== null` keeps meaning "a receive timeout is pending" for
 * everyone else (parking, migration, finalisation).
 */
import { Actor, ActorExt, ActorTimer, kExiting, kWaiting, kTimerSend, kTimerReceive, kTimerCallback } from './actor.ts';
import { copyMessage, lastCopyBytes } from './copy.ts';
import { describe } from './describe.ts';
import { BadArgError } from './errors.ts';
import { Pid, Ref } from './pid.ts';
import type { SchedulerState } from './scheduler-state.ts';

export function sendAfter(s: SchedulerState, ms: number, to: Pid | string, msg: unknown): Ref {
  if (typeof ms !== 'number' || !(ms >= 0) || !Number.isFinite(ms)) throw new BadArgError(`sendAfter: ms must be a finite number >= 0, got ${describe(ms)}`);
  if (!(to instanceof Pid) && typeof to !== 'string') throw new BadArgError(`sendAfter: destination must be a pid or a name, got ${describe(to)}`);
  const t = new ActorTimer();
  t.kind = kTimerSend;
  t.target = to;
  t.msg = copyMessage(msg);
  t.bytes = lastCopyBytes;
  t.ref = s.makeRef();
  s.timersByRef.set(t.ref, t);
  s.wheel.insert(t, s.clock() + ms);
  if (s.current === null) s.wake();
  return t.ref;
}

export function callAfter(s: SchedulerState, ms: number, fn: () => void): ActorTimer {
  const t = new ActorTimer();
  t.kind = kTimerCallback;
  t.callback = fn;
  s.wheel.insert(t, s.clock() + ms);
  s.wake();
  return t;
}

export function cancelTimer(s: SchedulerState, ref: Ref): number | false {
  if (!(ref instanceof Ref)) throw new BadArgError(`cancelTimer: expected a ref, got ${describe(ref)}`);
  const t = s.timersByRef.get(ref);
  if (t === undefined) return false;
  s.timersByRef.delete(ref);
  s.wheel.cancel(t);
  return Math.max(0, t.deadline - s.clock());
}

/** Receive-after timeouts of at least this many ms are armed at the next tick (see the header). */
export const kDeferFromMs = 100;

/** `x.timer` of an actor whose receive timer waits in `deferredTimers` (never in the wheel). */
export const kDeferred: ActorTimer = new ActorTimer();
kDeferred.kind = kTimerReceive;

/** Step 1 (from receive.ts): the running actor waits in a receive with `x.timeoutMs` > 0. */
export function startReceiveTimer(s: SchedulerState, actor: Actor, x: ActorExt): void {
  if (x.timeoutMs < kDeferFromMs) {
    armReceiveTimer(s, actor, x);
    return;
  }
  x.timer = kDeferred;
  s.deferredTimers.push(actor);
}

/** Step 3: arm the deferred timers still wanted. Returns how many were armed. */
export function armDeferredTimers(s: SchedulerState): number {
  const list = s.deferredTimers;
  let armed = 0;
  for (let i = 0; i < list.length; i++) {
    const actor = list[i]!;
    const x = actor.ext!;
    if (x.timer !== kDeferred) continue;
    x.timer = null;
    if (actor.status >= kExiting || !x.inReceive) continue;
    armReceiveTimer(s, actor, x);
    armed++;
  }
  list.length = 0;
  return armed;
}

export function armReceiveTimer(s: SchedulerState, actor: Actor, x: ActorExt): void {
  // One node per actor, reused: a node not in the wheel (level < 0) is free.
  let t = x.spareTimer;
  if (t === null || t.level >= 0) {
    t = new ActorTimer();
    t.kind = kTimerReceive;
    t.target = actor;
    x.spareTimer = t;
  }
  x.timer = t;
  s.wheel.insert(t, s.clock() + x.timeoutMs);
}

export function onTimer(s: SchedulerState, t: ActorTimer): void {
  s.counters.timersFired++;
  if (t.kind === kTimerSend) {
    s.timersByRef.delete(t.ref!);
    const to = t.target as Pid | string;
    const pid = typeof to === 'string' ? s.registry.whereis(to) : to;
    const actor = pid === undefined ? undefined : s.lookup(pid);
    if (actor === undefined && pid !== undefined) {
      const tr = s.router.transportFor(pid);
      if (tr !== null) {
        s.sendOut(tr, pid, t.msg);
        return;
      }
    }
    if (actor === undefined || actor.status >= kExiting) {
      s.counters.messagesDropped++;
      return;
    }
    s.deliver(actor, t.msg, t.bytes);
  } else if (t.kind === kTimerReceive) {
    const actor = t.target as Actor;
    const x = actor.ext!;
    if (x.timer !== t) return;
    x.timer = null;
    if (actor.status >= kExiting || !x.inReceive) return;
    x.timedOut = true;
    if (actor.status === kWaiting) s.makeRunnable(actor);
  } else {
    t.callback!();
  }
}
