import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallExitError } from '../../src/core/errors.ts';
import { type SchedulerDownEvent, type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Collector, Echo, Mortal } from './fixtures/node-actors.ts';

// A call from the embedding thread to a process of a scheduler that dies rejects with
// CallExitError carrying the schedulerDown reason (the gateway actor's monitor on the
// callee goes with it); calls to the schedulers still up go on.

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
});
afterAll(() => node.stop());

describe('a call pending when the callee scheduler dies', () => {
  it('rejects with CallExitError(schedulerDown reason), and the gateway keeps nothing', async () => {
    const silent = await node.spawn(Collector, [], { scheduler: 1 });
    const victim = await node.spawn(Mortal, [], { scheduler: 1 });
    const alive = await node.spawn(Echo, [], { scheduler: 0 });
    const pending = node.call(silent, 'never answered', 60_000).catch((e: unknown) => e);
    const down = new Promise<SchedulerDownEvent>((r) => node.once('schedulerDown', r));
    expect(await node.call(victim, { crashThread: 'throw' })).toBe('crashing');
    const event = await down;
    expect(event.scheduler).toBe(1);
    const err = await pending;
    expect(err).toBeInstanceOf(CallExitError);
    expect((err as CallExitError).code).toBe('ERR_SB_CALL_EXIT');
    expect((err as CallExitError).reason).toEqual(event.reason);
    expect(node.stats().gateway.pendingCalls).toBe(0);
    const info = await node.processInfo(node.pid);
    expect(info!.monitors).toEqual([]);
    expect(await node.call(alive, 'still here')).toMatchObject({ echo: 'still here' });
  });
});
