import { afterEach, describe, expect, it } from 'vitest';
import type { MicrostateReport } from '../../src/core/microstate.ts';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Spinner } from './fixtures/trace-actors.ts';
import { msaccDelta, waitSamples } from './fixtures/msacc-actors.ts';

// A busy actor (always runnable, instrumented loop) shows mostly 'actor' time on its
// scheduler's microstates, while the other scheduler of the node is mostly parked or
// spinning; on a LocalNode the one thread shows mostly 'actor'.

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

const sched = (n: Node, k: number) => (): MicrostateReport => n.stats().schedulers[k]!['msacc'] as MicrostateReport;

describe('msacc: a busy actor', () => {
  it('ThreadedNode: mostly actor on its scheduler, mostly parked/spin on the other', async () => {
    node = await startNode({ schedulers: 2 });
    const p = await node.spawn(Spinner, [2000], { scheduler: 0 });
    node.send(p, 'tick');
    const a0 = await waitSamples(sched(node, 0), sched(node, 0)(), 20);
    const a1 = sched(node, 1)();
    const b0 = await waitSamples(sched(node, 0), a0, 300);
    const b1 = sched(node, 1)();
    const busy = msaccDelta(a0, b0);
    const other = msaccDelta(a1, b1);
    expect(busy['actor']).toBeGreaterThan(0.6);
    expect(other['parked']! + other['spin']!).toBeGreaterThan(0.6);
    expect(b0.intervalMs).toBe(1);
    expect(b0.ms.actor).toBeGreaterThan(0);
  }, 20_000);

  it('LocalNode: the thread shows mostly actor while the spinner runs', async () => {
    node = await startNode({ schedulers: 0 });
    const p = await node.spawn(Spinner, [2000]);
    node.send(p, 'tick');
    const a = await waitSamples(sched(node, 0), sched(node, 0)(), 20);
    const b = await waitSamples(sched(node, 0), a, 300);
    expect(msaccDelta(a, b)['actor']).toBeGreaterThan(0.5);
  }, 20_000);
});
