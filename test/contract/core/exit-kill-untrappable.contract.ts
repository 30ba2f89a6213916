import { describe, expect, it } from 'vitest';
import type { NodeKind } from '../node-kinds.ts';
import { Probe } from '../fixtures/probe.ts';

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe("exit: 'kill' cannot be trapped, and travels on as 'killed'", () => {
    it("kills a process that traps exits; its monitors see 'killed', its trapping links get EXIT 'killed'", async () => {
      const { node, inbox } = kind;
      const victim = await node.spawn(Probe, [node.pid], kind.placeOn(0, { trapExit: true }));
      const friend = await node.spawn(Probe, [node.pid], kind.placeOn(1, { trapExit: true }));
      const watcher = await node.spawn(Probe, [node.pid], kind.placeOn(1));
      await node.call(friend, { link: victim });
      const ref = await node.call(watcher, { monitor: victim });

      node.exit(victim, 'kill');
      const down = await inbox.next((m: any) => m.got?.type === 'DOWN' && m.got.ref?.equals?.(ref) === true, "the victim's DOWN");
      expect(down.got).toMatchObject({ type: 'DOWN', pid: victim, reason: 'killed' });
      const exit = await inbox.next((m: any) => m.got?.type === 'EXIT' && m.probe?.equals?.(friend) === true, "the friend's EXIT");
      expect(exit.got).toEqual({ type: 'EXIT', from: victim, reason: 'killed' });
      expect(await node.processInfo(victim)).toBeUndefined();
    });

    it("kill sent by another process, on another scheduler, too", async () => {
      const { node, inbox } = kind;
      const victim = await node.spawn(Probe, [node.pid], kind.placeOn(0, { trapExit: true }));
      const killer = await node.spawn(Probe, [node.pid], kind.placeOn(1));
      const ref = await node.call(killer, { monitor: victim });
      expect(await node.call(killer, { exit: { pid: victim, reason: 'kill' } })).toBe('sent');
      const down = await inbox.next((m: any) => m.got?.type === 'DOWN' && m.got.ref?.equals?.(ref) === true, "the victim's DOWN");
      expect(down.got).toMatchObject({ type: 'DOWN', pid: victim, reason: 'killed' });
    });
  });
}
