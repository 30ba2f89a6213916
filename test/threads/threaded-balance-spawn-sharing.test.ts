import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Parent } from './fixtures/placement-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// Balance (src/threads/balancer.ts): a parent that spawns many busy actors on its own,
// overloaded scheduler has part of them placed on the idle one; every pid stays valid.

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2, balance: 'spawn' });
});
afterAll(() => node.stop());

describe('spawn sharing between an overloaded and an idle scheduler', () => {
  it('busy actors spawned by one parent end up running on both schedulers, and all answer', async () => {
    const n = 400;
    const parent = await node.spawn(Parent, [], { scheduler: 0 });
    const before = node.stats().schedulers;
    expect(await node.call(parent, { spawnBusy: n }, 30_000)).toBe(n);
    const children = (await node.call(parent, 'children', 30_000)) as Pid[];
    expect(children).toHaveLength(n);

    const E = node.schedulers + 1;
    const onOne = children.filter((p) => p.id % E === 1).length;
    expect(onOne).toBeGreaterThan(0);
    expect(onOne).toBeLessThan(n);

    // Both schedulers do the work: their busy time and reductions grow.
    const after = await eventually(
      async () => node.stats().schedulers,
      (s) => s.every((st, k) => st.reductions > before[k]!.reductions + 10_000 && st.busyMs > before[k]!.busyMs),
      20_000,
    );
    for (const [k, st] of after.entries()) {
      expect(st.reductions).toBeGreaterThan(before[k]!.reductions + 10_000);
      expect(st.busyMs).toBeGreaterThan(before[k]!.busyMs);
    }
    expect(after[0]!.migrations).toBe(onOne);
    expect(after[1]!.remoteSpawns).toBe(onOne);

    // Every actor, wherever it was placed, answers a call (and has been ticking).
    const answers = (await Promise.all(children.map((pid) => node.call(pid, 'ticks', 30_000)))) as { n: number; ticks: number }[];
    expect(answers.map((a) => a.n)).toEqual([...Array(n).keys()]);
    expect(answers.every((a) => a.ticks > 0)).toBe(true);
  }, 90_000);
});
