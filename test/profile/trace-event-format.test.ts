import { PerformanceObserver } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { startTrace, stopTrace, type ChromeTrace, type TraceEvent } from '../../src/profile/trace/index.ts';
import { traceEventProblems } from './fixtures/trace-format.ts';
import { Sleeper, Spinner } from './fixtures/trace-actors.ts';

// Every event of a recorded trace against the Trace Event Format's required fields for its
// phase, on a LocalNode and a 2-scheduler ThreadedNode; the busy actor (registered
// 'spinner') appears as slices with reductions on its own scheduler's tid, each thread is
// named, an idle scheduler thread shows parked periods, and the allocating spinner's
// thread shows its GCs.

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

const slicesOf = (t: ChromeTrace, name: string): TraceEvent[] => t.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'slice' && e.name === name);

async function traceFor(n: Node, ms: number): Promise<ChromeTrace> {
  await startTrace(n, { bufferEvents: 50_000 });
  await new Promise((r) => setTimeout(r, ms));
  return stopTrace(n);
}

/**
 * On a LocalNode the actors run on this thread: trace at least `ms`, and on until this
 * thread has reported a GC (waited on, not assumed to fall within a fixed time; bounded by
 * the test's timeout), then one more turn so the recorder's own observer has had it too.
 */
async function traceThisThreadUntilGc(n: Node, ms: number): Promise<ChromeTrace> {
  let sawGc!: () => void;
  const gc = new Promise<void>((r) => (sawGc = r));
  const obs = new PerformanceObserver(() => sawGc());
  await startTrace(n, { bufferEvents: 50_000 });
  obs.observe({ entryTypes: ['gc'] });
  try {
    await Promise.all([new Promise((r) => setTimeout(r, ms)), gc]);
    await new Promise((r) => setImmediate(r));
  } finally {
    obs.disconnect();
  }
  return stopTrace(n);
}

describe('timeline trace: Trace Event Format', () => {
  it('LocalNode: every event valid; the spinner is slices with reductions on tid 0', async () => {
    node = await startNode({ schedulers: 0 });
    const spinner = await node.spawn(Spinner, [2000]);
    await node.register('spinner', spinner);
    await node.spawn(Sleeper);
    node.send(spinner, 'tick');
    const t = await traceThisThreadUntilGc(node, 300);
    expect(traceEventProblems(JSON.parse(JSON.stringify(t)))).toEqual([]);
    expect(t.displayTimeUnit).toBe('ms');
    const meta = t.traceEvents.filter((e) => e.ph === 'M');
    expect(meta.find((e) => e.name === 'process_name')!.args).toEqual({ name: node.name });
    expect(meta.filter((e) => e.name === 'thread_name').map((e) => [e.tid, e.args!.name])).toEqual([[0, 'scheduler 0']]);
    const s = slicesOf(t, 'spinner');
    expect(s.length).toBeGreaterThan(10);
    expect(s.every((e) => e.tid === 0 && e.args!.pid === spinner.toString() && (e.args!.reductions as number) > 0)).toBe(true);
    // Slices of one thread do not overlap and are in time order.
    const all = t.traceEvents.filter((e) => e.cat === 'slice');
    for (let i = 1; i < all.length; i++) expect(all[i]!.ts).toBeGreaterThanOrEqual(all[i - 1]!.ts + all[i - 1]!.dur! - 1);
    // The spinner allocates: its thread's GCs are in the trace.
    expect(t.traceEvents.filter((e) => e.cat === 'gc' && e.tid === 0).length).toBeGreaterThan(0);
    // Epoch microseconds: within a minute of now.
    expect(Math.abs(s[0]!.ts / 1000 - Date.now())).toBeLessThan(60_000);
  });

  it('ThreadedNode (2 schedulers): every event valid; spinner slices on tid 1 only, parked periods on idle tid 0', async () => {
    node = await startNode({ schedulers: 2 });
    const spinner = await node.spawn(Spinner, [2000], { scheduler: 1 });
    await node.register('spinner', spinner);
    await node.spawn(Sleeper, [], { scheduler: 0 });
    node.send(spinner, 'tick');
    const t = await traceFor(node, 400);
    expect(traceEventProblems(JSON.parse(JSON.stringify(t)))).toEqual([]);
    expect(t.traceEvents.filter((e) => e.name === 'thread_name').map((e) => [e.tid, e.args!.name])).toEqual([[0, 'scheduler 0'], [1, 'scheduler 1']]);
    const s = slicesOf(t, 'spinner');
    expect(s.length).toBeGreaterThan(10);
    expect(s.every((e) => e.tid === 1 && (e.args!.reductions as number) > 0 && (e.args!.sends as number) > 0)).toBe(true);
    const parked0 = t.traceEvents.filter((e) => e.cat === 'parked' && e.tid === 0);
    expect(parked0.length).toBeGreaterThan(0);
    // Both threads on one clock: the spinner's slices and scheduler 0's parks overlap in time.
    const [a, b] = [Math.min(...s.map((e) => e.ts)), Math.max(...s.map((e) => e.ts))];
    expect(parked0.some((e) => e.ts <= b && e.ts + e.dur! >= a)).toBe(true);
    // GC entries come from each thread's own observer: the allocating spinner's thread has them.
    expect(t.traceEvents.filter((e) => e.cat === 'gc' && e.tid === 1).length).toBeGreaterThan(0);
    expect(t.metadata.schedulers.map((x) => x.scheduler)).toEqual([0, 1]);
  });
});
