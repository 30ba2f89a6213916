import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Sender } from './fixtures/node-actors.ts';

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
});
afterAll(() => node.stop());

describe('the gateway of a threaded node is a real actor', () => {
  it('node.pid is a live process on the embedding thread, shown by processInfo as the gateway', async () => {
    const info = await node.processInfo(node.pid);
    expect(info).toBeDefined();
    expect(info!.pid.equals(node.pid)).toBe(true);
    expect(info!.behaviour).toMatch(/^gateway\.(ts|js)#gateway$/);
    expect(info!.status).not.toBe('exiting');
    expect(info!.trapExit).toBe(true);
    expect(info!.priority).toBe('high');
    // It lives in the gateway endpoint's pid space, not on a scheduler thread.
    expect(node.pid.id % (node.schedulers + 1)).toBe(node.schedulers);
  });

  it('a message an actor on scheduler 1 sends to node.pid arrives as a message event', async () => {
    const s = await node.spawn(Sender, [], { scheduler: 1 });
    const got = new Promise<unknown>((resolve) => {
      const on = (m: unknown): void => {
        if ((m as { hello?: unknown } | null)?.hello === undefined) return;
        node.off('message', on);
        resolve(m);
      };
      node.on('message', on);
    });
    expect(await node.call(s, { send: { to: node.pid, msg: { hello: 'from 1' } } })).toBe('sent');
    expect(await got).toEqual({ hello: 'from 1' });
    // And one the embedding thread sends to its own pid comes back the same way.
    const back = new Promise<unknown>((resolve) => node.once('message', resolve));
    node.send(node.pid, { self: true });
    expect(await back).toEqual({ self: true });
  });
});
