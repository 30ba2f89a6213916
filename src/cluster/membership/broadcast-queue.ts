/**
 * The transmit-limited claim queue (memberlist's TransmitLimitedQueue): claims waiting to
 * be piggybacked on outgoing messages, each sent a bounded number of times.
 *
 *   1. one pending claim per member: a newer claim about a member replaces the older one
 *      (it carries the same or newer information) and starts at 0 transmits;
 *   2. `take(max, limit)` returns up to `max` claims, those sent the fewest times first
 *      (FIFO among equals), and counts one transmit for each;
 *   3. a claim that has been sent `limit` times is dropped (limit = λ·ceil(log10(n+1)),
 *      options.ts), so dissemination costs O(log n) messages per claim per node.
 *
 * Stored as buckets by transmit count, so a take costs O(max + buckets), not a sort.
 */
import type { Claim, MemberName } from './types.ts';

interface Entry {
  claim: Claim;
  transmits: number;
}

export class BroadcastQueue {
  private readonly byNode = new Map<MemberName, Entry>();
  /** buckets[t]: the entries sent t times, in insertion order. */
  private readonly buckets: Array<Set<Entry>> = [];

  get size(): number {
    return this.byNode.size;
  }

  /** Step 1: queue `claim`, replacing any pending claim about the same member. */
  push(claim: Claim): void {
    const old = this.byNode.get(claim.node);
    if (old !== undefined) this.buckets[old.transmits]!.delete(old);
    const e: Entry = { claim, transmits: 0 };
    this.byNode.set(claim.node, e);
    this.bucket(0).add(e);
  }

  /** Steps 2-3. */
  take(max: number, limit: number): Claim[] {
    const picked: Entry[] = [];
    for (let t = 0; t < this.buckets.length && picked.length < max; t++) {
      const b = this.buckets[t]!;
      for (const e of b) {
        if (e.transmits >= limit) continue;
        picked.push(e);
        if (picked.length >= max) break;
      }
    }
    const out: Claim[] = [];
    for (const e of picked) {
      out.push(e.claim);
      this.buckets[e.transmits]!.delete(e);
      e.transmits++;
      if (e.transmits >= limit) this.byNode.delete(e.claim.node);
      else this.bucket(e.transmits).add(e);
    }
    return out;
  }

  /** Drop every pending claim (used when the node stops). */
  clear(): void {
    this.byNode.clear();
    this.buckets.length = 0;
  }

  private bucket(t: number): Set<Entry> {
    while (this.buckets.length <= t) this.buckets.push(new Set());
    return this.buckets[t]!;
  }
}
