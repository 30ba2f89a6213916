import { describe, expect, it } from 'vitest';
import { fullName } from '../dist/support/node-cluster.ts';
import { agreed, customs, run, startSwimCluster } from './fixtures/membership-cluster.ts';

// Five node processes without the full mesh, SWIM over dist messages (200 ms probes):
// every node finds the others through the port mapper (PortMapperDiscovery: NAMES_REQ,
// rediscovery every 0.5 s, so the ones that start first find the later ones); a kill -9
// is suspected, confirmed
// (memberLeft, reason 'failed') and agreed on by every live node.
describe('Membership over real nodes: join, kill -9', () => {
  it('converges, then detects the killed node everywhere', async () => {
    const shorts = ['a', 'b', 'c', 'd', 'e'];
    // b is a ThreadedNode (2 scheduler threads): its server runs on a worker thread and
    // reaches the embedding thread's events through the gateway.
    const cl = await startSwimCluster(shorts, { byPortMapper: true, per: { b: { schedulers: 2 } } });
    const ps = shorts.map((s) => cl.nodes[s]!);
    await agreed(ps, shorts.map(fullName));
    const members = await run<{ name: string; state: string }[]>(ps[1]!, 'members');
    expect(members[0]).toMatchObject({ name: fullName('b'), state: 'alive' });
    expect(members.length).toBe(5);
    for (const p of ps) expect(customs(p, 'memberJoined').length).toBe(4);

    await cl.nodes['e']!.kill9();
    const live = ps.slice(0, 4);
    await Promise.all(live.map((p) => p.events.waitFor((ev) => ev.event === 'custom' && (ev as { name?: string }).name === 'memberLeft', 15_000, `memberLeft on ${p.name}`)));
    await agreed(live, shorts.slice(0, 4).map(fullName));
    for (const p of live) {
      expect(customs(p, 'memberLeft')).toEqual([{ type: 'memberLeft', node: fullName('e'), reason: 'failed' }]);
      expect(customs(p, 'nodeSuspect').some((s) => (s as { node: string }).node === fullName('e'))).toBe(true);
    }
  }, 90_000); // process start-up on a loaded machine dominates
});
