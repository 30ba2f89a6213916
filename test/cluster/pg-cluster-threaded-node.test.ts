import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from '../dist/support/node-cluster.ts';
import type { NodeProcess } from '../dist/support/node-process.ts';

// A ThreadedNode with 2 schedulers (t) in a cluster with two LocalNodes (a, c): t's scope
// server runs on scheduler 1; members on both of t's schedulers are seen on a and c,
// a's members are seen on t (read from t's embedding thread: a call to the server), and
// when t's members die they are gone everywhere.

const kFixture = 'test/cluster/fixtures/pg-node.ts';
const run = <R>(p: NodeProcess, fn: string, ...args: unknown[]): Promise<R> => p.request<R>({ cmd: 'run', module: kFixture, export: fn, args });

describe('pg with a 2-scheduler node in the cluster', () => {
  it('members on either scheduler are seen everywhere and removed when they die', async () => {
    const { nodes: { a, t, c } } = await startCluster(['a', 't', 'c'], { tickTimeMs: 2000, per: { t: { schedulers: 2 } } });
    await run(a!, 'startScope');
    await run(c!, 'startScope');
    const server = await run<string>(t!, 'startScope', null, 1);
    expect(Number(/\/(\d+)\./.exec(server)![1]) % 3).toBe(1); // pid id % (2 schedulers + gateway)
    await t!.request({ cmd: 'connect', node: fullName('a') });
    await t!.request({ cmd: 'connect', node: fullName('c') });

    const on0 = await run<string[]>(t!, 'spawnMembers', 'k0', 'g', 2, null, 0);
    const on1 = await run<string[]>(t!, 'spawnMembers', 'k1', 'g', 1, null, 1);
    const onA = await run<string[]>(a!, 'spawnMembers', 'ka', 'g', 1);
    const all = [...on0, ...on1, ...onA].sort();
    expect(await run(a!, 'awaitMembers', 'g', 4)).toEqual(all);
    expect(await run(c!, 'awaitMembers', 'g', 4)).toEqual(all);
    expect(await run(t!, 'awaitMembers', 'g', 4)).toEqual(all);

    await run(t!, 'killMembers', 'k0');
    await run(t!, 'killMembers', 'k1');
    expect(await run(c!, 'awaitMembers', 'g', 1)).toEqual(onA);
    expect(await run(a!, 'awaitMembers', 'g', 1)).toEqual(onA);
    expect(await run(t!, 'members', 'g')).toEqual(onA);
  }, 45_000);
});
