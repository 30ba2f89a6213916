import { describe, expect, it } from 'vitest';
import { CallExitError, CallTimeoutError, NoProcError } from '../../../src/index.ts';
import { eventually, rejectionOf } from '../node-kinds.ts';
import type { NodeKind } from '../node-kinds.ts';
import { Probe } from '../fixtures/probe.ts';

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe('call: a reply, or an error of its own class', () => {
    it('resolves with the reply, also when it comes later from a timer', async () => {
      const { node } = kind;
      const p = await node.spawn(Probe, [null], kind.placeOn(1));
      expect(await node.call(p, 'self')).toEqual(p);
      expect(await node.call(p, { replyAfter: { ms: 30, value: { late: 'but in time' } } })).toEqual({ late: 'but in time' });
    });

    it('timeoutMs Infinity waits for ever: no timer is armed, nothing is clamped', async () => {
      const { node } = kind;
      const p = await node.spawn(Probe, [null], kind.placeOn(1));
      expect(await node.call(p, { replyAfter: { ms: 50, value: 'waited' } }, Infinity)).toBe('waited');
    });

    it('CallTimeoutError after timeoutMs; the late reply is dropped, the gateway keeps nothing', async () => {
      const { node, inbox } = kind;
      const p = await node.spawn(Probe, [null], kind.placeOn(1));
      const err = await rejectionOf(node.call(p, { replyAfter: { ms: 200, value: 'too late' } }, 40));
      expect(err).toBeInstanceOf(CallTimeoutError);
      expect(err).toMatchObject({ code: 'ERR_SB_CALL_TIMEOUT', timeoutMs: 40, message: 'call timed out after 40 ms' });
      expect(node.stats().gateway.pendingCalls).toBe(0);
      // The late reply is due ~160 ms from now; the marker call's reply is a timer of the
      // same process due ~300 ms from now: timers fire in deadline order and both replies
      // travel the same pair, so once the marker is in, the late reply came and went.
      expect(await node.call(p, { replyAfter: { ms: 300, value: 'marker' } })).toBe('marker');
      expect(inbox.pending().filter((m: any) => m === 'too late' || m?.value === 'too late')).toEqual([]);
    });

    it('NoProcError for a dead pid and for an unregistered name', async () => {
      const { node } = kind;
      const p = await node.spawn(Probe, [null], kind.placeOn(0));
      await node.call(p, { die: 'normal' });
      await eventually(() => node.processInfo(p), (i) => i === undefined, 'the probe gone');
      const dead = await rejectionOf(node.call(p, 'self'));
      expect(dead).toBeInstanceOf(NoProcError);
      expect(dead).toMatchObject({ code: 'ERR_SB_NOPROC' });
      const unknown = await rejectionOf(node.call('contract_no_such_name', 'self'));
      expect(unknown).toBeInstanceOf(NoProcError);
      expect(unknown).toMatchObject({ code: 'ERR_SB_NOPROC', target: 'contract_no_such_name' });
    });

    it('CallExitError with the reason when the callee exits before replying (an exit, a crash, a kill)', async () => {
      const { node } = kind;
      const quits = await node.spawn(Probe, [null], kind.placeOn(1));
      const pending = node.call(quits, 'noReply', 10_000);
      node.exit(quits, { gone: 'away' });
      const exited = await rejectionOf(pending);
      expect(exited).toBeInstanceOf(CallExitError);
      expect(exited).toMatchObject({ code: 'ERR_SB_CALL_EXIT', reason: { gone: 'away' } });

      const crashes = await node.spawn(Probe, [null], kind.placeOn(0));
      const crashed = await rejectionOf(node.call(crashes, 'crash'));
      expect(crashed).toBeInstanceOf(CallExitError);
      expect(crashed).toMatchObject({ code: 'ERR_SB_CALL_EXIT', reason: { kind: 'error', name: 'Error', message: 'probe crashed' } });

      const killed = await node.spawn(Probe, [null], kind.placeOn(1, { trapExit: true }));
      const waiting = node.call(killed, 'noReply', 10_000);
      node.exit(killed, 'kill');
      const k = await rejectionOf(waiting);
      expect(k).toBeInstanceOf(CallExitError);
      expect(k).toMatchObject({ code: 'ERR_SB_CALL_EXIT', reason: 'killed' });
      expect(node.stats().gateway.pendingCalls).toBe(0);
    });
  });
}
