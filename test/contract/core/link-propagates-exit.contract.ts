import { describe, expect, it } from 'vitest';
import { CallExitError } from '../../../src/index.ts';
import { rejectionOf } from '../node-kinds.ts';
import type { NodeKind } from '../node-kinds.ts';
import { Probe } from '../fixtures/probe.ts';

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe('link: an exit signal travels along a link with its reason', () => {
    const downOf = (ref: unknown) => (m: any) => m.got?.type === 'DOWN' && m.got.ref?.equals?.(ref) === true;

    it('a linked process that does not trap exits dies with the same reason; "normal" does not kill it', async () => {
      const { node, inbox } = kind;
      const watcher = await node.spawn(Probe, [node.pid], kind.placeOn(0));
      const a = await node.spawn(Probe, [node.pid], kind.placeOn(0));
      const b = await node.spawn(Probe, [node.pid], kind.placeOn(1));
      const c = await node.spawn(Probe, [node.pid], kind.placeOn(1));
      expect(await node.call(a, { link: b })).toBe('linked');
      expect(await node.call(a, { link: c })).toBe('linked');
      const refA = await node.call(watcher, { monitor: a });
      const refB = await node.call(watcher, { monitor: b });
      const refC = await node.call(watcher, { monitor: c });

      // c exits normally: a (linked, not trapping) lives on. a monitors c too, so the
      // exit signal and the DOWN both travel c → a; a reports the DOWN, then answers.
      const refCa = await node.call(a, { monitor: c });
      expect(await node.call(c, { die: 'normal' })).toBe('dying');
      const downC = await inbox.next(downOf(refC), "c's DOWN");
      expect(downC.got).toMatchObject({ type: 'DOWN', pid: c, reason: 'normal' });
      const downCa = await inbox.next(downOf(refCa), "c's DOWN at a");
      expect(downCa.probe).toEqual(a);
      expect(await node.call(a, 'self')).toEqual(a);

      // b exits with a structured reason: a dies of it, and so the watcher sees.
      const reason = { custom: 'reason', n: 7 };
      expect(await node.call(b, { die: reason })).toBe('dying');
      const downB = await inbox.next(downOf(refB), "b's DOWN");
      expect(downB.got).toMatchObject({ type: 'DOWN', pid: b, reason });
      const downA = await inbox.next(downOf(refA), "a's DOWN");
      expect(downA.got).toMatchObject({ type: 'DOWN', pid: a, reason });
      expect(await node.processInfo(a)).toBeUndefined();
    });

    it('a crash (an exception) travels as an error reason', async () => {
      const { node, inbox } = kind;
      const watcher = await node.spawn(Probe, [node.pid], kind.placeOn(0));
      const a = await node.spawn(Probe, [node.pid], kind.placeOn(0));
      const b = await node.spawn(Probe, [node.pid], kind.placeOn(1));
      await node.call(a, { link: b });
      const refA = await node.call(watcher, { monitor: a });
      const err = await rejectionOf(node.call(b, 'crash'));
      expect(err).toBeInstanceOf(CallExitError);
      const down = await inbox.next(downOf(refA), "a's DOWN");
      expect(down.got).toMatchObject({ type: 'DOWN', pid: a, reason: { kind: 'error', name: 'Error', message: 'probe crashed' } });
    });
  });
}
