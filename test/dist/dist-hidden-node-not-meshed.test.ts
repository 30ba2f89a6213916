import { describe, expect, it } from 'vitest';
import { fullName, nodeupsOf, startCluster } from './support/node-cluster.ts';

// A hidden node is not meshed: connected to a, it is in a's nodes('hidden'), not in
// nodes(); a does not list it to others, so c (visible, joining through a, meshing with
// b) never connects to it.

describe('distribution: a hidden node is not meshed', () => {
  it('is listed only as hidden by the node it connected to, and nobody else connects to it', async () => {
    const cluster = await startCluster(['a', 'b', 'h'], { per: { h: { hidden: true } } });
    const { a, b, h } = cluster.nodes;
    expect(await b!.request({ cmd: 'connect', node: fullName('a') })).toBe(true);
    expect(await h!.request({ cmd: 'connect', node: fullName('a') })).toBe(true);
    await nodeupsOf(a!, ['b', 'h']);
    expect(await a!.request({ cmd: 'nodes' })).toEqual([fullName('b')]);
    expect(await a!.request({ cmd: 'nodes', which: 'hidden' })).toEqual([fullName('h')]);

    // c joins through a and meshes with b: by then any list a sent named b only.
    const c = await cluster.add('c');
    expect(await c.request({ cmd: 'connect', node: fullName('a') })).toBe(true);
    await nodeupsOf(c, ['a', 'b']);
    await nodeupsOf(b!, ['c']);
    expect((await c.request<string[]>({ cmd: 'nodes', which: 'connected' })).slice().sort()).toEqual([fullName('a'), fullName('b')]);
    expect((await b!.request<string[]>({ cmd: 'nodes', which: 'connected' })).slice().sort()).toEqual([fullName('a'), fullName('c')]);
    expect(await h!.request({ cmd: 'nodes', which: 'connected' })).toEqual([fullName('a')]);
    expect(h!.events.filter((e) => e.event === 'nodeup').map((e) => (e as { name: string }).name)).toEqual([fullName('a')]);
  }, 30_000);
});
