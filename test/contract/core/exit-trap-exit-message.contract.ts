import { describe, expect, it } from 'vitest';
import type { NodeKind } from '../node-kinds.ts';
import { Probe } from '../fixtures/probe.ts';

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe('trapExit: exit signals become EXIT messages', () => {
    const exitTo = (probe: unknown) => (m: any) => m.got?.type === 'EXIT' && m.probe?.equals?.(probe) === true;

    it('from a linked process that dies, from exit/2 of another process and of the embedding thread', async () => {
      const { node, inbox } = kind;
      const trapper = await node.spawn(Probe, [node.pid], kind.placeOn(0, { trapExit: true }));
      const linked = await node.spawn(Probe, [node.pid], kind.placeOn(1));
      const sender = await node.spawn(Probe, [node.pid], kind.placeOn(1));
      await node.call(trapper, { link: linked });

      // 1. A linked process dies: an EXIT message from it, with its reason.
      await node.call(linked, { die: 'boom' });
      const fromLink = await inbox.next(exitTo(trapper), 'the EXIT from the link');
      expect(fromLink.got).toEqual({ type: 'EXIT', from: linked, reason: 'boom' });

      // 2. exit/2 from another process (not linked): an EXIT message from the sender.
      expect(await node.call(sender, { exit: { pid: trapper, reason: { why: 'asked' } } })).toBe('sent');
      const fromSender = await inbox.next(exitTo(trapper), 'the EXIT from exit/2');
      expect(fromSender.got).toEqual({ type: 'EXIT', from: sender, reason: { why: 'asked' } });

      // 3. exit/2 from the embedding thread: it comes from the gateway, node.pid. A 'normal'
      //    signal is trapped too (a process that does not trap exits ignores it).
      node.exit(trapper, 'normal');
      const fromNode = await inbox.next(exitTo(trapper), 'the EXIT from node.exit');
      expect(fromNode.got).toEqual({ type: 'EXIT', from: node.pid, reason: 'normal' });

      // Still alive through all three.
      expect(await node.call(trapper, 'self')).toEqual(trapper);
    });

    it('without trapExit, exit/2 with "normal" is ignored and any other reason kills', async () => {
      const { node, inbox } = kind;
      const watcher = await node.spawn(Probe, [node.pid], kind.placeOn(1));
      const target = await node.spawn(Probe, [node.pid], kind.placeOn(0));
      const ref = await node.call(watcher, { monitor: target });
      node.exit(target, 'normal');
      expect(await node.call(target, 'self')).toEqual(target);
      node.exit(target, 'shutdown');
      const down = await inbox.next((m: any) => m.got?.type === 'DOWN' && m.got.ref?.equals?.(ref) === true, "the target's DOWN");
      expect(down.got).toMatchObject({ type: 'DOWN', pid: target, reason: 'shutdown' });
    });
  });
}
