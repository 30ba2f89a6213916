import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Collector } from './fixtures/node-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// Adaptive spin (src/threads/worker-loop.ts, step 4a): a scheduler whose spins keep ending
// without work spins shorter (down to kMinSpinMs, 20 µs) instead of the full `spinUs`
// every time it goes idle. Scheduler 1 gets one message every few ms, far more than a
// spin apart: with a fixed spin every one of its idle episodes would spin the full 500 µs.

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2, spinUs: 500 });
});
afterAll(() => node.stop());

it('a scheduler woken every few ms spins well under spinUs per idle episode', async () => {
  const pid = await node.spawn(Collector, [], { scheduler: 1 });
  await node.call(pid, 'count');
  const n = 100;
  // Warm-up episodes: the spin length halves on each empty spin.
  for (let i = 0; i < 8; i++) {
    node.send(pid, i);
    await new Promise((r) => setTimeout(r, 3));
  }
  await eventually(async () => node.stats().schedulers[1]!.state, (s) => s === 'parked');
  const before = node.stats().schedulers[1]!;
  for (let i = 0; i < n; i++) {
    node.send(pid, i);
    // Gaps that make each message its own idle episode (not a timing assertion).
    await new Promise((r) => setTimeout(r, 3));
  }
  expect(await node.call(pid, 'count')).toBe(n + 8);
  const after = await eventually(async () => node.stats().schedulers[1]!, (s) => s.state === 'parked');
  const spinPerMessage = (after.spinMs - before.spinMs) / n;
  // A fixed 500 µs spin gives >= 0.5 ms per message (each episode spins to its end).
  expect(spinPerMessage).toBeLessThan(0.25);
}, 30_000);
