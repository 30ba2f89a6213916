import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from '../dist/support/node-cluster.ts';
import type { NodeProcess } from '../dist/support/node-process.ts';

// kill -9 of a node: its members vanish from the other nodes' groups (nodedown / the
// scope server's DOWN 'noconnection'); the node restarted, its scope started again and
// its processes joined again: they are seen again everywhere (the new incarnation's pids);
// the old ones never come back.

const kFixture = 'test/cluster/fixtures/pg-node.ts';
const run = <R>(p: NodeProcess, fn: string, ...args: unknown[]): Promise<R> => p.request<R>({ cmd: 'run', module: kFixture, export: fn, args });

describe('pg: a node killed and restarted', () => {
  it('kill -9 drops its members; after restart and rejoin they are seen again', async () => {
    const cluster = await startCluster(['a', 'b', 'c'], { tickTimeMs: 1000 });
    const { a, b, c } = cluster.nodes;
    for (const p of [a!, b!, c!]) await run(p, 'startScope');
    await a!.request({ cmd: 'connect', node: fullName('b') });
    await a!.request({ cmd: 'connect', node: fullName('c') });

    const onA = await run<string[]>(a!, 'spawnMembers', 'ka', 'g', 1);
    const onB = await run<string[]>(b!, 'spawnMembers', 'kb', 'g', 2);
    expect(await run(c!, 'awaitMembers', 'g', 3)).toEqual([...onA, ...onB].sort());

    await b!.kill9();
    expect(await run(a!, 'awaitMembers', 'g', 1)).toEqual(onA);
    expect(await run(c!, 'awaitMembers', 'g', 1)).toEqual(onA);

    const b2 = await cluster.add('b');
    await run(b2, 'startScope');
    await b2.request({ cmd: 'connect', node: fullName('a') });
    const onB2 = await run<string[]>(b2, 'spawnMembers', 'kb', 'g', 2);
    expect(onB2.filter((p) => onB.includes(p))).toEqual([]); // a new creation: other pids
    expect(await run(c!, 'awaitMembers', 'g', 3)).toEqual([...onA, ...onB2].sort());
    expect(await run(a!, 'awaitMembers', 'g', 3)).toEqual([...onA, ...onB2].sort());
    // b's new life sees the members of a and c too (its scope synced with them).
    expect(await run(b2, 'awaitMembers', 'g', 3)).toEqual([...onA, ...onB2].sort());
  }, 45_000);
});
