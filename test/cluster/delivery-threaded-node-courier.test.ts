/**
 * Delivery on a ThreadedNode: a sender on one scheduler thread delivering to a receiver on
 * another; its courier is spawned on the sender's own scheduler (so one courier serves all
 * its deliveries) and ends with it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { AckAll, DeliverN } from './fixtures/delivery-actors.ts';
import { waitFor } from '../otp/helpers.ts';

let node: Node | null = null;
afterEach(async () => {
  await node?.stop();
  node = null;
});

describe('Delivery on a ThreadedNode', () => {
  it('acks cross threads; one courier per sender, on its scheduler, gone when the sender ends', async () => {
    node = await startNode({ schedulers: 2 });
    await node.spawn(AckAll, [], { name: 'acks', scheduler: 0 });
    const baseline = (await node.processes()).length;
    const result = new Promise<{ attempts: number[]; oks: number; links: number[] }>((resolve) => node!.once('message', resolve));
    const sender = await node.spawn(DeliverN, [node.pid, 'acks', 20], { scheduler: 1 });
    const t0 = Date.now();
    const r = await result;
    const t1 = Date.now();
    expect(r.attempts).toEqual(Array(20).fill(1));
    expect(r.oks).toBe(20);
    // One courier for the 40 deliveries, on the sender's scheduler (pid id % (2 + 1) === 1).
    expect(r.links).toHaveLength(1);
    expect(sender.id % 3).toBe(1);
    expect(r.links[0]! % 3).toBe(1);
    await waitFor(async () => (await node!.processes()).length === baseline);
    console.log(`threaded: ${t1 - t0} ms to deliver, ${Date.now() - t1} ms until the courier is gone`);
  });
});
