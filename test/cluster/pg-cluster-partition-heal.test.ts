import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from '../dist/support/node-cluster.ts';
import type { NodeProcess } from '../dist/support/node-process.ts';

// A partition (the connection closed by disconnectNode, both nodes alive): each side drops
// the other's members; changes made meanwhile are not seen across; when the nodes connect
// again, nodeup -> discover -> sync brings each side the other's current members (what
// left during the partition does not come back).

const kFixture = 'test/cluster/fixtures/pg-node.ts';
const run = <R>(p: NodeProcess, fn: string, ...args: unknown[]): Promise<R> => p.request<R>({ cmd: 'run', module: kFixture, export: fn, args });

describe('pg: a partition heals', () => {
  it('members dropped at the disconnect; the current ones synced at the reconnect', async () => {
    const { nodes: { a, c } } = await startCluster(['a', 'c'], { tickTimeMs: 2000 });
    await run(a!, 'startScope');
    await run(c!, 'startScope');
    expect(await a!.request({ cmd: 'connect', node: fullName('c') })).toBe(true);
    const first = await run<string[]>(a!, 'spawnMembers', 'k1', 'g', 2);
    const onC = await run<string[]>(c!, 'spawnMembers', 'kc', 'g', 1);
    expect(await run(c!, 'awaitMembers', 'g', 3)).toEqual([...first, ...onC].sort());

    expect(await a!.request({ cmd: 'disconnect', node: fullName('c') })).toBe(true);
    expect(await run(c!, 'awaitMembers', 'g', 1)).toEqual(onC);
    expect(await run(a!, 'awaitMembers', 'g', 2)).toEqual(first);
    // Changes on a while apart: k1 leaves, k2 joins.
    expect(await run(a!, 'leaveMembers', 'k1', 'g')).toBe('ok');
    const second = await run<string[]>(a!, 'spawnMembers', 'k2', 'g', 1);
    expect(await run(c!, 'members', 'g')).toEqual(onC);

    expect(await c!.request({ cmd: 'connect', node: fullName('a') })).toBe(true);
    expect(await run(c!, 'awaitMembers', 'g', 2)).toEqual([...second, ...onC].sort());
    expect(await run(a!, 'awaitMembers', 'g', 2)).toEqual([...second, ...onC].sort());
  }, 40_000);
});
