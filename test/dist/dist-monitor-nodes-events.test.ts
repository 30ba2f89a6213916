import { describe, expect, it } from 'vitest';
import type { NodeProcess, NodeProcessEvent } from './support/node-process.ts';
import { fullName, startCluster } from './support/node-cluster.ts';

// ctx.monitorNodes (Erlang's net_kernel:monitor_nodes): an actor subscribed on a node gets
// nodeup and nodedown for every visible node, once per subscription, with ctx.nodes()
// already agreeing; hidden nodes are not reported; on a threaded node too.

const kFixture = 'test/dist/fixtures/monitor-nodes-node.ts';

interface Seen {
  readonly watcher: string;
  readonly saw: string;
  readonly node?: string;
  readonly reason?: unknown;
  readonly nodes?: string[];
}

function seenOf(e: NodeProcessEvent): Seen | null {
  return e.event === 'message' && typeof (e.msg as Seen).watcher === 'string' ? (e.msg as Seen) : null;
}

async function waitSeen(p: NodeProcess, tag: string, saw: string, node: string | null, what: string): Promise<Seen> {
  const e = await p.events.waitFor((x) => {
    const s = seenOf(x);
    return s !== null && s.watcher === tag && s.saw === saw && (node === null || s.node === node);
  }, 10_000, what);
  return seenOf(e)!;
}

describe.each([0, 2])('ctx.monitorNodes on a node with schedulers: %i', (schedulers) => {
  it('reports visible nodeups and nodedowns, once per subscription, hidden nodes never', async () => {
    const c = await startCluster(['w'], { tickTimeMs: 2000, per: { w: { schedulers } } });
    const w = c.nodes.w!;
    await w.request({ cmd: 'run', module: kFixture, export: 'watch', args: ['once'] });
    await w.request({ cmd: 'run', module: kFixture, export: 'watch', args: ['twice', 2] });
    expect(await waitSeen(w, 'once', 'subscribed', null, 'subscribed')).toMatchObject({ nodes: [] });
    await waitSeen(w, 'twice', 'subscribed', null, 'subscribed');

    const v = await c.add('v');
    await c.add('h', { hidden: true });
    await v.request({ cmd: 'connect', node: fullName('w') });
    const up = await waitSeen(w, 'once', 'nodeup', fullName('v'), 'nodeup of v');
    expect(up.nodes).toContain(fullName('v'));
    await c.nodes.h!.request({ cmd: 'connect', node: fullName('w') });

    await v.kill9();
    const down = await waitSeen(w, 'once', 'nodedown', fullName('v'), 'nodedown of v');
    expect(down.reason).toBe('noconnection');
    expect(down.nodes).not.toContain(fullName('v'));
    // The watcher with two subscriptions got each message twice; nobody heard of the hidden node.
    await waitSeen(w, 'twice', 'nodedown', fullName('v'), 'nodedown of v (twice)');
    const all = w.events.all.map(seenOf).filter((s): s is Seen => s !== null);
    expect(all.filter((s) => s.watcher === 'twice' && s.saw === 'nodeup').length).toBe(2);
    expect(all.filter((s) => s.watcher === 'once' && s.saw === 'nodeup').length).toBe(1);
    expect(all.filter((s) => s.node === fullName('h'))).toEqual([]);
  }, 45_000);
});
