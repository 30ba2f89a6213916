import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { Global, GlobalThreadInUseError } from '../../src/cluster/global/index.ts';

// The { global } resolver is one per thread: while a node of this thread runs Global, a
// second node on the same thread cannot start it (GlobalThreadInUseError); once the first
// stopped, another can.

let node: LocalNode | null = null;
afterEach(async () => {
  await node?.stop();
  node = null;
});

describe('Global on two nodes of one thread', () => {
  it('the second running node cannot take the thread\'s replica (one { global } resolver per thread)', async () => {
    const first = (node = new LocalNode());
    await Global.start(first);
    const second = new LocalNode();
    try {
      const e = await Global.start(second).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(GlobalThreadInUseError);
      expect(e).toMatchObject({ code: 'ERR_SB_GLOBAL_THREAD_IN_USE' });
    } finally {
      await second.stop();
    }
    await first.stop();
    node = null;
    const third = (node = new LocalNode());
    await Global.start(third); // free again once the first stopped
    expect(Global.registered(third)).toEqual([]);
  });
});
