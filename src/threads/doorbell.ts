/**
 * Doorbell: how a thread with nothing to do sleeps, and how others wake it only when it
 * actually sleeps. One doorbell per sleeping thread (a scheduler, or the main thread); any
 * number of threads ring it (each producer of a ring that thread consumes).
 *
 * Shared layout (Int32Array words from the doorbell's `byteOffset`):
 *
 *    0   +-------------+-----------------------------------------------------------+
 *        | kState      |  kRunning | kParked     written by the sleeper (announce,  |
 *        |             |                         unpark) and by ringers (CAS)      |
 *  128   +-------------+-------------+---------------------------------------------+
 *        | kParks      | kNotifies   |  counters, for profilers and tests          |
 *  256   +-------------+-------------+---------------------------------------------+
 *
 * Ringers read kState on every ring; it sits alone on its line so that they keep it
 * cached (shared) until the sleeper actually parks, and the counters, written only on the
 * rare park and notify, never invalidate it.
 *
 * Protocol
 *
 *   Sleeper (the consumer of some rings)
 *     C1. Announce: Atomics.store(kState, kParked).
 *     C2. Re-check every ring it consumes, with Atomics.load of each tail
 *         (`SpscRingConsumer.hasRecords`) and any other wake condition. Work found:
 *         Atomics.store(kState, kRunning) and go run it; do not sleep.
 *     C3. Sleep: Atomics.wait(kState, kParked, timeout) (or Atomics.waitAsync on the
 *         main thread). It returns at once if kState is no longer kParked.
 *     C4. Woken (or timed out): Atomics.store(kState, kRunning), then drain the rings.
 *
 *   Ringer (a producer)
 *     P1. Publish records: Atomics.store of the ring's tail (`SpscRingProducer.commit`).
 *     P2. Atomics.load(kState). kRunning: done, no notify, no write to shared memory.
 *     P3. kParked: Atomics.compareExchange(kState, kParked, kRunning). Whoever wins the
 *         exchange (one ringer per park) bumps kNotifies and calls Atomics.notify(kState).
 *
 * Why no wake-up is lost. All Atomics operations are sequentially consistent: they happen
 * in one total order that every thread agrees on. Suppose the sleeper sleeps in C3 while a
 * record published in P1 sits unseen. The C2 load of that ring's tail did not see P1's
 * store, so it comes before P1 in the total order; C1 comes before C2 (same thread), and
 * P1 before P2 (same thread): C1 < C2 < P1 < P2. So P2 reads kParked, or a later value.
 * If kParked (from this C1): P3's exchange succeeds (only the sleeper's C4 and ringers
 * change it away from kParked, and no other ringer won: if one had, it also notifies).
 * Then either the exchange comes before C3's wait, and the wait sees kRunning and returns
 * at once, or it comes after the wait went to sleep, and the notify, which follows the
 * exchange, finds the sleeper on the wait list (Atomics.wait checks the value and joins
 * the wait list atomically with respect to Atomics.notify). If P2 reads a value from a
 * later C1 (a later park), the same argument applies to that park. Either way the sleeper
 * runs C4 and drains the ring. The argument needs C2 and P1 to be Atomics operations, not
 * plain reads and writes, which is why the rings' tail is only ever touched by Atomics.
 *
 * Why a running sleeper is never notified. P2 reads kRunning whenever no park was
 * announced since the sleeper last ran C2 or C4, and then does nothing. kNotifies counts
 * the notifies; each consumes one kParked value through the exchange, so kNotifies never
 * exceeds kParks. A notify can reach a sleeper that just found work in C2 and re-parked
 * (the ringer read an earlier kParked); that wake is spurious but harmless, as the sleeper
 * re-checks its rings.
 */

import { isMainThread } from 'node:worker_threads';
import { BadArgError } from '../core/errors.ts';

/** Bytes a doorbell takes in a SharedArrayBuffer (byteOffset must be 4-aligned). */
export const kDoorbellBytes = 256;

// Fields, as Int32Array indices from the doorbell's byteOffset.
const kStateIndex = 0;
const kParksIndex = 32; // second 128-byte line
const kNotifiesIndex = 33;

// Values of kState.
const kRunning = 0;
const kParked = 1;

/**
 * How a park ended: `work` (the re-check found work, no sleep), `woken` (rung, or the
 * state changed before the wait began), `timed-out`.
 */
export type ParkOutcome = 'work' | 'woken' | 'timed-out';

/** Returns true when the sleeper has something to do (C2: re-check of its rings). */
export type WorkCheck = () => boolean;

