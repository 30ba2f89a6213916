import { afterEach, describe, expect, it } from 'vitest';
import type { MicrostateReport } from '../../src/core/microstate.ts';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Encoder, Sink, msaccDelta, waitSamples } from './fixtures/msacc-actors.ts';

// A heavy encoder: an actor on scheduler 0 sending big messages to one on scheduler 1
// spends a visible share of its thread in the codec (encoding into the ring), and the
// receiving thread in the codec too (decoding what it drains).

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

const sched = (n: Node, k: number) => (): MicrostateReport => n.stats().schedulers[k]!['msacc'] as MicrostateReport;

describe('msacc: codec time', () => {
  it('big messages across threads show as codec on both sides', async () => {
    node = await startNode({ schedulers: 2 });
    const sink = await node.spawn(Sink, [], { scheduler: 1 });
    const enc = await node.spawn(Encoder, [sink, 2000], { scheduler: 0 });
    node.send(enc, 'go');
    const a0 = await waitSamples(sched(node, 0), sched(node, 0)(), 20);
    const a1 = sched(node, 1)();
    const b0 = await waitSamples(sched(node, 0), a0, 300);
    const b1 = sched(node, 1)();
    expect(msaccDelta(a0, b0)['codec']).toBeGreaterThan(0.2);
    expect(msaccDelta(a1, b1)['codec']).toBeGreaterThan(0.1);
  }, 20_000);
});
