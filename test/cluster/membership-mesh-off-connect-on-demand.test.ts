import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from '../dist/support/node-cluster.ts';
import { run } from './fixtures/membership-cluster.ts';

// dist: { mesh: false }: a node that comes up at b is not told b's other peers (and would
// not act on such a list), so no full mesh forms; a message to a node we have no
// connection to is still delivered: dist connects on demand.
describe('dist mesh: false', () => {
  it('forms no mesh, and a call to an unconnected node connects on demand', async () => {
    const o = { startDeadlineMs: 60_000, dist: { mesh: false } };
    const per = { a: o, b: o, c: o };
    const cl = await startCluster(['a', 'b', 'c'], { per });
    const { a, b, c } = cl.nodes as Record<string, NonNullable<(typeof cl.nodes)['a']>>;
    await a.request({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });
    await b.request({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });
    expect(await a.request({ cmd: 'connect', node: fullName('b') })).toBe(true);
    expect(await c.request({ cmd: 'connect', node: fullName('b') })).toBe(true);
    // With the mesh, b's "nodes" list (naming a) is the first frame c gets on this
    // connection, before the answer below: c would be connecting to a by then.
    const r = await c.request<{ value: { node: string } }>({ cmd: 'call', to: { name: 'echo', node: fullName('b') }, msg: 1 });
    expect(r.value.node).toBe(fullName('b'));
    expect(await run(c, 'ioCounts')).toEqual({ connected: 1, pendingSetups: 0 });
    expect(await c.request({ cmd: 'nodes' })).toEqual([fullName('b')]);
    expect(await a.request({ cmd: 'nodes' })).toEqual([fullName('b')]);
    // Connect on demand: c calls a's echo with no connection to a.
    const r2 = await c.request<{ value: { node: string } }>({ cmd: 'call', to: { name: 'echo', node: fullName('a') }, msg: 2 });
    expect(r2.value.node).toBe(fullName('a'));
    expect((await c.request<string[]>({ cmd: 'nodes' })).sort()).toEqual([fullName('a'), fullName('b')]);
  }, 90_000); // process start-up on a loaded machine dominates
});
