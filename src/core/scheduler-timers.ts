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
