import { describe, expect, it } from 'vitest';
import { CallExitError, GenServer } from '../../../src/index.ts';
import { eventually, rejectionOf } from '../node-kinds.ts';
import type { NodeKind } from '../node-kinds.ts';
import { Caller, Counter } from '../fixtures/otp.ts';

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe('GenServer: call, cast and info through the one node interface', () => {
    it('answers calls from the embedding thread and from an actor on another scheduler; casts and infos in order', async () => {
      const { node, inbox } = kind;
      const c = (await GenServer.start(node, Counter, [0, node.pid], { spawn: kind.placeOn(1) }))!;
      expect(await GenServer.call(node, c, { add: 5 })).toBe(5);
      GenServer.cast(node, c, 'inc');
      GenServer.cast(node, c, 'inc');
      // Casts and a later call from the same sender arrive in order.
      expect(await GenServer.call(node, c, 'get')).toBe(7);
      node.send(c, { plain: 'info' });
      expect(await inbox.next((m: any) => m.info !== undefined, 'the info report')).toEqual({ info: { plain: 'info' }, n: 7 });

      await node.spawn(Caller, [c, 100, node.pid], kind.placeOn(0));
      expect(await inbox.next((m: any) => m.callerDone !== undefined, "the caller's last reply")).toEqual({ callerDone: 107 });
      expect(await GenServer.call(node, c, 'get')).toBe(107);
    });

    it('a crash while handling a call gives the caller CallExitError, and terminate runs with the reason', async () => {
      const { node, inbox } = kind;
      const c = (await GenServer.start(node, Counter, [3, node.pid], { spawn: kind.placeOn(1) }))!;
      const err = await rejectionOf(GenServer.call(node, c, 'crash'));
      expect(err).toBeInstanceOf(CallExitError);
      expect(err).toMatchObject({ code: 'ERR_SB_CALL_EXIT', reason: { kind: 'error', name: 'Error', message: 'counter crashed' } });
      const t = await inbox.next((m: any) => m.terminated !== undefined, 'the terminate report');
      expect(t).toMatchObject({ terminated: { kind: 'error', message: 'counter crashed' }, n: 3 });
      await eventually(() => node.processInfo(c), (i) => i === undefined, 'the server gone');
    });
  });
}
