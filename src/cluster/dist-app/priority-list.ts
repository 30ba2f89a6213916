/**
 * PriorityList: the node list of a distributed application, Erlang's
 * `{App, Time, [node() | {node(), ...}]}`: ranks in priority order, each rank one node or a
 * set of equal nodes (Erlang's tuple; here an inner array).
 *
 *   const l = PriorityList.from(['a@h', ['b@h', 'c@h']]);
 *   l.rank('a@h') === 0; l.rank('c@h') === 1; l.rank('x@h') === Infinity
 *   l.preferred('b@h', 'c@h') === true      // same rank: the smaller name (see below)
 *
 * Order used everywhere a node is chosen (the same on every node, given the same view):
 *   1. a smaller rank wins;
 *   2. within a rank, the smaller name wins. Erlang picks, within a rank, the node with the
 *      fewest running applications (a weight each node broadcasts); a fixed order needs no
 *      extra round of messages and gives the same answer on every node.
 * `key()` is the list with each rank sorted: two lists are the same when their keys are
 * equal (a rank is a set).
 */
export class PriorityList {
  readonly ranks: readonly (readonly string[])[];
  private readonly rankOf = new Map<string, number>();

  private constructor(ranks: readonly (readonly string[])[]) {
    this.ranks = ranks;
    ranks.forEach((r, i) => r.forEach((n) => this.rankOf.set(n, i)));
  }

  /** From a definition's `distributed.nodes` (already validated by defineApplication) or a peer's `ranks`. */
  static from(nodes: readonly (string | readonly string[])[]): PriorityList {
    return new PriorityList(Object.freeze(nodes.map((r) => Object.freeze(typeof r === 'string' ? [r] : [...r]))));
  }

  rank(node: string): number {
    return this.rankOf.get(node) ?? Infinity;
  }

  has(node: string): boolean {
    return this.rankOf.has(node);
  }

  /** Every node of the list, in priority order. */
  all(): string[] {
    return this.ranks.flat();
  }

  /** Whether `a` is chosen before `b` (rule 1, then rule 2). */
  preferred(a: string, b: string): boolean {
    const ra = this.rank(a);
    const rb = this.rank(b);
    return ra !== rb ? ra < rb : a < b;
  }

  key(): string {
    return JSON.stringify(this.ranks.map((r) => [...r].sort()));
  }
}
