import { describe, expect, it } from 'vitest';
import { eventually } from '../node-kinds.ts';
import type { NodeKind } from '../node-kinds.ts';
import { Probe } from '../fixtures/probe.ts';

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe('monitor: one DOWN per monitor, with the reason; noproc for a dead pid', () => {
    const downOf = (ref: unknown) => (m: any) => m.got?.type === 'DOWN' && m.got.ref?.equals?.(ref) === true;

    it('a live process: DOWN with its exit reason, once per monitor, the monitored process unaffected until then', async () => {
      const { node, inbox } = kind;
      const watcher = await node.spawn(Probe, [node.pid], kind.placeOn(0));
      const target = await node.spawn(Probe, [node.pid], kind.placeOn(1));
      const r1 = await node.call(watcher, { monitor: target });
      const r2 = await node.call(watcher, { monitor: target });
      expect(r1).not.toEqual(r2);
      // The monitors travel watcher → target: wait until the target has both.
      await eventually(async () => (await node.processInfo(target))?.monitoredBy.length, (n) => n === 2, 'two monitors on the target');
      await node.call(target, { die: { bye: 1 } });
      const d1 = await inbox.next(downOf(r1), 'the first DOWN');
      const d2 = await inbox.next(downOf(r2), 'the second DOWN');
      expect(d1.got).toMatchObject({ type: 'DOWN', pid: target, reason: { bye: 1 } });
      expect(d2.got).toMatchObject({ type: 'DOWN', pid: target, reason: { bye: 1 } });
      // The watcher is not linked: it lives on.
      expect(await node.call(watcher, 'self')).toEqual(watcher);
    });

    it("a pid that is already dead: DOWN 'noproc' at once", async () => {
      const { node, inbox } = kind;
      const watcher = await node.spawn(Probe, [node.pid], kind.placeOn(0));
      const gone = await node.spawn(Probe, [node.pid], kind.placeOn(1));
      const first = await node.call(watcher, { monitor: gone });
      await node.call(gone, { die: 'normal' });
      await inbox.next(downOf(first), 'the DOWN of the first monitor');
      const ref = await node.call(watcher, { monitor: gone });
      const down = await inbox.next(downOf(ref), 'the noproc DOWN');
      expect(down.got).toMatchObject({ type: 'DOWN', pid: gone, reason: 'noproc' });
    });
  });
}
