/**
 * One suspicion timer with Lifeguard's dynamic timeout (the "LHA-Suspicion" of the
 * Lifeguard paper, as memberlist does it).
 *
 * A member suspected by us gets the MAXIMUM timeout; every further member that
 * independently suspects it (a suspect claim with a new `from`) shortens it, down to the
 * MINIMUM once the expected number k of confirmations has arrived:
 *   1. timeout(c) = max(min, max - (max - min) * log(c + 1) / log(k + 1))   (c confirmations)
 *   2. k = 0 -> the timeout is the minimum at once (too few members to confirm);
 *   3. the deadline is `start + timeout(c)`; it only ever moves earlier;
 *   4. a confirmer counts once; the first suspector (`from` at start) does not count.
 *
 * Erlang mapping: none; a full mesh declares a node down after one missed net tick window.
 */
import type { MemberName } from './types.ts';

export class SuspicionTimer {
  readonly startedAt: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly expected: number;
  private readonly confirmers = new Set<MemberName>();
  private deadlineAt: number;

  constructor(now: number, from: MemberName, minMs: number, maxMs: number, expected: number) {
    this.startedAt = now;
    this.minMs = minMs;
    this.maxMs = Math.max(minMs, maxMs);
    this.expected = expected;
    this.confirmers.add(from);
    this.deadlineAt = now + (expected < 1 ? minMs : this.maxMs);
  }

  /** The time at which the suspect is declared dead unless it refutes. */
  get deadline(): number {
    return this.deadlineAt;
  }

  /** How many independent confirmations arrived (step 4). */
  get confirmations(): number {
    return this.confirmers.size - 1;
  }

  /**
   * Record a suspect claim by `from`. Returns true when it is a new confirmation (the
   * caller re-gossips the claim then), false for a repeat or when no more are useful.
   */
  confirm(from: MemberName): boolean {
    if (this.expected < 1 || this.confirmations >= this.expected || this.confirmers.has(from)) return false;
    this.confirmers.add(from);
    const c = this.confirmations;
    const frac = Math.log(c + 1) / Math.log(this.expected + 1);
    const timeout = Math.max(this.minMs, this.maxMs - (this.maxMs - this.minMs) * frac);
    this.deadlineAt = Math.min(this.deadlineAt, this.startedAt + timeout);
    return true;
  }
}
