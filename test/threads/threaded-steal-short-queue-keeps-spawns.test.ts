import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { kStealMinQueue } from '../../src/threads/stealing.ts';
import { Brood } from './fixtures/steal-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// Spawn stealing (src/threads/stealing.ts, step 2): an idle scheduler only takes spawns of a
// scheduler with a backlog (kStealMinQueue other runnable actors). A parent that spawns a
// few actors which then talk to each other (a server and its client) keeps them all on its
// own thread, even while the other scheduler idles and wants work: a stolen half of a
// conversation would make every message a crossing.

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
});
afterAll(() => node.stop());

const E = 3;

it('while scheduler 1 idles, a parent spawning fewer than kStealMinQueue busy children keeps them all', async () => {
  const parent = await node.spawn(Brood, [], { scheduler: 0 });
  const before = node.stats().schedulers[0]!.migrations;
  for (let i = 0; i < 10; i++) {
    // Scheduler 1 has published its want (it does before it spins and parks).
    const st = await eventually(async () => node.stats().schedulers[1]!.state, (s) => s === 'parked');
    expect(st).toBe('parked');
    // Each child gets a message right away, so all of them are runnable while the next is spawned.
    const pids = (await node.call(parent, { brood: kStealMinQueue, msgs: 1, how: 'plain' }, 20_000)) as Pid[];
    expect(pids.map((p) => p.id % E)).toEqual(new Array(kStealMinQueue).fill(0));
  }
  expect(node.stats().schedulers[0]!.migrations).toBe(before);
}, 30_000);
