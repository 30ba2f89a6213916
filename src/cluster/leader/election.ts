/**
 * Election: what a GenLeader callback is told about the election it runs in — a frozen
 * snapshot made for each callback, as gen_leader passes its `#election{}` record — and
 * the accessors of gen_leader's API on it.
 *
 *   leaderNode(e)  the node this server follows as leader (itself when it leads), or
 *                  undefined while an election is under way
 *   alive(e)       the members (candidates and workers) whose server this one currently
 *                  sees running, itself included, in election order (candidates by
 *                  priority, then workers)
 *   candidates(e)  the configured candidates, highest priority first
 *   workers(e)     the configured workers (nodes that follow but never lead)
 *
 * Priority: a candidate's position in `candidates` — the first is the highest.
 */

export interface Election {
  /** The election's name (the name the GenLeader is registered under on every node). */
  readonly name: string;
  /** The node this snapshot was taken on. */
  readonly node: string;
  /** The node followed as leader, undefined while an election is under way. */
  readonly leader: string | undefined;
  /** The leader's incarnation and claim round (its election id), when there is a leader. */
  readonly incarnation: number | undefined;
  readonly round: number | undefined;
  readonly alive: readonly string[];
  readonly candidates: readonly string[];
  readonly workers: readonly string[];
}

export function leaderNode(e: Election): string | undefined {
  return e.leader;
}

export function alive(e: Election): readonly string[] {
  return e.alive;
}

export function candidates(e: Election): readonly string[] {
  return e.candidates;
}

export function workers(e: Election): readonly string[] {
  return e.workers;
}

/** Priority rank of `node`: its index in `candidates`, Infinity for a worker or stranger. */
export function rankOf(candidatesList: readonly string[], node: string): number {
  const i = candidatesList.indexOf(node);
  return i < 0 ? Infinity : i;
}

/** `nodes` in election order: candidates by priority, then workers in their order. */
export function inElectionOrder(candidatesList: readonly string[], workersList: readonly string[], nodes: Iterable<string>): string[] {
  const set = new Set(nodes);
  return [...candidatesList, ...workersList].filter((n) => set.has(n));
}
