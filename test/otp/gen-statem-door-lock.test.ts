import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { GenStatem } from '../../src/otp/gen-statem.ts';
import { Door, type DoorData } from './fixtures/gen-statem-door.ts';
import { until } from './code-helpers.ts';
import { startNode } from '../../src/dist/start-node.ts';

type Status = { state: string; data: DoorData };

describe('GenStatem: a door lock (state functions, enter calls, state timeout)', () => {
  it('opens with the right code, refuses a wrong one, relocks on its state timeout; enter calls are counted', async () => {
    const node = new LocalNode();
    try {
      const door = await node.spawn(Door, ['1234', 500]);
      expect(await node.call(door, { unlock: '0000' })).toBe('wrong code');
      expect(((await node.call(door, 'status')) as Status).state).toBe('locked');
      expect(await node.call(door, { unlock: '1234' })).toBe('opened');
      expect(await node.call(door, 'anything')).toBe('open');
      // The state timeout relocks the door without any message.
      let s: Status = (await node.call(door, 'status')) as Status;
      await until(async () => (s = (await node.call(door, 'status')) as Status).state === 'locked', 'the door to relock');
      // Enter calls: the initial state, open once, locked again.
      expect(s.data.enters).toEqual({ locked: 2, open: 1 });
      // Open and lock by hand.
      expect(await node.call(door, { unlock: '1234' })).toBe('opened');
      expect(await node.call(door, 'lock')).toBe('locked');
      s = (await node.call(door, 'status')) as Status;
      expect(s.state).toBe('locked');
      expect(s.data.enters).toEqual({ locked: 3, open: 2 });
      expect(s.data.answered).toEqual([
        ['locked', { unlock: '0000' }], ['locked', { unlock: '1234' }], ['open', 'anything'], ['locked', { unlock: '1234' }], ['open', 'lock'],
      ]);
    } finally {
      await node.stop();
    }
  });

  it('runs on another scheduler thread and is called from the embedding thread (ThreadedNode)', async () => {
    const node = await startNode({ schedulers: 2 });
    try {
      const door = await node.spawn(Door, ['42', 30], { scheduler: 1 });
      expect(await GenStatem.call(node, door, { unlock: '42' })).toBe('opened');
      await until(async () => ((await node.call(door, 'status')) as Status).state === 'locked', 'the door to relock');
      expect(((await node.call(door, 'status')) as Status).data.enters).toEqual({ locked: 2, open: 1 });
    } finally {
      await node.stop();
    }
  });
});
