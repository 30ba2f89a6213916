import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Mortal, Watcher } from './fixtures/node-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

type Down = { ref: string; pid: string; reason: unknown; refMatches: boolean };

for (const schedulers of [2, 4]) {
  describe(`monitor across schedulers (${schedulers} schedulers)`, () => {
    let node: ThreadedNode;
    // The other end is the last scheduler: with 4, signals cross between threads 0 and 3.
    const far = schedulers - 1;
    beforeAll(async () => {
      node = (await startNode({ schedulers })) as ThreadedNode;
    });
    afterAll(() => node.stop());

    it('delivers DOWN with the exit reason and the very ref monitor() returned', async () => {
      const target = await node.spawn(Mortal, [], { scheduler: far });
      const w = await node.spawn(Watcher, [], { scheduler: 0 });
      const ref = await node.call(w, { monitor: target });
      // Signals from different senders are not ordered: let the monitor land first.
      await eventually(async () => (await node.processInfo(target))?.monitoredBy.length, (n) => n === 1);
      await node.call(target, { die: { kind: 'oops' } });
      const downs = await eventually(() => node.call(w, 'downs') as Promise<Down[]>, (d) => d.length === 1);
      expect(downs).toEqual([{ ref, pid: String(target), reason: { kind: 'oops' }, refMatches: true }]);
    });

    it('gives DOWN noproc for a pid that is already dead on another scheduler', async () => {
      const gone = await node.spawn(Mortal, [], { scheduler: far });
      await node.call(gone, { die: 'normal' });
      const w = await node.spawn(Watcher, [], { scheduler: 0 });
      await node.call(w, { monitor: gone });
      const downs = await eventually(() => node.call(w, 'downs') as Promise<Down[]>, (d) => d.length === 1);
      expect(downs[0]!.reason).toBe('noproc');
      expect(downs[0]!.refMatches).toBe(true);
    });

    it('monitors by registered name across schedulers', async () => {
      const target = await node.spawn(Mortal, [], { scheduler: far, name: 'monitored-by-name' });
      const w = await node.spawn(Watcher, [], { scheduler: 0 });
      await node.call(w, { monitor: 'monitored-by-name' });
      await eventually(async () => (await node.processInfo(target))?.monitoredBy.length, (n) => n === 1);
      node.exit(target, 'kill');
      const downs = await eventually(() => node.call(w, 'downs') as Promise<Down[]>, (d) => d.length === 1);
      expect(downs[0]!.reason).toBe('killed');
      expect(downs[0]!.pid).toBe(String(target));
    });

    it('a reason that cannot be encoded still fires the DOWN, as { kind: unsendableReason }', async () => {
      const target = await node.spawn(Mortal, [], { scheduler: far });
      const w = await node.spawn(Watcher, [], { scheduler: 0 });
      await node.call(w, { monitor: target });
      await eventually(async () => (await node.processInfo(target))?.monitoredBy.length, (n) => n === 1);
      await node.call(target, { dieUnsendable: true });
      const downs = await eventually(() => node.call(w, 'downs') as Promise<Down[]>, (d) => d.length === 1);
      expect(downs[0]!.reason).toMatchObject({ kind: 'unsendableReason' });
      expect(String((downs[0]!.reason as { description: string }).description)).toContain('function');
      // The scheduler that raised it is fine.
      expect(await node.spawn(Mortal, [], { scheduler: far })).toBeDefined();
    });
  });
}
