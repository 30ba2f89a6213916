import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackpressureError, type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Collector } from './fixtures/node-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2, ringBytes: 4096, overflowBytes: 8192 });
});
afterAll(() => node.stop());

describe('backpressure on the embedding thread', () => {
  it('refuses a send with BackpressureError at the overflow bound (sending nothing); after drained() it goes on, losing nothing', async () => {
    const c = await node.spawn(Collector, [], { scheduler: 1 });
    const n = 20_000;
    let refusals = 0;
    let seq = 0;
    while (seq < n) {
      try {
        node.send(c, { seq }); // synchronous burst: the ring fills before the worker drains it
        seq++;
      } catch (e) {
        expect(e).toBeInstanceOf(BackpressureError);
        refusals++;
        await node.drained();
      }
    }
    expect(refusals).toBeGreaterThan(0);
    await eventually(() => node.call(c, 'count'), (k) => k === n);
    const got = (await node.call(c, 'get', 20_000)) as { seq: number }[];
    expect(got.length).toBe(n);
    expect(got.every((m, i) => m.seq === i)).toBe(true);
  });
});
