import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { GenStatem } from '../../src/otp/gen-statem.ts';
import { Sys } from '../../src/otp/sys.ts';
import { Door } from './fixtures/gen-statem-door.ts';

describe('GenStatem: synchronous start, sys inspection and suspend', () => {
  it('starts by name, answers getState with {state, data}, queues events while suspended', async () => {
    const node = new LocalNode();
    try {
      const door = await GenStatem.start(node, Door, ['9', 10_000], { name: 'front-door' });
      expect(node.whereis('front-door')).toEqual(door);
      expect(await Sys.getState(node, 'front-door')).toMatchObject({ state: 'locked', data: { code: '9', enters: { locked: 1 } } });
      expect(await Sys.suspend(node, 'front-door')).toBe('ok');
      let answered = false;
      const p = GenStatem.call(node, 'front-door', { unlock: '9' }).then((v) => {
        answered = true;
        return v;
      });
      expect((await Sys.getStatus(node, 'front-door')).status).toBe('suspended');
      expect(answered).toBe(false);
      expect(await Sys.resume(node, 'front-door')).toBe('ok');
      expect(await p).toBe('opened');
      expect(await Sys.getState(node, door!)).toMatchObject({ state: 'open' });
    } finally {
      await node.stop();
    }
  });
});
