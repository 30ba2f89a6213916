import { describe, expect, it } from 'vitest';
import { NotRunningError } from '../../../src/index.ts';
import { failureOf, rejectionOf } from '../node-kinds.ts';
import type { NodeKind } from '../node-kinds.ts';
import { Probe } from '../fixtures/probe.ts';

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe('node: stop fails pending calls and refuses what comes after', () => {
    it('after stop every operation fails with NotRunningError (thrown or as a rejection)', async () => {
      const node = await kind.startAnother();
      const p = await node.spawn(Probe, [null], kind.placeOn(1));
      await node.stop();
      expect(node.running).toBe(false);
      for (const op of [
        () => node.spawn(Probe, [null]),
        () => node.send(p, 'x'),
        () => node.call(p, 'self'),
        () => node.exit(p, 'kill'),
        () => node.register('contract_after_stop', p),
      ]) {
        const e = await failureOf(op);
        expect(e).toBeInstanceOf(NotRunningError);
        expect(e).toMatchObject({ code: 'ERR_SB_NOT_RUNNING' });
      }
    });

    // node.ts: a call rejects with NotRunningError "when the node stops first" — every
    // node kind fails its pending calls once the stop hooks ran, before any actor stops,
    // so the callee's DOWN (reason 'shutdown') cannot settle the call first.
    it('a call pending when stop begins rejects with NotRunningError', async () => {
      const node = await kind.startAnother();
      let stopped = false;
      try {
        const p = await node.spawn(Probe, [null], kind.placeOn(1));
        const pending = rejectionOf(node.call(p, 'noReply', 10_000));
        await node.stop();
        stopped = true;
        const err = await pending;
        expect(err).toBeInstanceOf(NotRunningError);
        expect(err).toMatchObject({ code: 'ERR_SB_NOT_RUNNING' });
      } finally {
        if (!stopped) await node.stop();
      }
    });
  });
}
