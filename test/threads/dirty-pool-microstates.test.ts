import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MicrostateReport } from '../../src/core/microstate.ts';
import { startNode } from '../../src/dist/start-node.ts';
import type { ThreadedNode } from '../../src/threads/index.ts';
import type { DirtyThreadStats } from '../../src/threads/dirty-msacc.ts';
import { msaccDelta } from '../profile/fixtures/msacc-actors.ts';
import { DirtyUser } from './fixtures/dirty-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// Each dirty pool thread has its own microstates in node.stats().dirty.threads (one entry
// per slot, maxThreads of them): a CPU-bound task shows as actor time on the one thread
// running it while the other slots stay parked; once it is done, every slot is parked
// (or idle), no actor time; an allocating task's GC pauses count on its thread's slot.

const tasks = new URL('./fixtures/dirty-tasks.ts', import.meta.url).href;

let node: ThreadedNode | undefined;
beforeAll(async () => {
  node = await startNode({ schedulers: 1 });
});
afterAll(() => node?.stop());

const threads = (n: ThreadedNode): DirtyThreadStats[] => n.stats().dirty!.threads;
const samples = (ts: DirtyThreadStats[]): number => ts[0]!.msacc.samples;
const actorCount = (m: MicrostateReport): number => m.fractions.actor * m.samples;

/** Poll until `n` more samples than `from` were taken (the area's ticks are common to its slots). */
async function waitSamples(n: ThreadedNode, from: DirtyThreadStats[], k: number): Promise<DirtyThreadStats[]> {
  return eventually(async () => threads(n), (ts) => samples(ts) - samples(from) >= k, 20_000);
}

describe('dirty pool: microstates per thread', () => {
  it('a spinning task is actor time on one dirty thread; an idle pool is parked', async () => {
    const user = await node!.spawn(DirtyUser, []);
    await node!.call(user, { dirty: { module: tasks, export: 'spin', args: [2000] } });
    // Wait until the task runs on its thread (past the thread's start and the module's import).
    const start = await eventually(async () => threads(node!), (ts) => ts.some((t) => actorCount(t.msacc) > 20), 20_000);
    const end = await waitSamples(node!, start, 100);
    const shares = end.map((t, i) => msaccDelta(start[i]!.msacc, t.msacc));
    const busy = shares.findIndex((s) => s['actor']! > 0.6);
    expect(busy).toBeGreaterThanOrEqual(0);
    expect(end[busy]!.threadId).toEqual(expect.any(Number));
    shares.forEach((s, i) => {
      if (i !== busy) expect(s['parked']).toBeGreaterThan(0.9);
    });
    await eventually(() => node!.call(user, 'results') as Promise<unknown[]>, (r) => r.length === 1, 20_000);
    const idle0 = await eventually(async () => node!.stats().dirty!, (d) => d.running === 0, 5000);
    const idle1 = await waitSamples(node!, idle0.threads, 100);
    for (let i = 0; i < idle1.length; i++) {
      const s = msaccDelta(idle0.threads[i]!.msacc, idle1[i]!.msacc);
      expect(s['actor']).toBeLessThan(0.05);
      expect(s['parked']! + s['idle']!).toBeGreaterThan(0.9);
    }
    expect(idle1[busy]!.msacc.ms.actor).toBeGreaterThan(0);
    expect(idle1[busy]!.msacc.intervalMs).toBe(1);
  }, 40_000);

  it('counts the GC pauses of the dirty thread that allocates', async () => {
    const n = node!;
    const user = await n.spawn(DirtyUser, []);
    const before = threads(n);
    const gcs = (ts: DirtyThreadStats[]): number => ts.reduce((a, t, i) => a + t.msacc.gcCount - before[i]!.msacc.gcCount, 0);
    await n.call(user, { dirty: { module: tasks, export: 'churn', args: [2_000_000] } });
    await eventually(() => n.call(user, 'results') as Promise<unknown[]>, (r) => r.length === 1, 20_000);
    // The thread's observer adds its pauses at its next event-loop turn, right after the task.
    const after = await eventually(async () => threads(n), (ts) => gcs(ts) > 0, 5000);
    expect(gcs(after)).toBeGreaterThan(0);
    expect(after.reduce((a, t) => a + t.msacc.gcMs, 0)).toBeGreaterThan(before.reduce((a, t) => a + t.msacc.gcMs, 0));
  }, 40_000);
});
