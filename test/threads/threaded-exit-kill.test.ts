import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Mortal, Watcher } from './fixtures/node-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 4 });
});
afterAll(() => node.stop());

type Down = { reason: unknown };

describe('exit signals across schedulers', () => {
  it("'kill' from an actor on another scheduler ends even a trapping actor, with reason killed", async () => {
    const victim = await node.spawn(Mortal, [], { scheduler: 2 });
    await node.call(victim, { trapExit: true });
    const killer = await node.spawn(Watcher, [], { scheduler: 0 });
    const observer = await node.spawn(Watcher, [], { scheduler: 1 });
    await node.call(observer, { monitor: victim });
    // Signals from different senders are not ordered: let the monitor land first.
    await eventually(async () => (await node.processInfo(victim))?.monitoredBy.length, (n) => n === 1);
    await node.call(killer, { exit: { pid: victim, reason: 'kill' } });
    const downs = await eventually(() => node.call(observer, 'downs') as Promise<Down[]>, (d) => d.length === 1);
    expect(downs[0]!.reason).toBe('killed');
    expect(await node.processInfo(victim)).toBeUndefined();
  });

  it('a trapping actor turns any other exit signal into an EXIT message, and survives', async () => {
    const trapper = await node.spawn(Watcher, [], { scheduler: 3 });
    await node.call(trapper, { trapExit: true });
    const sender = await node.spawn(Watcher, [], { scheduler: 0 });
    await node.call(sender, { exit: { pid: trapper, reason: 'shutdown' } });
    const exits = await eventually(() => node.call(trapper, 'exits') as Promise<unknown[]>, (e) => e.length === 1);
    expect(exits).toEqual([{ from: String(sender), reason: 'shutdown' }]);
  });

  it("'normal' from another process is ignored by a non-trapping actor", async () => {
    const target = await node.spawn(Watcher, [], { scheduler: 1 });
    const sender = await node.spawn(Watcher, [], { scheduler: 2 });
    await node.call(sender, { exit: { pid: target, reason: 'normal' } });
    // A call through the same pair of rings after it: the signal was handled before.
    await node.call(sender, { monitor: target });
    expect(await node.processInfo(target)).toBeDefined();
  });
});
