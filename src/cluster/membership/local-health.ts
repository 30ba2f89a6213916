/**
 * Lifeguard's local health multiplier (LHM, memberlist's "awareness"): a score in
 * [0, max - 1] that says how much this node distrusts ITSELF. A node that misses acks
 * because it is slow (CPU starved, GC pause, saturated link) should not accuse others;
 * instead it probes less often and waits longer:
 *   1. +1 when a probe of ours fails (no ack, direct or indirect);
 *   2. +1 per relay that did not even send a nack (the relays are alive: their silence
 *      means our own messages are getting lost);
 *   3. +1 when we have to refute a suspicion about ourselves;
 *   4. -1 when a probe succeeds;
 *   5. probe interval and probe timeout are multiplied by (score + 1).
 */
export class LocalHealth {
  private value = 0;
  constructor(private readonly max: number) {}

  get score(): number {
    return this.value;
  }

  /** Apply a delta (steps 1-4), clamped to [0, max - 1]. */
  apply(delta: number): void {
    this.value = Math.min(this.max - 1, Math.max(0, this.value + delta));
  }

  /** Step 5: a duration scaled by the current health. */
  scale(ms: number): number {
    return ms * (this.value + 1);
  }
}
