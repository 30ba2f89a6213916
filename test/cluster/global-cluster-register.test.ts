import { describe, expect, it } from 'vitest';
import { customs, run, startGlobalCluster } from './fixtures/global-cluster.ts';

// Global names across three node processes: a name registered on a is seen on b and c,
// called through { global } from c, unregistered from c;
// when its owner dies it is gone everywhere; two nodes registering the same name at the
// same moment (several times, from several processes each) get exactly one 'yes'.

describe('Global across three nodes', () => {
  it('register on a, whereis on b and c; owner dies -> gone everywhere; concurrent registrations -> one wins', async () => {
    const c = await startGlobalCluster(['a', 'b', 'c'], { per: { c: { schedulers: 2 } } });
    const { a, b, c: cc } = c.nodes as Record<string, NonNullable<(typeof c.nodes)['a']>>;
    const owner = await run<string>(a, 'spawnOwner', ['o1']);
    expect(await run(a, 'register', ['svc', 'o1'])).toBe('yes');
    // register returned after every synced node's server wrote it: b and c see it now.
    expect(await run(b, 'whereis', ['svc'])).toBe(owner);
    expect(await run(cc, 'whereis', ['svc'])).toBe(owner);
    expect(await run(cc, 'registered')).toEqual(['svc']);
    // { global } from another node's embedding thread (c runs two scheduler threads).
    expect(await run(cc, 'callGlobal', ['svc', 'hello'])).toEqual({ echo: 'hello', by: owner });
    // Unregistered from c: gone on a too; a takes it again.
    expect(await run(cc, 'unregister', ['svc'])).toBe('ok');
    expect(await run(a, 'whereis', ['svc'])).toBeNull();
    expect(await run(a, 'register', ['svc', 'o1'])).toBe('yes');
    await run(b, 'spawnOwner', ['o2']);
    expect(await run(b, 'register', ['svc', 'o2'])).toBe('no');

    await run(a, 'kill', ['o1']);
    await a.events.waitFor((e) => e.event === 'custom' && (e as { data?: { tag?: string } }).data?.tag === 'o1', 5000, 'o1 down');
    for (const p of [a, b, cc]) {
      await run(p, 'sync');
      expect(await run(p, 'whereis', ['svc'])).toBeNull();
    }
    // Free again: b's owner takes it, and a sees that.
    expect(await run(b, 'register', ['svc', 'o2'])).toBe('yes');
    expect(await run(a, 'whereis', ['svc'])).toBe(await run(b, 'whereis', ['svc']));

    // Concurrent registrations of one name from two nodes: exactly one wins.
    const tags = ['t1', 't2', 't3'];
    for (const t of tags) {
      await run(b, 'spawnOwner', [`b-${t}`]);
      await run(cc, 'spawnOwner', [`c-${t}`]);
    }
    for (let round = 0; round < 3; round++) {
      const name = `race${round}`;
      const [fromB, fromC] = await Promise.all([
        run<string[]>(b, 'registerMany', [name, tags.map((t) => `b-${t}`)]),
        run<string[]>(cc, 'registerMany', [name, tags.map((t) => `c-${t}`)]),
      ]);
      const all = [...fromB, ...fromC];
      expect(all.filter((r) => r === 'yes')).toHaveLength(1);
      expect(all.filter((r) => r === 'no')).toHaveLength(5);
      const seen = await Promise.all([a, b, cc].map((p) => run<string | null>(p, 'whereis', [name])));
      expect(seen[0]).not.toBeNull();
      expect(new Set(seen).size).toBe(1);
    }
    expect(customs(a, 'resolve')).toEqual([]);
  }, 45_000);
});
