import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { attachDirtyPool, type DirtyPool } from '../../src/threads/index.ts';
import { DirtyUser, Pinger } from './fixtures/dirty-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// ctx.dirty on the single-scheduler LocalNode, with a pool from attachDirtyPool: the
// scheduler (in this very thread) keeps running actors during the task.

const tasks = new URL('./fixtures/dirty-tasks.ts', import.meta.url).href;

type Result = { ref: string; sameRef: boolean; ok: boolean; value?: unknown; error?: { name: string; message: string }; pongsWhilePending: number };

let node: LocalNode;
let pool: DirtyPool;
beforeAll(() => {
  node = new LocalNode();
  pool = attachDirtyPool(node);
});
afterAll(async () => {
  await node.stop();
  await pool.destroy();
});

describe('ctx.dirty on a LocalNode with attachDirtyPool', () => {
  it('keeps round trips flowing during a 2 s task; result and error arrive as $dirty messages', async () => {
    const user = await node.spawn(DirtyUser);
    const ref = await node.call(user, { dirty: { module: tasks, export: 'spin', args: [2000] } });
    const pinger = await node.spawn(Pinger, [user]);
    const results = await eventually(() => node.call(user, 'results') as Promise<Result[]>, (r) => r.length === 1, 30_000);
    node.send(pinger, 'stop');
    expect(results[0]).toMatchObject({ ref, sameRef: true, ok: true, value: { spunMs: 2000 } });
    expect(results[0]!.pongsWhilePending).toBeGreaterThan(100);
    const bad = await node.call(user, { dirty: { module: tasks, export: 'fail', args: ['local'] } });
    const all = await eventually(() => node.call(user, 'results') as Promise<Result[]>, (r) => r.length === 2, 30_000);
    expect(all[1]).toMatchObject({ ref: bad, ok: false, error: { name: 'RangeError', message: 'local' } });
  }, 40_000);

  it('without a pool, ctx.dirty is a typed error', async () => {
    const bare = new LocalNode();
    try {
      const user = await bare.spawn(DirtyUser);
      await expect(bare.call(user, { dirty: { module: tasks, export: 'sum', args: [] } })).rejects.toMatchObject({
        reason: expect.objectContaining({ name: 'BadArgError', message: expect.stringContaining('no dirty pool') }),
      });
    } finally {
      await bare.stop();
    }
  });
});
