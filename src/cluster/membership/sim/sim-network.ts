/**
 * The simulated network between membership nodes: for every message it decides whether
 * it arrives and after how long, from a seeded random stream.
 *
 *   1. a blocked direction (a partition side to another, or a one-way block) drops it;
 *   2. otherwise it is lost with probability `loss` (independently per message);
 *   3. otherwise it arrives after `latencyMs + Exp(jitterMs)` milliseconds (so messages
 *      may overtake each other, as datagrams do).
 *
 * Partitions are rules "from any node of A to any node of B"; `partition(A, B)` adds both
 * directions, `blockOneWay(A, B)` one, `heal()` removes them all.
 */
import type { SeededRandom } from './seeded-random.ts';

export interface LinkOptions {
  /** Fixed part of the one-way delay, milliseconds. Default 1. */
  readonly latencyMs?: number;
  /** Mean of the exponential extra delay, milliseconds. Default 1. */
  readonly jitterMs?: number;
  /** Probability that one message is lost, in [0, 1). Default 0. */
  readonly loss?: number;
}

interface BlockRule {
  readonly from: ReadonlySet<string>;
  readonly to: ReadonlySet<string>;
}

export class SimNetwork {
  latencyMs: number;
  jitterMs: number;
  loss: number;
  private rules: BlockRule[] = [];

  constructor(private readonly random: SeededRandom, opts: LinkOptions = {}) {
    this.latencyMs = opts.latencyMs ?? 1;
    this.jitterMs = opts.jitterMs ?? 1;
    this.loss = opts.loss ?? 0;
  }

  /** Symmetric partition: no message between a node of `a` and a node of `b`. */
  partition(a: Iterable<string>, b: Iterable<string>): void {
    const sa = new Set(a);
    const sb = new Set(b);
    this.rules.push({ from: sa, to: sb }, { from: sb, to: sa });
  }

  /** One-way partition: messages from `from` to `to` are dropped, the other way works. */
  blockOneWay(from: Iterable<string>, to: Iterable<string>): void {
    this.rules.push({ from: new Set(from), to: new Set(to) });
  }

  heal(): void {
    this.rules = [];
  }

  /** Whether the direction from -> to is open (no rule blocks it). */
  reachable(from: string, to: string): boolean {
    for (const r of this.rules) if (r.from.has(from) && r.to.has(to)) return false;
    return true;
  }

  /** Steps 1-3: the delay in milliseconds, or -1 if the message is dropped. */
  decide(from: string, to: string): number {
    if (!this.reachable(from, to)) return -1;
    if (this.loss > 0 && this.random.next() < this.loss) return -1;
    return this.latencyMs + (this.jitterMs > 0 ? this.random.exponential(this.jitterMs) : 0);
  }
}
