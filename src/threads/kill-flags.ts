/**
 * Kill flags: how an untrappable `exit(pid, 'kill')` reaches an actor that is stuck in an
 * instrumented loop on another scheduler thread.
 *
 * The EXIT record itself travels through the ring (endpoint.ts) like every signal, but a
 * scheduler whose actor runs `while (true) {}` never returns to its loop to drain its
 * rings. Instrumented code does, however, call `ReductionCounter.slow()` every kGrant
 * reductions once its slice is spent, and `slow()` calls the thread's `poll` hook
 * (src/core/reductions.ts). So a kill is also announced in shared memory, where `poll`
 * can see it without touching the rings.
 *
 * Layout (Int32 words of the control region, layout.ts), one block per scheduler k:
 *
 *   killBase + k * (1 + 2E)
 *   +-----+----------------+----------------+-----+--------------------+
 *   | any | id+1 | serial  | id+1 | serial  | ... | id+1 | serial      |
 *   +-----+----------------+----------------+-----+--------------------+
 *          sender 0         sender 1               sender E-1 (gateway)
 *
 *   `any`        non-zero when some sender slot may be set (a summary, so a poll that finds
 *                nothing costs one Atomics.load)
 *   `id + 1`     local id of the target + 1 (0 = slot empty); written only by sender j
 *   `serial`     the target's serial; written by sender j before `id + 1`
 *
 * Protocol (each slot has ONE writer, sender endpoint j, and ONE reader, scheduler k):
 *   1. The sender writes the EXIT 'kill' record into its ring to k and commits it (flush).
 *   2. If its slot is empty (`id + 1` reads 0), it stores `serial`, then `id + 1`, then
 *      sets `any` to 1. If the slot is still full (k has not consumed the previous kill),
 *      the kill waits in the sender's local `pending` list and is retried at the sender's
 *      next flush point (`retry()`): a slot is never overwritten, so no kill is lost.
 *   3. Scheduler k consumes its block in `take()`: from `poll` (in the slow path of a
 *      running actor) and at the start of every drain of its rings. It swaps `any` to 0
 *      first, then for every slot whose `id + 1` is non-zero reads `serial` and clears
 *      `id + 1` (which hands the slot back to its writer).
 *   4. If the taken target is the actor running right now, with the same serial, k applies
 *      the kill at once (the actor ends with reason 'killed', and `poll` makes `slow()`
 *      throw the RunawaySignal that unwinds it). Otherwise nothing is done: the EXIT record
 *      committed in step 1 is already in the ring and is handled by the next drain.
 *
 * Why the order is safe: `Atomics.store`/`Atomics.load` are sequentially consistent. The
 * sender's store of `serial` happens before its store of `id + 1`, so a reader that sees
 * `id + 1` non-zero sees that serial; the writer never writes a slot again until it sees
 * `id + 1` back at 0, so the pair cannot tear. `any` is set after the slot, and the reader
 * clears `any` before scanning, so a slot set after the scan leaves `any` at 1 for the
 * next poll.
 */

import type { Pid } from '../core/pid.ts';
import type { NodeLayout } from './layout.ts';

export class KillFlags {
  private readonly control: Int32Array;
  private readonly endpoints: number;
  private readonly killBase: number;
  private readonly killStride: number;
  /** This endpoint's index: the sender slot it writes in every block. */
  private readonly self: number;
  /** Kills whose slot was full: [targetScheduler, id, serial] triples, retried in order. */
  private readonly pending: number[] = [];

  constructor(sab: SharedArrayBuffer, layout: NodeLayout, self: number) {
    this.control = new Int32Array(sab, 0, layout.controlWords);
    this.endpoints = layout.endpoints;
    this.killBase = layout.killBase;
    this.killStride = layout.killStride;
    this.self = self;
  }

  /** Sender side, step 2: announce a kill of `target` (its EXIT record is already committed). */
  request(target: Pid): void {
    const k = target.id % this.endpoints;
    if (this.pending.length > 0 || !this.tryWrite(k, target.id, target.serial)) this.pending.push(k, target.id, target.serial);
  }

  /** Kills still waiting for a free slot. */
  get pendingCount(): number {
    return this.pending.length / 3;
  }

  /** Sender side: write the pending kills whose slot is free again (in order). */
  retry(): void {
    const p = this.pending;
    let i = 0;
    while (i < p.length && this.tryWrite(p[i]!, p[i + 1]!, p[i + 2]!)) i += 3;
    if (i > 0) p.splice(0, i);
  }

  private tryWrite(k: number, id: number, serial: number): boolean {
    const c = this.control;
    const block = this.killBase + k * this.killStride;
    const slot = block + 1 + 2 * this.self;
    // Is the slot ours again? (Reads the reader's clear of step 3.)
    if (Atomics.load(c, slot) !== 0) return false;
    // Publishes the serial to scheduler k before the id that makes the slot visible.
    Atomics.store(c, slot + 1, serial | 0);
    // Makes the slot visible to scheduler k's take(); its serial store is ordered before.
    Atomics.store(c, slot, (id + 1) | 0);
    // Tells scheduler k's next poll that some slot of its block may be set.
    Atomics.store(c, block, 1);
    return true;
  }

  /**
   * Reader side, step 3 (on scheduler `k`): consume every set slot of this scheduler's block,
   * calling `onKill(id, serial, sender)` for each. Returns the number consumed.
   */
  take(k: number, onKill: (id: number, serial: number, sender: number) => void): number {
    const c = this.control;
    const block = this.killBase + k * this.killStride;
    // Cheap check first: nothing announced since the last take (sees the senders' `any` store).
    if (Atomics.load(c, block) === 0) return 0;
    // Clear the summary before scanning: a slot set after this keeps `any` at 1.
    Atomics.store(c, block, 0);
    let n = 0;
    for (let j = 0; j < this.endpoints; j++) {
      const slot = block + 1 + 2 * j;
      // Sees sender j's `id + 1` store, and therefore its earlier serial store.
      const idPlus1 = Atomics.load(c, slot);
      if (idPlus1 === 0) continue;
      const serial = Atomics.load(c, slot + 1) >>> 0;
      // Hands the slot back to sender j (its tryWrite sees 0).
      Atomics.store(c, slot, 0);
      n++;
      onKill((idPlus1 - 1) >>> 0, serial, j);
    }
    return n;
  }
}
