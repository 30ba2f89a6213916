/**
 * The lifetime log of proxima instances: one JSON line per event, appended to a file
 * shared by every node process of the example (same host). The dist-app test reads it to
 * check that no two instances ever served at the same time.
 *
 *   { instance: 'b@127.0.0.1/<0.41.0>', node, event, t, startType }
 *   event: 'proc_start'  the server process was started (init)
 *          'serve_start' it began serving requests (the 'go' start phase)
 *          'serve_stop'  it stopped serving (handed off to a taker, or shut down)
 *          'proc_stop'   the server process ended (terminate)
 * A node killed with kill -9 writes nothing more: its last interval ends at the kill.
 * Lines are appended with one write each (appendFileSync, O_APPEND), so lines of different
 * processes never interleave.
 */
import { appendFileSync, readFileSync } from 'node:fs';

export type LifetimeEvent = 'proc_start' | 'serve_start' | 'serve_stop' | 'proc_stop';

export interface LifetimeRecord {
  readonly instance: string;
  readonly node: string;
  readonly event: LifetimeEvent;
  readonly t: number;
  readonly startType: unknown;
}

export function record(file: string | null, r: Omit<LifetimeRecord, 't'>): void {
  if (file === null) return;
  appendFileSync(file, JSON.stringify({ ...r, t: Date.now() }) + '\n');
}

export function readLifetimes(file: string): LifetimeRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as LifetimeRecord);
}

/** Serving intervals per instance, in start order; an open one ends at `endOpen` (e.g. the kill time). */
export function servingIntervals(records: readonly LifetimeRecord[], endOpen: (instance: string) => number): { instance: string; node: string; from: number; to: number; startType: unknown }[] {
  const out: { instance: string; node: string; from: number; to: number; startType: unknown }[] = [];
  for (const r of records) {
    if (r.event === 'serve_start') out.push({ instance: r.instance, node: r.node, from: r.t, to: NaN, startType: r.startType });
    if (r.event === 'serve_stop') {
      const open = out.find((i) => i.instance === r.instance && Number.isNaN(i.to));
      if (open !== undefined) open.to = r.t;
    }
  }
  for (const i of out) if (Number.isNaN(i.to)) i.to = endOpen(i.instance);
  return out.sort((a, b) => a.from - b.from);
}
