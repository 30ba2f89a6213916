import { afterEach, describe, expect, it } from 'vitest';
import type { MicrostateReport } from '../../src/core/microstate.ts';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Allocator } from './fixtures/msacc-actors.ts';

// GC is measured exactly per thread (PerformanceObserver 'gc'): an allocating actor's
// scheduler thread reports GC pauses (ThreadedNode), and a LocalNode's thread reports
// the pauses of its own allocations. Waited on (bounded by the test's timeout).

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

const sched = (n: Node, k: number) => (): MicrostateReport => n.stats().schedulers[k]!['msacc'] as MicrostateReport;

async function untilGc(read: () => MicrostateReport, over: number): Promise<MicrostateReport> {
  for (;;) {
    const r = read();
    if (r.gcCount > over) return r;
    await new Promise((res) => setTimeout(res, 10));
  }
}

describe('msacc: GC', () => {
  it('ThreadedNode: the allocating actor\'s scheduler reports GC pauses', async () => {
    node = await startNode({ schedulers: 2 });
    const p = await node.spawn(Allocator, [5000], { scheduler: 1 });
    const before = sched(node, 1)();
    node.send(p, 'go');
    const r = await untilGc(sched(node, 1), before.gcCount + 2);
    expect(r.gcMs).toBeGreaterThan(before.gcMs);
  }, 20_000);

  it('LocalNode: garbage made on this thread shows as its GC', async () => {
    node = await startNode({ schedulers: 0 });
    const before = sched(node, 0)();
    let keep: unknown[] = [];
    for (let i = 0; i < 2_000_000; i++) {
      keep.push({ i });
      if (keep.length > 10_000) keep = [];
    }
    const r = await untilGc(sched(node, 0), before.gcCount);
    expect(r.gcMs).toBeGreaterThan(before.gcMs);
    expect(keep.length).toBeGreaterThanOrEqual(0);
  }, 20_000);
});
