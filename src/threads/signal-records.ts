/**
 * Signal records in: the one place where the message and signal records of the ring
 * protocol (records.ts: MSG, EXIT, LINK, UNLINK, MONITOR, DEMONITOR, DOWN) become calls of
 * a core Scheduler's inbound API (core/signals.ts). Every endpoint that hosts a scheduler
 * uses it: a scheduler thread (worker-records.ts, after its early-record and forwarding
 * checks) and the embedding thread's gateway (gateway.ts).
 *
 * Per kind (words after the kind word as in records.ts; ids and serials read unsigned):
 *   1. MSG: the actor's mailbox (`deliver`), or counted as dropped if it is gone/exiting;
 *   2. EXIT: `exitIn(to, from, reason, via)` if `to` still lives here;
 *   3. LINK / UNLINK: `linkIn` / `unlinkIn` (the scheduler answers 'noproc' if gone);
 *   4. MONITOR / DEMONITOR: `monitorIn` / `demonitorIn` (DOWN 'noproc' if gone);
 *   5. DOWN: `downIn(watcher, ref, pid, reason)` if the watcher still lives here.
 * Pids from the record are interned by the endpoint (one object per pid it has seen).
 */
import { kExiting } from '../core/actor.ts';
import { Ref } from '../core/pid.ts';
import type { Scheduler } from '../core/scheduler.ts';
import type { Endpoint } from './endpoint.ts';
import { kRecMsg, kRecExit, kRecLink, kRecUnlink, kRecMonitor, kRecDemonitor, kRecDown } from './records.ts';

/** Whether `kind` is one of the records `onSignalRecord` handles. */
export function isSignalRecord(kind: number): boolean {
  return kind >= kRecMsg && kind <= kRecDown;
}

/** Steps 1-5 for the record at word `i` (`len` bytes) of `bytes`, read by endpoint `ep`. */
export function onSignalRecord(s: Scheduler, ep: Endpoint, words: Int32Array, i: number, bytes: Uint8Array, len: number): void {
  switch (words[i]) {
    case kRecMsg: {
      const a = s.lookupId(words[i + 1]! >>> 0, words[i + 2]! >>> 0);
      if (a === undefined || a.status >= kExiting) {
        s.counters.messagesDropped++;
        return;
      }
      s.deliver(a, ep.decodeValue(bytes, i, 3, len), len);
      return;
    }
    case kRecExit: {
      const to = s.lookupId(words[i + 1]! >>> 0, words[i + 2]! >>> 0);
      if (to === undefined) return;
      const from = ep.internPid(words[i + 3]! >>> 0, words[i + 4]! >>> 0);
      s.inbound.exitIn(to.pid, from, ep.decodeValue(bytes, i, 6, len), words[i + 5] === 1);
      return;
    }
    case kRecLink:
      s.inbound.linkIn(ep.internPid(words[i + 1]! >>> 0, words[i + 2]! >>> 0), ep.internPid(words[i + 3]! >>> 0, words[i + 4]! >>> 0));
      return;
    case kRecUnlink:
      s.inbound.unlinkIn(ep.internPid(words[i + 1]! >>> 0, words[i + 2]! >>> 0), ep.internPid(words[i + 3]! >>> 0, words[i + 4]! >>> 0));
      return;
    case kRecMonitor: {
      const to = ep.internPid(words[i + 1]! >>> 0, words[i + 2]! >>> 0);
      const watcher = ep.internPid(words[i + 3]! >>> 0, words[i + 4]! >>> 0);
      s.inbound.monitorIn(to, watcher, new Ref(0, words[i + 5]!, words[i + 6]! >>> 0));
      return;
    }
    case kRecDemonitor:
      s.inbound.demonitorIn(ep.internPid(words[i + 1]! >>> 0, words[i + 2]! >>> 0), new Ref(0, words[i + 3]!, words[i + 4]! >>> 0));
      return;
    case kRecDown: {
      const watcher = s.lookupId(words[i + 1]! >>> 0, words[i + 2]! >>> 0);
      if (watcher === undefined) return;
      const pid = ep.internPid(words[i + 3]! >>> 0, words[i + 4]! >>> 0);
      s.inbound.downIn(watcher.pid, new Ref(0, words[i + 5]!, words[i + 6]! >>> 0), pid, ep.decodeValue(bytes, i, 7, len));
      return;
    }
    default:
      throw new RangeError(`ring protocol: record kind ${words[i]} is not a signal record`);
  }
}
