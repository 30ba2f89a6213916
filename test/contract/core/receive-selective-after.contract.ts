import { describe, expect, it } from 'vitest';
import type { NodeKind } from '../node-kinds.ts';
import { Selective } from '../fixtures/probe.ts';

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe('receive: selective, in arrival order, with an after timeout', () => {
    it('skips non-matching messages (kept in order), times out on `after`, then polls the rest', async () => {
      const { node, inbox } = kind;
      const rx = await node.spawn(Selective, [node.pid], kind.placeOn(1));
      node.send(rx, { type: 'early', i: 1 });
      node.send(rx, { type: 'early', i: 2 });
      node.send(rx, { type: 'go', n: 42 });
      node.send(rx, { type: 'late', i: 3 });
      expect(await inbox.next((m: any) => m.step === 'go', 'the go step')).toEqual({ step: 'go', n: 42 });
      expect(await inbox.next((m: any) => m.step === 'after', 'the after step')).toEqual({ step: 'after', timedOut: true });
      expect(await inbox.next((m: any) => m.step === 'rest', 'the rest step')).toEqual({
        step: 'rest',
        got: [{ type: 'early', i: 1 }, { type: 'early', i: 2 }, { type: 'late', i: 3 }],
      });
    });
  });
}
