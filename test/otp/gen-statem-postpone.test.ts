import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { Door, type DoorData } from './fixtures/gen-statem-door.ts';

type Status = { state: string; data: DoorData };

describe('GenStatem: postpone', () => {
  it('keeps events postponed in a busy state and retries them, in arrival order, after the state changes', async () => {
    const node = new LocalNode();
    try {
      const door = await node.spawn(Door, ['7', 500]);
      node.send(door, { type: '$cast', msg: 'maintenance' });
      expect(((await node.call(door, 'status')) as Status).state).toBe('busy');
      // Three calls arrive while busy: none is answered until the maintenance ends...
      const answers: unknown[] = [];
      const calls = [node.call(door, 'first'), node.call(door, { unlock: '7' }), node.call(door, 'third')].map((p, i) =>
        p.then((v) => answers.push([i, v])),
      );
      // ('status' is answered in any state: it is not postponed.)
      expect(((await node.call(door, 'status')) as Status).state).toBe('busy');
      expect(answers).toEqual([]);
      await Promise.all(calls);
      // ...then they run in order: 'first' in locked, the unlock opens, 'third' sees it open.
      expect(answers).toEqual([[0, 'locked'], [1, 'opened'], [2, 'open']]);
      const s = (await node.call(door, 'status')) as Status;
      expect(s.data.answered).toEqual([['locked', 'first'], ['locked', { unlock: '7' }], ['open', 'third']]);
      expect(s.data.enters).toEqual({ locked: 2, busy: 1, open: 1 });
    } finally {
      await node.stop();
    }
  });
});
