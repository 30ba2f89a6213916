/**
 * The split-brain resolver's decision (issue 14, point 4), as Akka's SBR: when some
 * members have been unreachable and the view has not changed for `stableAfter`, each side
 * of a partition decides on its own — from the same rules and, once the view is stable,
 * the same facts — which side keeps running. Pure: no clock, no I/O; the membership
 * server (membership-server.ts) feeds it views and the time.
 *
 * Strategies (n = members in the resolver's set, r = those reachable from here, self
 * included):
 *   keep-majority  r > n/2 keeps; r == n/2 keeps the side holding the lowest member
 *                  name of all n; otherwise down ourselves.
 *   static-quorum  r >= quorumSize keeps; otherwise down ourselves.
 *   keep-oldest    the side holding the oldest member (smallest `age`, then name) keeps;
 *                  with downIfAlone, an oldest member cut off alone while the other side
 *                  has 2 or more loses instead (the others keep).
 *   down-all       any unreachable member: everybody downs itself.
 *
 * Stability, in steps (SplitBrainResolver):
 *   1. observe(view, now): the set of members and which are reachable; any change of
 *      either from the previous view restarts the stable-after clock.
 *   2. dueAt(): when a decision is due (Infinity while everything is reachable or a
 *      decision for this view was made).
 *   3. decide(now): at or after dueAt, the decision for the current view, once. After
 *      `keep` the caller leaves the downed members out of later views until they are
 *      alive again (then they are members again, as a rejoin); after `down-self` the
 *      caller stops or waits (its option) and keeps observing.
 *
 * Erlang mapping: none in OTP (global's prevent_overlapping_partitions only disconnects
 * nodes that are not fully connected); this is Akka's split-brain resolver.
 */
export type SplitBrainStrategy = 'keep-majority' | 'static-quorum' | 'keep-oldest' | 'down-all';

export interface SplitBrainPolicy {
  readonly strategy: SplitBrainStrategy;
  /** static-quorum: the least number of reachable members (self included) that keeps running. */
  readonly quorumSize?: number;
  /** keep-oldest: an oldest member alone on its side loses to a side of 2 or more. */
  readonly downIfAlone?: boolean;
}

/** One member as the resolver sees it. */
export interface SbrMember {
  readonly name: string;
  /** Smaller is older: the member's start time (ms), ties broken by name. */
  readonly age: number;
  readonly reachable: boolean;
}

export type SplitBrainDecision =
  | { readonly action: 'keep'; readonly down: readonly string[]; readonly reachable: readonly string[] }
  | { readonly action: 'down-self'; readonly reachable: readonly string[]; readonly unreachable: readonly string[] };

function older(a: SbrMember, b: SbrMember): boolean {
  return a.age < b.age || (a.age === b.age && a.name < b.name);
}

/** The decision for `members` (self among them, reachable). Pure. */
export function decideSplitBrain(policy: SplitBrainPolicy, members: readonly SbrMember[]): SplitBrainDecision {
  const reachable = members.filter((m) => m.reachable).map((m) => m.name).sort();
  const unreachable = members.filter((m) => !m.reachable).map((m) => m.name).sort();
  const keep: SplitBrainDecision = { action: 'keep', down: unreachable, reachable };
  const lose: SplitBrainDecision = { action: 'down-self', reachable, unreachable };
  if (unreachable.length === 0) return keep;
  const n = members.length;
  const r = reachable.length;
  switch (policy.strategy) {
    case 'keep-majority': {
      if (2 * r > n) return keep;
      if (2 * r < n) return lose;
      const lowest = members.map((m) => m.name).sort()[0]!;
      return reachable.includes(lowest) ? keep : lose;
    }
    case 'static-quorum':
      return r >= (policy.quorumSize ?? Infinity) ? keep : lose;
    case 'keep-oldest': {
      let oldest = members[0]!;
      for (const m of members) if (older(m, oldest)) oldest = m;
      if (oldest.reachable) {
        if (policy.downIfAlone === true && r === 1 && unreachable.length >= 2) return lose;
        return keep;
      }
      if (policy.downIfAlone === true && unreachable.length === 1 && r >= 2) return keep;
      return lose;
    }
    case 'down-all':
      return lose;
  }
}

/** Steps 1-3: the stable-after clock around decideSplitBrain. */
export class SplitBrainResolver {
  private readonly members = new Map<string, SbrMember>();
  private signature = '';
  private changedAt = 0;
  private decided = true;

  constructor(
    readonly policy: SplitBrainPolicy,
    readonly stableAfterMs: number,
  ) {}

  /** Step 1: the current view (every member not downed and not left, self included). */
  observe(view: readonly SbrMember[], now: number): void {
    this.members.clear();
    for (const m of view) this.members.set(m.name, m);
    const sig = [...this.members.values()].map((m) => `${m.name}:${m.reachable ? 1 : 0}`).sort().join(',');
    if (sig === this.signature) return;
    this.signature = sig;
    this.changedAt = now;
    this.decided = ![...this.members.values()].some((m) => !m.reachable);
  }

  /** Step 2. */
  dueAt(): number {
    return this.decided ? Infinity : this.changedAt + this.stableAfterMs;
  }

  /** Step 3: the decision if due (once per stable view), else undefined. */
  decide(now: number): SplitBrainDecision | undefined {
    if (this.decided || now < this.dueAt()) return undefined;
    this.decided = true;
    return decideSplitBrain(this.policy, [...this.members.values()]);
  }
}
