import { describe, expect, it } from 'vitest';
import { fullName } from '../dist/support/node-cluster.ts';
import { customs, kCountingResolve, meshed, run, startGlobalCluster, until } from './fixtures/global-cluster.ts';

// A partition heals with clashing names: c is cut off from a and b ({a, b} | {c}), each
// side registers the same names with its own process, then c connects again (to a; the
// mesh connects it to b). Two pairs merge (a-c and b-c, each driven by the node whose name
// sorts first), but the first merge locks both partitions whole, so each clash is resolved
// once, and the second finds equal tables:
//   x  a user resolve function ({ module, export }): called once, keeps pid1 (the owner
//      of the {a, b} side, which drives both merges)
//   y  default 'random_exit': a's owner kept (node name order), c's exits with
//      { kind: 'global_name_conflict', name: 'y' }
//   z  'notify_all': the name is unregistered and both owners are told
// (a runs two scheduler threads: a merge and the user function may run on a worker thread.)

describe('Global: partition, both sides register, heal', () => {
  it('resolves every clash once; one owner (or none for notify_all) on both sides', async () => {
    const cl = await startGlobalCluster(['a', 'b', 'c'], { per: { a: { schedulers: 2 } } });
    const { a, b, c } = cl.nodes as Record<string, NonNullable<(typeof cl.nodes)['a']>>;
    const owners: Record<string, string> = {};
    for (const n of ['x', 'y', 'z']) {
      owners[`a-${n}`] = await run<string>(a, 'spawnOwner', [`a-${n}`]);
      owners[`c-${n}`] = await run<string>(c, 'spawnOwner', [`c-${n}`]);
    }
    expect(await c.request({ cmd: 'disconnect', node: fullName('a') })).toBe(true);
    expect(await c.request({ cmd: 'disconnect', node: fullName('b') })).toBe(true);
    await until('known of c after the cut', () => run<string[]>(c, 'known'), (k) => k.length === 0);
    for (const p of [a, b]) await until('known after the cut', () => run<string[]>(p, 'known'), (k) => k.length === 1);

    const methods: Record<string, unknown> = { x: kCountingResolve, y: undefined, z: 'notify_all' };
    for (const n of ['x', 'y', 'z']) {
      expect(await run(a, 'register', [n, `a-${n}`, methods[n]])).toBe('yes');
      expect(await run(c, 'register', [n, `c-${n}`, methods[n]])).toBe('yes');
    }
    expect(await run(b, 'whereis', ['x'])).toBe(owners['a-x']);
    expect(await run(c, 'whereis', ['x'])).toBe(owners['c-x']);

    expect(await c.request({ cmd: 'connect', node: fullName('a') })).toBe(true);
    await meshed(a, [fullName('b'), fullName('c')]);
    await meshed(b, [fullName('a'), fullName('c')]);
    await meshed(c, [fullName('a'), fullName('b')]);

    const resolves = [a, b, c].flatMap((p) => customs(p, 'resolve'));
    expect(resolves).toEqual([{ name: 'x', pid1: owners['a-x'], pid2: owners['c-x'] }]);
    for (const p of [a, b, c]) {
      expect(await run(p, 'whereis', ['x'])).toBe(owners['a-x']);
      expect(await run(p, 'whereis', ['y'])).toBe(owners['a-y']);
      expect(await run(p, 'whereis', ['z'])).toBeNull();
      expect(await run(p, 'registered')).toEqual(['x', 'y']);
    }
    const down = await c.events.waitFor((e) => e.event === 'custom' && (e as { data?: { tag?: string } }).data?.tag === 'c-y', 5000, 'c-y exit');
    expect((down as { data?: unknown }).data).toEqual({ tag: 'c-y', reason: { kind: 'global_name_conflict', name: 'y' } });
    await a.events.waitFor((e) => e.event === 'custom' && (e as { name?: string }).name === 'conflict', 5000, 'z conflict on a');
    await c.events.waitFor((e) => e.event === 'custom' && (e as { name?: string }).name === 'conflict', 5000, 'z conflict on c');
    expect(customs(a, 'conflict')).toEqual([{ name: 'z', by: owners['a-z'], other: owners['c-z'] }]);
    expect(customs(c, 'conflict')).toEqual([{ name: 'z', by: owners['c-z'], other: owners['a-z'] }]);
    expect(customs(b, 'conflict')).toEqual([]);
    // Nobody else died: the losers of x and z keep running.
    expect([a, b, c].flatMap((p) => customs(p, 'ownerDown'))).toEqual([{ tag: 'c-y', reason: { kind: 'global_name_conflict', name: 'y' } }]);
  }, 40_000);
});
