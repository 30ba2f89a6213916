import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Migrant } from './fixtures/migrate-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// Live migration (src/threads/migration.ts): 2,000 busy actors all pinned to scheduler 0
// keep it overloaded while scheduler 1 idles; with balance 'migrate' part of them move to
// scheduler 1, which then does real work, and every actor still answers with its state.

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2, balance: 'migrate' });
});
afterAll(() => node.stop());

describe('an overloaded scheduler moves running actors to an idle one', () => {
  it('busy actors pinned to scheduler 0 end up running on both, with their state intact', async () => {
    const n = 2000;
    const pids: Pid[] = await Promise.all([...Array(n).keys()].map((i) => node.spawn(Migrant, [i], { scheduler: 0 })));
    const E = node.schedulers + 1;
    expect(pids.every((p) => p.id % E === 0)).toBe(true);
    const before = node.stats().schedulers;
    for (const p of pids) node.send(p, 'start');

    const after = await eventually(
      async () => node.stats().schedulers,
      (s) => s[1]!.migrationsIn > 0 && s[1]!.reductions > before[1]!.reductions + 100_000 && s[1]!.busyMs > before[1]!.busyMs,
      60_000,
    );
    expect(after[1]!.migrationsIn).toBeGreaterThan(0);
    expect(after[1]!.reductions).toBeGreaterThan(before[1]!.reductions + 100_000);
    expect(after[1]!.busyMs).toBeGreaterThan(before[1]!.busyMs);
    expect(after[0]!.migrationsOut).toBeGreaterThan(0);

    // Every actor answers a call through its original pid, with the state it was given.
    const answers = (await Promise.all(pids.map((p) => node.call(p, 'where', 60_000)))) as {
      index: number; n: number; tag: string; bag: Map<string, number[]>; ticks: number;
    }[];
    answers.forEach((a, i) => {
      expect(a.n).toBe(i);
      expect(a.tag).toBe(`migrant-${i}`);
      expect(a.bag).toEqual(new Map([[`k${i}`, [i, i * 2, i * 3]]]));
    });
    const moved = answers.filter((a) => a.index === 1).length;
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(n);
    // The counters agree with where the actors are: every move arrived, no guest was lost.
    const final = await eventually(
      async () => node.stats().schedulers,
      (s) => s[1]!.migrationsIn === s[0]!.migrationsOut && s[1]!.guests === s[1]!.migrationsIn,
      20_000,
    );
    expect(final[1]!.migrationsIn).toBe(final[0]!.migrationsOut);
    expect(final[1]!.guests).toBe(final[1]!.migrationsIn);
    expect(final[1]!.guests).toBeGreaterThanOrEqual(moved);

    // Moved actors stay where they went and keep working there: their ticks grow.
    const again = (await Promise.all(pids.map((p) => node.call(p, 'where', 60_000)))) as { index: number; n: number; ticks: number }[];
    again.forEach((a, i) => {
      expect(a.n).toBe(i);
      if (answers[i]!.index === 1) expect(a.index).toBe(1);
    });
    expect(again.filter((a, i) => a.index === 1 && a.ticks > answers[i]!.ticks).length).toBeGreaterThan(0);
    expect(again.every((a) => a.ticks > 0)).toBe(true);
  }, 180_000);
});
