/**
 * Microstate shares over an interval: the states' shares of the samples taken between two
 * readings of one thread (node.stats() at two times), and its GC ms in between. Used by
 * `switchboard top` (actor-view.ts, top/render.ts).
 *   1. n = b.samples - a.samples; no samples (sampler off, or too short): null.
 *   2. share[s] = (b.fractions[s] * b.samples - a.fractions[s] * a.samples) / n.
 * Erlang mapping: msacc:stats/2's per-interval view.
 */
import { kMsStateNames, type Microstate, type MicrostateReport } from '../../core/microstate.ts';

export interface MicrostateShares {
  readonly shares: Readonly<Record<Microstate, number>>;
  readonly gcMs: number;
  readonly samples: number;
}

export function microstateShares(a: MicrostateReport | undefined, b: MicrostateReport | undefined): MicrostateShares | null {
  if (a === undefined || b === undefined) return null;
  const n = b.samples - a.samples;
  if (!(n > 0)) return null;
  const shares = {} as Record<Microstate, number>;
  for (const k of kMsStateNames) shares[k] = Math.max(0, (b.fractions[k] * b.samples - a.fractions[k] * a.samples) / n);
  return { shares, gcMs: b.gcMs - a.gcMs, samples: n };
}
