import { afterEach, describe, expect, it } from 'vitest';
import type { LocalNode } from '../../src/core/local-node.ts';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { startTrace, stopTrace } from '../../src/profile/trace/index.ts';
import { Spinner } from './fixtures/trace-actors.ts';

// sampleSlices: N records one slice in N of those the scheduler ran while tracing (the
// scheduler's own slice counter says how many ran), each still with its reductions.

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

describe('timeline trace: sampleSlices', () => {
  it('records one slice in 8', async () => {
    node = await startNode({ schedulers: 0 });
    const sched = (node as LocalNode).scheduler;
    const spinner = await node.spawn(Spinner, [20]);
    node.send(spinner, 'tick');
    const before = sched.counters.slices;
    await startTrace(node, { sampleSlices: 8 });
    // Wait on the slice counter, not a clock: a loaded machine runs fewer slices per ms.
    while (sched.counters.slices - before < 400) await new Promise((r) => setTimeout(r, 10));
    const t = await stopTrace(node);
    const ran = sched.counters.slices - before;
    const kept = t.traceEvents.filter((e) => e.cat === 'slice');
    expect(t.metadata.schedulers[0]!.sampleSlices).toBe(8);
    expect(ran).toBeGreaterThan(200);
    // The recorder counts the slices it saw (some of `ran` were before/after it was set:
    // applyOnSchedulers imports the module asynchronously); 1 in 8 of those are kept.
    const seen = t.metadata.schedulers[0]!.slicesRun;
    expect(seen).toBeLessThanOrEqual(ran);
    expect(seen).toBeGreaterThan(ran / 2);
    expect(kept.length, `ran ${ran} seen ${seen} kept ${kept.length}`).toBe(Math.ceil(seen / 8));
    expect(kept.every((e) => (e.args!.reductions as number) > 0)).toBe(true);
  });
});
