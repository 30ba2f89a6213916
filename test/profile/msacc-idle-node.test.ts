import { afterEach, describe, expect, it } from 'vitest';
import type { MicrostateReport } from '../../src/core/microstate.ts';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import type { ThreadedNode } from '../../src/threads/threaded-node.ts';
import { msaccDelta, waitSamples } from './fixtures/msacc-actors.ts';

// An idle node: its scheduler threads are mostly parked (ThreadedNode; spinning counts
// only the spin before each park), the embedding thread mostly idle (outside the
// scheduler); a LocalNode's one thread is mostly idle.

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

const sched = (n: Node, k: number) => (): MicrostateReport => n.stats().schedulers[k]!['msacc'] as MicrostateReport;

describe('msacc: an idle node', () => {
  it('ThreadedNode: schedulers mostly parked, the embedding thread mostly idle', async () => {
    const t = await startNode({ schedulers: 2 });
    node = t;
    const gw = (): MicrostateReport => (t as ThreadedNode).stats().gateway.msacc;
    const a = [sched(t, 0)(), sched(t, 1)()];
    const g0 = gw();
    const b0 = await waitSamples(sched(t, 0), a[0]!, 200);
    const b1 = sched(t, 1)();
    expect(msaccDelta(a[0]!, b0)['parked']).toBeGreaterThan(0.8);
    expect(msaccDelta(a[1]!, b1)['parked']).toBeGreaterThan(0.8);
    expect(msaccDelta(g0, gw())['idle']).toBeGreaterThan(0.8);
  }, 20_000);

  it('LocalNode: the thread is mostly idle', async () => {
    node = await startNode({ schedulers: 0 });
    const a = sched(node, 0)();
    const b = await waitSamples(sched(node, 0), a, 200);
    expect(msaccDelta(a, b)['idle']).toBeGreaterThan(0.8);
    expect(b.elapsedMs).toBeGreaterThan(0);
  }, 20_000);
});
