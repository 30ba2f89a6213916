import { describe, expect, it } from 'vitest';
import { fullName } from '../dist/support/node-cluster.ts';
import { customs, kCountingResolve, meshed, run, startGlobalCluster, until } from './fixtures/global-cluster.ts';

// (a runs two scheduler threads, so the merge and the user function run on a worker thread.)
// A partition heals with clashing names: two nodes are disconnected, each side registers
// the same names with its own process, then they connect again. Each clash is resolved
// once, by the merge a (the node whose name sorts first) drives:
//   x  a user resolve function ({ module, export }): called once, keeps pid1 (a's owner)
//   y  default 'random_exit': a's owner kept (node name order), b's exits with
//      { kind: 'global_name_conflict', name: 'y' }
//   z  'notify_all': the name is unregistered and both owners are told

describe('Global: partition, both sides register, heal', () => {
  it('resolves every clash once; one owner (or none for notify_all) on both sides', async () => {
    const c = await startGlobalCluster(['a', 'b'], { per: { a: { schedulers: 2 } } });
    const { a, b } = c.nodes as Record<string, NonNullable<(typeof c.nodes)['a']>>;
    const owners: Record<string, string> = {};
    for (const n of ['x', 'y', 'z']) {
      owners[`a-${n}`] = await run<string>(a, 'spawnOwner', [`a-${n}`]);
      owners[`b-${n}`] = await run<string>(b, 'spawnOwner', [`b-${n}`]);
    }
    expect(await a.request({ cmd: 'disconnect', node: fullName('b') })).toBe(true);
    for (const p of [a, b]) await until('known after disconnect', () => run<string[]>(p, 'known'), (k) => k.length === 0);

    const methods: Record<string, unknown> = { x: kCountingResolve, y: undefined, z: 'notify_all' };
    for (const n of ['x', 'y', 'z']) {
      expect(await run(a, 'register', [n, `a-${n}`, methods[n]])).toBe('yes');
      expect(await run(b, 'register', [n, `b-${n}`, methods[n]])).toBe('yes');
    }
    expect(await run(a, 'whereis', ['x'])).toBe(owners['a-x']);
    expect(await run(b, 'whereis', ['x'])).toBe(owners['b-x']);

    expect(await a.request({ cmd: 'connect', node: fullName('b') })).toBe(true);
    await meshed(a, [fullName('b')]);
    await meshed(b, [fullName('a')]);

    const resolves = [...customs(a, 'resolve'), ...customs(b, 'resolve')];
    expect(resolves).toEqual([{ name: 'x', pid1: owners['a-x'], pid2: owners['b-x'] }]);
    for (const p of [a, b]) {
      expect(await run(p, 'whereis', ['x'])).toBe(owners['a-x']);
      expect(await run(p, 'whereis', ['y'])).toBe(owners['a-y']);
      expect(await run(p, 'whereis', ['z'])).toBeNull();
      expect(await run(p, 'registered')).toEqual(['x', 'y']);
    }
    const down = await b.events.waitFor((e) => e.event === 'custom' && (e as { data?: { tag?: string } }).data?.tag === 'b-y', 5000, 'b-y exit');
    expect((down as { data?: unknown }).data).toEqual({ tag: 'b-y', reason: { kind: 'global_name_conflict', name: 'y' } });
    await a.events.waitFor((e) => e.event === 'custom' && (e as { name?: string }).name === 'conflict', 5000, 'z conflict on a');
    await b.events.waitFor((e) => e.event === 'custom' && (e as { name?: string }).name === 'conflict', 5000, 'z conflict on b');
    expect(customs(a, 'conflict')).toEqual([{ name: 'z', by: owners['a-z'], other: owners['b-z'] }]);
    expect(customs(b, 'conflict')).toEqual([{ name: 'z', by: owners['b-z'], other: owners['a-z'] }]);
    // Nobody else died: the losers of x and z keep running.
    expect([...customs(a, 'ownerDown'), ...customs(b, 'ownerDown')]).toEqual([{ tag: 'b-y', reason: { kind: 'global_name_conflict', name: 'y' } }]);
  }, 40_000);
});
