import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Collector, Mortal, TrapLinker, Watcher } from './fixtures/node-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

for (const schedulers of [2, 4]) {
  describe(`link across schedulers (${schedulers} schedulers)`, () => {
    let node: ThreadedNode;
    // The other end is the last scheduler: with 4, signals cross between threads 0 and 3.
    const far = schedulers - 1;
    beforeAll(async () => {
      node = (await startNode({ schedulers })) as ThreadedNode;
    });
    afterAll(() => node.stop());

    it('an exit on one scheduler kills the linked actor on the other', async () => {
      const target = await node.spawn(Mortal, [], { scheduler: far });
      const linked = await node.spawn(Watcher, [], { scheduler: 0 });
      expect(await node.call(linked, { link: target })).toBe('linked');
      // Signals from different senders are not ordered: let the link land first.
      await eventually(async () => (await node.processInfo(target))?.links.length, (n) => n === 1);
      await node.call(target, { die: 'crashed' });
      await eventually(async () => node.processInfo(linked), (i) => i === undefined);
      expect(await node.processInfo(linked)).toBeUndefined();
    });

    it('a trapping actor gets the EXIT message with the reason instead', async () => {
      const report = await node.spawn(Collector, [], { scheduler: 0 });
      const target = await node.spawn(Mortal, [], { scheduler: far });
      const trapper = await node.spawn(TrapLinker, [target, report], { scheduler: 0 });
      // The link is made by the trapper's first step; wait until the target sees it.
      await eventually(async () => (await node.processInfo(target))?.links.length ?? 0, (n) => n === 1);
      await node.call(target, { die: { kind: 'custom', n: 1 } });
      const got = await eventually(() => node.call(report, 'get') as Promise<unknown[]>, (g) => g.length === 1);
      expect(got).toEqual([{ exit: { from: String(target), reason: { kind: 'custom', n: 1 } } }]);
      expect(await node.processInfo(trapper)).toBeDefined();
    });

    it('linking to a dead pid on another scheduler ends the linker with noproc', async () => {
      const gone = await node.spawn(Mortal, [], { scheduler: far });
      await node.call(gone, { die: 'normal' });
      const w = await node.spawn(Watcher, [], { scheduler: 0 });
      await node.call(w, { trapExit: true });
      await node.call(w, { link: gone });
      const exits = await eventually(() => node.call(w, 'exits') as Promise<unknown[]>, (e) => e.length === 1);
      expect(exits).toEqual([{ from: String(gone), reason: 'noproc' }]);
    });

    it('unlink crosses: the old partner exiting no longer affects it', async () => {
      const target = await node.spawn(Mortal, [], { scheduler: far });
      const w = await node.spawn(Watcher, [], { scheduler: 0 });
      await node.call(w, { link: target });
      await node.call(w, { unlink: target });
      await eventually(async () => (await node.processInfo(target))?.links.length ?? -1, (n) => n === 0);
      await node.call(target, { die: 'bye' });
      await eventually(async () => node.processInfo(target), (i) => i === undefined);
      expect(await node.call(w, 'exits')).toEqual([]);
      expect(await node.processInfo(w)).toBeDefined();
    });
  });
}
