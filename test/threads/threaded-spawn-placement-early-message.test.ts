import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Collector, Sender } from './fixtures/node-actors.ts';
import { Parent } from './fixtures/placement-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// placement.ts, step 3: a message to a placed pid from a third scheduler may reach the
// target before the SPAWN record does (it travels on another ring). It is kept aside and
// delivered once the actor exists, never dropped.

let node: ThreadedNode;
beforeAll(async () => {
  // Small rings: the parent's burst overflows its ring to scheduler 2, so its SPAWN record
  // waits behind thousands of messages while the relay's ring to scheduler 2 is empty.
  node = await startNode({ schedulers: 3, ringBytes: 4096 });
});
afterAll(() => node.stop());

describe('a placed pid used by a third scheduler before its SPAWN arrives', () => {
  it('gets the message once the actor exists', async () => {
    for (let round = 0; round < 5; round++) {
      const sink = await node.spawn(Collector, [], { scheduler: 2 });
      const relay = await node.spawn(Sender, [], { scheduler: 1 });
      const parent = await node.spawn(Parent, [], { scheduler: 0 });
      const n = 20_000;
      const { pid } = (await node.call(parent, { burstThenSpawn: { sink, n, on: 2, relay } }, 30_000)) as { pid: Pid };
      expect(pid.id % 4).toBe(2);
      const got = await eventually(() => node.call(pid, 'get', 20_000) as Promise<unknown[]>, (g) => g.length === 1, 20_000);
      expect(got).toEqual(['early']);
      await eventually(() => node.call(sink, 'count', 20_000), (c) => c === n, 20_000);
    }
  }, 120_000);
});
