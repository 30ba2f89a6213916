import { describe, expect, it } from 'vitest';
import { GenStatem, Sys } from '../../../src/index.ts';
import type { NodeKind } from '../node-kinds.ts';
import { Door } from '../fixtures/otp.ts';

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe('GenStatem: state functions, enter calls and a state timeout', () => {
    it('opens with the right code, refuses a wrong one, and relocks on its state timeout', async () => {
      const { node, inbox } = kind;
      const entered = (state: string) => (m: any) => m.entered === state;
      const door = (await GenStatem.start(node, Door, ['42', 30, node.pid], { spawn: kind.placeOn(1) }))!;
      expect(await inbox.next(entered('locked'), 'the initial enter call')).toEqual({ door, entered: 'locked' });
      expect(await GenStatem.call(node, door, { unlock: '00' })).toBe('wrong code');
      expect(await node.call(door, { unlock: '42' })).toBe('opened');
      expect(await inbox.next(entered('open'), 'open entered')).toEqual({ door, entered: 'open' });
      // No message: the state timeout brings it back.
      expect(await inbox.next(entered('locked'), 'locked entered again')).toEqual({ door, entered: 'locked' });
      expect(await Sys.getState(node, door)).toMatchObject({ state: 'locked' });
      expect(await node.call(door, {})).toBe('locked');
    });
  });
}
