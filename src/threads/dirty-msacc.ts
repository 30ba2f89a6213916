/**
 * Microstates of a dirty pool, the pool's side: one microstate area (core/microstate.ts)
 * with a block per possible pool thread ("slot", maxThreads of them), sampled by the
 * process's sampler (msacc-sampler.ts) like a node's scheduler threads; the threads claim
 * their blocks (dirty-thread-msacc.ts, which draws the claim words).
 *
 *   1. Constructed with the pool: the area and the claim words, every slot's word set to
 *      `parked` (no thread yet = a dirty scheduler with no work); `intervalMs` null
 *      (`msacc: false`) registers nothing, else sampleArea(area, 0, slots, intervalMs).
 *   2. `share` goes to every pool thread in its workerData (step 1 of dirty-thread-msacc.ts).
 *   3. `release(threadId)` (piscina's 'workerDestroy'): the slot held by that thread reads
 *      parked again and becomes free for the next thread.
 *   4. `report()`: one entry per slot, the thread holding it (or null) and its microstates
 *      (readMicrostates), for node.stats().dirty.threads.
 *   5. `stop()` (the pool's destroy): unregister from the sampler.
 * Erlang mapping: msacc's dirty_cpu_scheduler entries, one per dirty scheduler.
 */
import { kMsParked, microstateWord, msaccBytes, readMicrostates, type MicrostateReport } from '../core/microstate.ts';
import type { DirtyMsaccShare } from './dirty-thread-msacc.ts';
import { sampleArea } from './msacc-sampler.ts';

/** One dirty thread slot in node.stats().dirty.threads. */
export interface DirtyThreadStats {
  /** The slot (a dirty scheduler's number). */
  readonly slot: number;
  /** The pool thread holding the slot now, null when none does (ended after its idle timeout, or not started). */
  readonly threadId: number | null;
  /** Its microstates since the pool started (samples 0 with `msacc: false`): actor, housekeeping, idle, parked, gc. */
  readonly msacc: MicrostateReport;
}

export class DirtyMsacc {
  readonly share: DirtyMsaccShare;
  private readonly claims: Int32Array;
  private unsample: (() => void) | null;

  /** Step 1. */
  constructor(slots: number, intervalMs: number | null) {
    const area = new SharedArrayBuffer(msaccBytes(slots));
    const claims = new SharedArrayBuffer(slots * 4);
    this.share = { area, claims, slots };
    this.claims = new Int32Array(claims);
    for (let t = 0; t < slots; t++) microstateWord(area, 0, t)[0] = kMsParked;
    this.unsample = intervalMs === null ? null : sampleArea(area, 0, slots, intervalMs);
  }

  /** Step 3. */
  release(threadId: number): void {
    for (let t = 0; t < this.share.slots; t++) {
      if (Atomics.load(this.claims, t) !== threadId) continue;
      Atomics.store(microstateWord(this.share.area, 0, t), 0, kMsParked);
      Atomics.compareExchange(this.claims, t, threadId, 0);
      return;
    }
  }

  /** Step 4. */
  report(): DirtyThreadStats[] {
    const out: DirtyThreadStats[] = [];
    for (let t = 0; t < this.share.slots; t++) {
      const id = Atomics.load(this.claims, t);
      out.push({ slot: t, threadId: id === 0 ? null : id, msacc: readMicrostates(this.share.area, 0, t) });
    }
    return out;
  }

  /** Step 5 (idempotent). */
  stop(): void {
    this.unsample?.();
    this.unsample = null;
  }
}
