/**
 * The dirty pool's threads over an interval, for `switchboard top` and the observer page:
 * node.stats().dirty.threads (threads/dirty-msacc.ts) at two readings, turned into each
 * thread slot's microstate shares (shares.ts).
 *   1. No dirty pool in the report (not used yet, or a LocalNode): [].
 *   2. Per slot of the newer reading: its shares against the same slot of the older one
 *      (null before a second reading, or with msacc off), and the thread holding it now.
 * Erlang mapping: msacc's per-thread lines of the dirty_cpu_scheduler type.
 */
import type { MicrostateReport } from '../../core/microstate.ts';
import { microstateShares, type MicrostateShares } from './shares.ts';

export interface DirtyThreadView {
  readonly slot: number;
  readonly threadId: number | null;
  readonly msacc: MicrostateShares | null;
}

interface DirtySlotReading {
  readonly slot: number;
  readonly threadId: number | null;
  readonly msacc: MicrostateReport;
}

/** The `dirty.threads` of a stats report, or [] (step 1). */
function slots(report: unknown): readonly DirtySlotReading[] {
  const d = (report as { dirty?: { threads?: unknown } } | null | undefined)?.dirty;
  return d !== null && d !== undefined && Array.isArray(d.threads) ? (d.threads as DirtySlotReading[]) : [];
}

/** Step 2: `before` and `now` are node.stats() reports (before may be undefined). */
export function dirtyThreadViews(before: unknown, now: unknown): DirtyThreadView[] {
  const prev = slots(before);
  return slots(now).map((t, i) => ({ slot: t.slot, threadId: t.threadId, msacc: microstateShares(prev[i]?.msacc, t.msacc) }));
}
