/**
 * `switchboard top`'s keys: what a chunk of raw-mode stdin means.
 *   r -> sort by reductions/s, m -> by mailbox length, y -> by memory (the last letter of
 *   "memory": m is taken by mailbox), q or Q or Ctrl-C (0x03: raw mode turns it into a
 *   byte instead of SIGINT) -> quit. Anything else is ignored. A chunk holding several
 *   keys (typed fast, or pasted) is read key by key; the last action wins, quit always wins.
 * Erlang mapping: none; etop is not interactive (its sort is the `sort` option, fixed at start).
 */
import type { ActorSort } from '../actor-view.ts';

export type TopKeyAction = { readonly kind: 'sort'; readonly sort: ActorSort } | { readonly kind: 'quit' };

const kSortKeys: Readonly<Record<string, ActorSort>> = { r: 'reductions', m: 'mailbox', y: 'memory' };

/** The action of a chunk of input, or null. */
export function keyAction(chunk: string): TopKeyAction | null {
  let out: TopKeyAction | null = null;
  for (const ch of chunk) {
    if (ch === 'q' || ch === 'Q' || ch === '\u0003') return { kind: 'quit' };
    const sort = kSortKeys[ch];
    if (sort !== undefined) out = { kind: 'sort', sort };
  }
  return out;
}
