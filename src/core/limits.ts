/**
 * Per-actor limits (spawn options `maxMailbox`, `mailboxPolicy`, `maxHeapSize`): the slow
 * path of delivery for actors that have one (flag fLimits), and the heap check after a
 * slice. Functions taking the scheduler.
 *
 *   1. On delivery to a full mailbox (maxMailbox messages): 'drop-newest' drops the new
 *      message (counted in `dropped`); 'kill' ends the actor with {kind:'maxMailbox'}.
 *   2. Else the message's byte estimate is kept (`sizes`, in mailbox order) and added to
 *      `mbytes`; over maxHeapSize the actor ends with {kind:'maxHeapSize'}.
 *   3. Taking a message out subtracts its estimate (`untrack`).
 *   4. After each slice, mailbox bytes + a state estimate are checked against maxHeapSize.
 */
import { Actor, fProcess } from './actor.ts';
import { estimateSize } from './copy.ts';
import type { SchedulerState } from './scheduler-state.ts';

/** Returns false if the message is not queued (steps 1-2). */
export function admit(s: SchedulerState, actor: Actor, bytes: number): boolean {
  const x = actor.ext!;
  if (x.maxMailbox > 0 && actor.mlen >= x.maxMailbox) {
    if (x.dropNewest) {
      x.dropped++;
      s.counters.messagesDropped++;
      return false;
    }
    s.beginExit(actor, Object.freeze({ kind: 'maxMailbox', limit: x.maxMailbox }));
    return false;
  }
  x.sizes!.push(bytes);
  actor.mbytes += bytes;
  if (x.maxHeapSize > 0 && actor.mbytes > x.maxHeapSize) {
    s.beginExit(actor, Object.freeze({ kind: 'maxHeapSize', limit: x.maxHeapSize, size: actor.mbytes }));
    return false;
  }
  return true;
}

/** Message `i` leaves the mailbox (step 3). */
export function untrack(actor: Actor, i: number): void {
  const sizes = actor.ext!.sizes!;
  if (i < sizes.length) actor.mbytes -= sizes.splice(i, 1)[0]!;
}

/** Step 4. */
export function checkHeap(s: SchedulerState, actor: Actor): void {
  const x = actor.ext!;
  const size = actor.mbytes + ((actor.flags & fProcess) !== 0 ? 0 : estimateSize(actor.state));
  if (size > x.maxHeapSize) s.beginExit(actor, Object.freeze({ kind: 'maxHeapSize', limit: x.maxHeapSize, size }));
}
