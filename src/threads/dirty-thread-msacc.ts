/**
 * Microstates of a dirty pool thread, the thread's side: each piscina thread of a dirty
 * pool (dirty-worker.mjs) claims one block of the pool's microstate area (dirty-msacc.ts
 * owns the area; core/microstate.ts draws a block), stores its state into that block's
 * word as scheduler threads do, and adds its own GC pauses to the block.
 *
 *   claims (Int32 x slots, its own SharedArrayBuffer)     area (msaccBytes(slots))
 *   +-----------+-----------+-----+                        +--------+---------+---------+
 *   | threadId  | 0 (free)  | ... |   slot t  <-------->   | header | block 0 | block 1 | ...
 *   +-----------+-----------+-----+                        +--------+---------+---------+
 *
 * Protocol:
 *   1. At the thread's start, `claimDirtySlot(share, threadId)`: the first slot t whose
 *      claim word goes 0 -> threadId by Atomics.compareExchange is this thread's; it stores
 *      `parked` in block t's word and observes its GC into block t (gc-observer.ts). No free
 *      slot (a thread starting while the one it replaces is still ending): an unsampled
 *      word, nothing counted.
 *   2. Per task (dirty-worker.mjs), one plain store per transition: housekeeping while the
 *      task's module is imported, actor while the export runs synchronously, idle while
 *      the promise it returned is pending (the thread's event loop runs whatever it likes
 *      meanwhile, as a scheduler thread's `idle`), parked once the task is settled and the
 *      thread waits for the next one.
 *   3. The pool frees the slot when piscina ends the thread (dirty-msacc.ts `release`).
 * States of a dirty thread: actor, housekeeping, idle, parked (and gc, exact). Structured
 * cloning of a task's arguments and result happens inside piscina, outside any mark: it
 * counts as parked. CPU work after an `await` inside an async export counts as idle.
 * Erlang mapping: erts msacc reports the dirty_cpu_scheduler / dirty_io_scheduler threads
 * with the same state names as normal schedulers: a dirty NIF running is `emulator`
 * (actor here), a dirty scheduler with no work is in `sleep` (parked), `other`/aux is
 * housekeeping, and `gc` is its own; dirty schedulers always exist there, so a slot whose
 * thread piscina ended (idle timeout) reads parked, as a sleeping dirty scheduler.
 */
import { kMsParked, microstateSlots, microstateWord, unsampledWord } from '../core/microstate.ts';
import { observeGc } from '../core/msacc/gc-observer.ts';

export { kMsActor, kMsHousekeeping, kMsIdle, kMsParked } from '../core/microstate.ts';

/** What the pool passes to its threads (in piscina's workerData). */
export interface DirtyMsaccShare {
  /** The microstate area, `slots` blocks (core/microstate.ts). */
  readonly area: SharedArrayBuffer;
  /** One Int32 claim word per slot: 0 free, else the threadId holding it. */
  readonly claims: SharedArrayBuffer;
  readonly slots: number;
}

/** A dirty thread's claim (step 1). */
export interface DirtySlot {
  /** The slot, -1 when none was free. */
  readonly slot: number;
  /** The thread's current-microstate word. */
  readonly word: Int32Array;
}

/** Step 1. */
export function claimDirtySlot(share: DirtyMsaccShare, threadId: number): DirtySlot {
  const claims = new Int32Array(share.claims);
  for (let t = 0; t < share.slots; t++) {
    if (Atomics.compareExchange(claims, t, 0, threadId) === 0) {
      const word = microstateWord(share.area, 0, t);
      word[0] = kMsParked;
      observeGc(microstateSlots(share.area, 0, t));
      return { slot: t, word };
    }
  }
  return { slot: -1, word: unsampledWord() };
}
