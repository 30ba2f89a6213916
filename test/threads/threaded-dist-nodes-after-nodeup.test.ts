import { afterEach, describe, expect, it } from 'vitest';
import { DistProbe } from './fixtures/dist-actors.ts';
import { startThreadedDistNode, type ThreadedDistNode } from './fixtures/dist-node.ts';

// ctx.nodes() on a scheduler thread lists a node once 'nodeup' was emitted, and not after
// 'nodedown'; ctx.nodeName is the node's name there too.

let t: ThreadedDistNode;
afterEach(async () => {
  await t.node.stop();
});

describe('distributed ThreadedNode: ctx.nodes() on a scheduler thread', () => {
  it('follows nodeup and nodedown', async () => {
    t = await startThreadedDistNode(2);
    const probe = await t.node.spawn(DistProbe, [t.node.pid], { scheduler: 1 });
    t.node.send(probe, { cmd: 'nodes', tag: 'before' });
    expect(await t.waitFor((x) => x?.tag === 'before')).toEqual({ nodes: [], nodeName: 'a@h', tag: 'before' });

    t.up(3);
    expect(t.node.nodes()).toEqual(['b@h']);
    t.node.send(probe, { cmd: 'nodes', tag: 'up' });
    expect((await t.waitFor((x) => x?.tag === 'up')).nodes).toEqual(['b@h']);

    t.down(3);
    t.node.send(probe, { cmd: 'nodes', tag: 'down' });
    expect((await t.waitFor((x) => x?.tag === 'down')).nodes).toEqual([]);
    expect(t.node.nodes()).toEqual([]);
    expect(t.node.name).toBe('a@h');
  });
});
