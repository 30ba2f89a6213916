/**
 * Process-style actors (generators) on a Scheduler: running one for a slice, selective
 * receive, receive-after, and the expiry of call replies. Functions taking the scheduler.
 *
 * Receive, step by step (`yield ctx.receive(pattern?, timeoutMs?)`):
 *   1. ctx.receive records pattern and timeout (`prepareReceive`) and returns RECEIVE; the
 *      generator yields it: the actor is now in a receive, scanning from mailbox index 0.
 *   2. Each time the actor runs, the mailbox is scanned from `scanFrom` (where the last
 *      scan stopped) for the oldest message the pattern matches (pattern.ts).
 *   3. A match is removed (the others keep their order) and the generator resumes with it;
 *      the receive timer, if armed, is cancelled.
 *   4. No match: timeout 0 resumes with TIMEOUT at once; a positive timeout arms the
 *      receive timer (scheduler-timers.ts; one of 100 ms or more at the next tick) once; the actor waits for a new message or the
 *      timer, whichever comes first (the timer resumes it with TIMEOUT).
 * Anything else yielded: PREEMPT (instrumented back-edges) ends the slice; any other value
 * ends the actor with {kind:'badyield'}.
 */
import { Actor, ActorExt, fLimits, fProcess, fStarted, kRunning } from './actor.ts';
import { RECEIVE } from './context.ts';
import { describe } from './describe.ts';
import { BadArgError } from './errors.ts';
import { matches } from './pattern.ts';
import type { Ref } from './pid.ts';
import { TIMEOUT } from './reason.ts';
import { reductions, PREEMPT } from './reductions.ts';
import type { SchedulerState } from './scheduler-state.ts';
import { untrack } from './limits.ts';
import { startReceiveTimer } from './scheduler-timers.ts';

/** Timed-out call refs remembered per actor to drop their late replies (see expireCall). */
const kMaxExpiredCalls = 1024;

/** Run a process-style actor for the rest of its slice (steps 2-4). */
export function runProcess(s: SchedulerState, actor: Actor): void {
  const R = reductions;
  const x = actor.ext!;
  const gen = actor.state as Generator<unknown, unknown, unknown>;
  let input: unknown = undefined;
  if ((actor.flags & fStarted) === 0) {
    actor.flags |= fStarted;
    R.claimNext = true;
  }
  while (R.left > 0 && actor.status === kRunning) {
    if (x.inReceive) {
      if (x.timedOut) {
        x.timedOut = false;
        x.inReceive = false;
        input = TIMEOUT;
      } else {
        const i = findMatch(actor, x);
        if (i < 0) {
          if (x.timeoutMs === 0) {
            x.inReceive = false;
            input = TIMEOUT;
          } else {
            if (x.timeoutMs > 0 && x.timer === null) startReceiveTimer(s, actor, x);
            return; // waits: runSlice sees inReceive with nothing new and parks it
          }
        } else {
          input = removeMessage(actor, i);
          x.inReceive = false;
          if (x.timer !== null) {
            s.wheel.cancel(x.timer);
            x.timer = null;
          }
        }
      }
      x.scanFrom = 0;
      x.pattern = undefined;
    }
    R.beginMessage();
    const res = gen.next(input);
    R.claimNext = false;
    R.left--;
    input = undefined;
    if (res.done === true) {
      s.beginExit(actor, 'normal');
      return;
    }
    const v = res.value;
    if (v === RECEIVE) {
      x.inReceive = true;
      x.scanFrom = 0;
      continue;
    }
    if (v === PREEMPT) return;
    s.beginExit(actor, Object.freeze({ kind: 'badyield', value: describe(v) }));
    return;
  }
}

function findMatch(actor: Actor, x: ActorExt): number {
  const p = x.pattern;
  const n = actor.mlen;
  for (let i = x.scanFrom; i < n; i++) {
    if (p === undefined || matches(p as never, actor.at(i))) return i;
  }
  x.scanFrom = n;
  return -1;
}

export function removeMessage(actor: Actor, i: number): unknown {
  if ((actor.flags & fLimits) !== 0) untrack(actor, i);
  return actor.removeAt(i);
}

/**
 * Whether a process-style actor that stopped running still has something to do without a
 * new message: it was preempted (or its slice ended) outside a receive; or it is in a
 * receive whose timeout fired, whose mailbox has messages it has not scanned yet, or whose
 * timeout is not armed yet (a poll with timeout 0 must still return TIMEOUT).
 */
export function processHasWork(x: ActorExt, mlen: number): boolean {
  return !x.inReceive || x.timedOut || x.scanFrom < mlen || (x.timeoutMs >= 0 && x.timer === null);
}

/** Step 1. */
export function prepareReceive(s: SchedulerState, pattern: unknown, timeoutMs: number): void {
  const cur = s.requireCurrent('receive');
  if ((cur.flags & fProcess) === 0) {
    throw new BadArgError('receive: only a process-style actor (a generator) can receive; a handler gets messages in handle()');
  }
  const x = cur.ext!;
  x.pattern = pattern;
  x.timeoutMs = timeoutMs;
}

/**
 * The running actor gave up on the call whose reply carries `ref` (its timeout fired):
 * remove a reply already queued, and drop one arriving later (see `isExpiredReply`). At
 * most kMaxExpiredCalls refs are remembered per actor; an entry is forgotten once its late
 * reply was dropped.
 */
export function expireCall(s: SchedulerState, ref: Ref): void {
  const cur = s.requireCurrent('expireCall');
  for (let i = 0; i < cur.mlen; i++) {
    const m = cur.at(i) as { type?: unknown; ref?: unknown };
    if (typeof m === 'object' && m !== null && m.type === '$reply' && ref.equals(m.ref)) {
      removeMessage(cur, i);
      return;
    }
  }
  const x = cur.x();
  const list = (x.expiredCalls ??= []);
  if (list.length >= kMaxExpiredCalls) list.shift();
  list.push(ref);
}

/** On delivery to an actor with expired calls: is `msg` a late reply to drop? */
export function isExpiredReply(s: SchedulerState, x: ActorExt, msg: unknown): boolean {
  const m = msg as { type?: unknown; ref?: unknown };
  if (typeof m !== 'object' || m === null || m.type !== '$reply') return false;
  const list = x.expiredCalls!;
  for (let i = 0; i < list.length; i++) {
    if (list[i]!.equals(m.ref)) {
      list.splice(i, 1);
      if (list.length === 0) x.expiredCalls = null;
      s.counters.messagesDropped++;
      return true;
    }
  }
  return false;
}