type WaitAsyncResult = { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
// Atomics.waitAsync is in Node 20 but only in TypeScript's ES2024 lib.
const waitAsync = (Atomics as unknown as { waitAsync: (a: Int32Array, i: number, v: number, t?: number) => WaitAsyncResult }).waitAsync;

/** Allocate a SharedArrayBuffer holding one doorbell (all zeros: running, no counts). */
export function createDoorbell(): SharedArrayBuffer {
  return new SharedArrayBuffer(kDoorbellBytes);
}

function attachDoorbell(sab: SharedArrayBuffer, byteOffset: number): Int32Array {
  if (!(sab instanceof SharedArrayBuffer)) throw new BadArgError('doorbell: expected a SharedArrayBuffer');
  if (byteOffset % 4 !== 0 || byteOffset < 0 || byteOffset + kDoorbellBytes > sab.byteLength) {
    throw new BadArgError(`doorbell: bad byteOffset ${byteOffset} in a ${sab.byteLength}-byte SharedArrayBuffer`);
  }
  return new Int32Array(sab, byteOffset, kDoorbellBytes / 4);
}

export interface DoorbellCounters {
  /** Times the sleeper announced a park (C1). */
  parks: number;
  /** Times a ringer called Atomics.notify (P3). Never more than `parks`. */
  notifies: number;
  /** Is the sleeper parked right now? */
  parked: boolean;
}

/** Read a doorbell's counters (any thread; for profilers and tests). */
export function readDoorbellCounters(sab: SharedArrayBuffer, byteOffset = 0): DoorbellCounters {
  const words = attachDoorbell(sab, byteOffset);
  return {
    // These loads make the latest counts visible to the reading thread; they order nothing.
    parks: Atomics.load(words, kParksIndex),
    notifies: Atomics.load(words, kNotifiesIndex),
    parked: Atomics.load(words, kStateIndex) === kParked,
  };
}

/** The sleeping side of a doorbell. Exactly one thread holds it. */
export class DoorbellSleeper {
  private readonly words: Int32Array;
  private parks: number;
  private readonly settleAsync: (r: 'ok' | 'timed-out') => ParkOutcome;

  constructor(sab: SharedArrayBuffer, byteOffset = 0) {
    const words = attachDoorbell(sab, byteOffset);
    this.words = words;
    // Our own counter (only the sleeper writes it); resumes a previous sleeper's count.
    this.parks = Atomics.load(words, kParksIndex);
    // Bound once, so parkAsync allocates no closure per park.
    this.settleAsync = (r) => {
      this.unpark();
      return r === 'ok' ? 'woken' : 'timed-out';
    };
  }

  /**
   * Park this thread until a ringer rings, `timeoutMs` passes, or `hasWork` (the re-check
   * of C2) says there is work. Blocks the thread: only for worker threads.
   * @throws BadArgError on the main thread (use `parkAsync`).
   */
  park(hasWork: WorkCheck, timeoutMs = Infinity): ParkOutcome {
    if (isMainThread) throw new BadArgError('doorbell: park() would block the main event loop; use parkAsync()');
    if (this.announce(hasWork)) return 'work';
    // C3. Sleeps only while kState is still kParked; a ringer's exchange (P3) either
    // came before (then this returns 'not-equal' at once) or its notify wakes us.
    const r = Atomics.wait(this.words, kStateIndex, kParked, timeoutMs);
    this.unpark();
    return r === 'timed-out' ? 'timed-out' : 'woken';
  }

  /**
   * The same protocol without blocking: C3 is an Atomics.waitAsync, so the event loop
   * keeps running while parked. For the main thread (works in workers too).
   */
  parkAsync(hasWork: WorkCheck, timeoutMs = Infinity): Promise<ParkOutcome> {
    if (this.announce(hasWork)) return Promise.resolve('work');
    // C3, asynchronously: resolves when a ringer's notify (P3) reaches kState, or at
    // once if its exchange already took kState away from kParked.
    const w = waitAsync(this.words, kStateIndex, kParked, timeoutMs);
    if (!w.async) {
      this.unpark();
      return Promise.resolve(w.value === 'timed-out' ? 'timed-out' : 'woken');
    }
    return w.value.then(this.settleAsync);
  }

  /** C1 + C2. Returns true if there is work (and we are running again). */
  private announce(hasWork: WorkCheck): boolean {
    // Profilers and tests read the count; orders nothing the protocol depends on.
    Atomics.store(this.words, kParksIndex, ++this.parks);
    // C1. Makes "parked" visible to every ringer's P2 load that comes after it in the
    // total order; in particular, to any ringer whose tail store our C2 loads miss.
    Atomics.store(this.words, kStateIndex, kParked);
    // C2. hasWork's Atomics.loads of the ring tails come after C1 in the total order.
    if (hasWork()) {
      this.unpark();
      return true;
    }
    return false;
  }

  /** C4. Makes "running" visible to ringers, so that they stop notifying. */
  private unpark(): void {
    Atomics.store(this.words, kStateIndex, kRunning);
  }
}

/** The ringing side of a doorbell. Any number of threads may hold one. */
export class DoorbellRinger {
  private readonly words: Int32Array;

  constructor(sab: SharedArrayBuffer, byteOffset = 0) {
    this.words = attachDoorbell(sab, byteOffset);
  }

  /**
   * Wake the sleeper if it is parked. Call after publishing (P1). Returns true if this
   * call notified it. On a running sleeper: one load, no store, no notify.
   */
  ring(): boolean {
    const words = this.words;
    // P2. Sequentially consistent, so ordered after our ring commit (P1): if the sleeper's
    // C2 missed our records, this load sees its C1 "parked".
    if (Atomics.load(words, kStateIndex) !== kParked) return false;
    // P3. Exactly one ringer per park wins; makes "running" visible to the sleeper's C3
    // wait (which then does not sleep) and to other ringers (which then do not notify).
    if (Atomics.compareExchange(words, kStateIndex, kParked, kRunning) !== kParked) return false;
    // Counted before the notify, so a woken sleeper (or a test) already sees it.
    Atomics.add(words, kNotifiesIndex, 1);
    // Wakes the sleeper blocked in Atomics.wait / waiting in Atomics.waitAsync on kState.
    Atomics.notify(words, kStateIndex, 1);
    return true;
  }
}
