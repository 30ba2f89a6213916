import { describe, expect, it } from 'vitest';
import { fullName } from '../dist/support/node-cluster.ts';
import { run, startGlobalCluster, until } from './fixtures/global-cluster.ts';

// kill -9 of the node an owner lives on: the other nodes drop its names at nodedown (the
// sockets close with the process, so at once, not after the tick time); a name whose owner
// lives on a surviving node stays, and the dead node is no longer a synced node.

describe('Global: kill -9 of an owner\'s node', () => {
  it('its names are gone on the other nodes, the others stay', async () => {
    const c = await startGlobalCluster(['a', 'b', 'c'], { tickTimeMs: 2000, per: { b: { schedulers: 2 } } });
    const { a, b, c: cc } = c.nodes as Record<string, NonNullable<(typeof c.nodes)['a']>>;
    await run(cc, 'spawnOwner', ['oc']);
    await run(a, 'spawnOwner', ['oa']);
    expect(await run(cc, 'register', ['on-c', 'oc'])).toBe('yes');
    const oa = await run<string>(a, 'register', ['on-a', 'oa']);
    expect(oa).toBe('yes');
    expect(await run(b, 'registered')).toEqual(['on-a', 'on-c']);

    const t0 = Date.now();
    await cc.kill9();
    for (const p of [a, b]) {
      await until('on-c after kill -9', () => run(p, 'whereis', ['on-c']), (v) => v === null);
      expect(await run(p, 'whereis', ['on-a'])).toMatch(/^a@127\.0\.0\.1\//);
      expect(await run(p, 'known')).toEqual([fullName(p === a ? 'b' : 'a')]);
    }
    expect(Date.now() - t0).toBeLessThan(2000 + 3000);
    expect(await run(a, 'registered')).toEqual(['on-a']);
  }, 40_000);
});
