import { describe, expect, it } from 'vitest';
import { CallExitError, Supervisor, Sys } from '../../../src/index.ts';
import { eventually, rejectionOf } from '../node-kinds.ts';
import type { NodeKind } from '../node-kinds.ts';
import { Worker } from '../fixtures/otp.ts';

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe('Supervisor one_for_one: restarts only the child that crashed', () => {
    it('a crashed child gets a new process with the same spec; its sibling keeps its own; stop shuts both down in reverse', async () => {
      const { node, inbox } = kind;
      const started = (id: string) => (m: any) => m.started === id;
      const sup = (await Supervisor.start(node, {
        strategy: 'one_for_one',
        intensity: 5,
        period: 5,
        children: [
          { id: 'a', start: { behaviour: Worker, args: ['a', node.pid, { self: 'contract_sup_a', peer: 'contract_sup_b' }], options: kind.placeOn(1) } },
          { id: 'b', start: { behaviour: Worker, args: ['b', node.pid, { self: 'contract_sup_b', peer: 'contract_sup_a' }], options: kind.placeOn(0) } },
        ],
      }, { spawn: kind.placeOn(0) }))!;
      const a1 = (await inbox.next(started('a'), 'a started')).pid;
      const b1 = (await inbox.next(started('b'), 'b started')).pid;
      expect((await Supervisor.whichChildren(node, sup)).map((c) => [c.id, c.pid])).toEqual([['a', a1], ['b', b1]]);

      const err = await rejectionOf(node.call(a1, 'crash'));
      expect(err).toBeInstanceOf(CallExitError);
      expect(err).toMatchObject({ code: 'ERR_SB_CALL_EXIT', reason: { kind: 'error', message: 'a crashed' } });
      const a2 = (await inbox.next(started('a'), 'a restarted')).pid;
      expect(a2).not.toEqual(a1);
      expect(await node.call(a2, 'ping')).toBe('pong from a');
      expect((await Supervisor.whichChildren(node, sup)).map((c) => [c.id, c.pid])).toEqual([['a', a2], ['b', b1]]);
      expect(await node.call(b1, 'ping')).toBe('pong from b');

      expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
      // Reverse start order: b stopped while a was still up, a after b was gone. (The two
      // reports come from different processes, so their arrival order proves nothing.)
      const stopB = await inbox.next((m: any) => m.stopped === 'b' && m.reason === 'shutdown', 'b stopped');
      const stopA = await inbox.next((m: any) => m.stopped === 'a' && m.reason === 'shutdown', 'a stopped');
      expect(stopB).toEqual({ stopped: 'b', reason: 'shutdown', peerAlive: true });
      expect(stopA).toEqual({ stopped: 'a', reason: 'shutdown', peerAlive: false });
      await eventually(() => node.processInfo(sup), (i) => i === undefined, 'the supervisor gone');
    });
  });
}
