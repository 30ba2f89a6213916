import { describe, expect, it } from 'vitest';
import { fullName, nodeupsOf, startCluster } from './support/node-cluster.ts';

// Mesh formation: b..e each connect only to a; the "nodes" lists exchanged after nodeup
// make every node connect to every other: each sees four nodeups and lists the four others.

const all = ['a', 'b', 'c', 'd', 'e'];

describe('distribution: a five-node mesh forms from a star', () => {
  it('every node ends up connected to every other', async () => {
    const { nodes } = await startCluster(all);
    for (const s of ['b', 'c', 'd', 'e']) expect(await nodes[s]!.request({ cmd: 'connect', node: fullName('a') })).toBe(true);
    await Promise.all(all.map((s) => nodeupsOf(nodes[s]!, all.filter((x) => x !== s), 15_000)));
    for (const s of all) {
      const listed = (await nodes[s]!.request<string[]>({ cmd: 'nodes' })).slice().sort();
      expect(listed).toEqual(all.filter((x) => x !== s).map(fullName));
    }
  }, 30_000);
});
