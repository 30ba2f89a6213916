import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { DirtyUser, Pinger } from './fixtures/dirty-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// ctx.dirty runs an export on the node's piscina pool and delivers the outcome as a
// message; the scheduler keeps running actors while the task runs.

const tasks = new URL('./fixtures/dirty-tasks.ts', import.meta.url).href;

type Result = { ref: string; sameRef: boolean; ok: boolean; value?: unknown; error?: { name: string; message: string }; pongsWhilePending: number };

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
});
afterAll(() => node.stop());

describe('ctx.dirty on a threaded node', () => {
  it('round trips keep flowing during a 2 s dirty task, and its result arrives with the same ref', async () => {
    const user = await node.spawn(DirtyUser, [], { scheduler: 0 });
    const ref = await node.call(user, { dirty: { module: tasks, export: 'spin', args: [2000] } });
    const pinger = await node.spawn(Pinger, [user], { scheduler: 1 });
    const results = await eventually(() => node.call(user, 'results') as Promise<Result[]>, (r) => r.length === 1, 30_000);
    node.send(pinger, 'stop');
    expect(results[0]).toMatchObject({ ref, sameRef: true, ok: true, value: { spunMs: 2000 } });
    // The pinger's round trips with the actor went on while the task ran.
    expect(results[0]!.pongsWhilePending).toBeGreaterThan(100);
  }, 40_000);

  it('delivers an error as { ok: false, error } and an async result as { ok: true, value }', async () => {
    const user = await node.spawn(DirtyUser, [], { scheduler: 1 });
    const bad = (await node.call(user, { dirty: { module: tasks, export: 'fail', args: ['no way'] } })) as string;
    const good = (await node.call(user, { dirty: { module: tasks, export: 'sum', args: [1, 2, 3] } })) as string;
    const missing = (await node.call(user, { dirty: { module: tasks, export: 'nope', args: [] } })) as string;
    const results = await eventually(() => node.call(user, 'results') as Promise<Result[]>, (r) => r.length === 3, 30_000);
    const byRef = new Map(results.map((r) => [r.ref, r]));
    expect(byRef.get(bad)).toMatchObject({ ok: false, error: { name: 'RangeError', message: 'no way' } });
    expect(byRef.get(good)).toMatchObject({ ok: true, value: 6 });
    expect(byRef.get(missing)).toMatchObject({ ok: false, error: { message: expect.stringContaining('nope') } });
  }, 40_000);

  it('rejects bad arguments with a typed error', async () => {
    const user = await node.spawn(DirtyUser, [], { scheduler: 0 });
    expect(await node.call(user, { dirtyBadArgs: true })).toBe('ERR_SB_BADARG');
  });
});
