import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from '../dist/support/node-cluster.ts';
import type { NodeProcess } from '../dist/support/node-process.ts';

// Three node processes: members joined on a and on b are seen on c — whether c's scope
// server found the others at its start (discover to the nodes connected then) or at a
// later nodeup — and a member that dies is gone on every node.

const kFixture = 'test/cluster/fixtures/pg-node.ts';
const run = <R>(p: NodeProcess, fn: string, ...args: unknown[]): Promise<R> => p.request<R>({ cmd: 'run', module: kFixture, export: fn, args });

describe('pg across three node processes', () => {
  it('joins on a and b are seen on c; a dead member is gone everywhere', async () => {
    const { nodes: { a, b, c } } = await startCluster(['a', 'b', 'c'], { tickTimeMs: 2000 });
    // a and b connected before their scopes start (discovery at init) ...
    expect(await a!.request({ cmd: 'connect', node: fullName('b') })).toBe(true);
    await run(a!, 'startScope');
    await run(b!, 'startScope');
    await run(c!, 'startScope');
    // ... c connects afterwards (discovery at nodeup; the mesh connects c to b too).
    expect(await c!.request({ cmd: 'connect', node: fullName('a') })).toBe(true);

    const onA = await run<string[]>(a!, 'spawnMembers', 'ka', 'g', 2);
    const onB = await run<string[]>(b!, 'spawnMembers', 'kb', 'g', 1);
    const all = [...onA, ...onB].sort();
    expect(await run(c!, 'awaitMembers', 'g', 3)).toEqual(all);
    expect(await run(a!, 'awaitMembers', 'g', 3)).toEqual(all);
    expect(await run(b!, 'awaitMembers', 'g', 3)).toEqual(all);
    expect(await run(c!, 'members', 'other')).toEqual([]);

    await run(a!, 'killMembers', 'ka');
    expect(await run(c!, 'awaitMembers', 'g', 1)).toEqual(onB);
    expect(await run(b!, 'awaitMembers', 'g', 1)).toEqual(onB);
    expect(await run(a!, 'members', 'g')).toEqual(onB);
  }, 40_000);
});
