import { describe, expect, it } from 'vitest';
import { eventually } from '../node-kinds.ts';
import type { NodeKind } from '../node-kinds.ts';
import { OrderCheck, Sender } from '../fixtures/probe.ts';

const kN = 2000;
const inOrder = Array.from({ length: kN }, (_, i) => i);

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe('send: messages between one pair arrive in the order sent', () => {
    it('from two actors (one on another scheduler) and from the embedding thread, interleaved', async () => {
      const { node } = kind;
      const sink = await node.spawn(OrderCheck, [], kind.placeOn(1));
      // The senders run concurrently with each other and with the embedding thread: their
      // streams interleave at the sink, but each stream's order must hold.
      await node.spawn(Sender, [sink, 'near', kN], kind.placeOn(1));
      await node.spawn(Sender, [sink, 'far', kN], kind.placeOn(0));
      for (let i = 0; i < kN; i++) node.send(sink, { tag: 'embedder', i });
      // A call from the embedding thread is ordered after its own sends (the same pair).
      const seen = (await node.call(sink, 'seen')) as Record<string, number[]>;
      expect(seen.embedder).toEqual(inOrder);
      const all = await eventually(
        () => node.call(sink, 'seen') as Promise<Record<string, number[]>>,
        (s) => (s.near?.length ?? 0) >= kN && (s.far?.length ?? 0) >= kN,
        'both actors\' streams',
      );
      expect(all.near).toEqual(inOrder);
      expect(all.far).toEqual(inOrder);
    });
  });
}
