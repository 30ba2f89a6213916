import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from './support/node-cluster.ts';

// Nodes with different cookies do not connect, whichever side initiates: connectNode is
// false on both, neither sees a nodeup, and neither lists the other.

describe('distribution: a wrong cookie is refused by both sides', () => {
  it('connect fails from either side; no nodeup, no node listed', async () => {
    const { nodes: { a, b } } = await startCluster(['a', 'b'], { per: { a: { cookie: 'cookie-of-a' }, b: { cookie: 'cookie-of-b' } } });
    expect(await a!.request({ cmd: 'connect', node: fullName('b') })).toBe(false);
    expect(await b!.request({ cmd: 'connect', node: fullName('a') })).toBe(false);
    // A send does not get through either (the auto-connect fails: dropped).
    await b!.request({ cmd: 'spawn', behaviour: 'Collector', args: [{ $gateway: true }], register: 'inbox' });
    await a!.request({ cmd: 'send', to: { name: 'inbox', node: fullName('b') }, msg: { tag: 't', last: true } });
    expect(await a!.request({ cmd: 'connect', node: fullName('b') })).toBe(false);
    expect(await b!.request({ cmd: 'call', to: { name: 'inbox' }, msg: 'count' })).toEqual({ value: 0 });
    for (const n of [a!, b!]) {
      expect(await n.request({ cmd: 'nodes', which: 'connected' })).toEqual([]);
      expect(n.events.filter((e) => e.event === 'nodeup')).toEqual([]);
    }
  }, 30_000);
});
