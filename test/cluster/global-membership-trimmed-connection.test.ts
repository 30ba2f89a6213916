import { describe, expect, it } from 'vitest';
import { fullName } from '../dist/support/node-cluster.ts';
import { agreed, run, startSwimCluster, until } from './fixtures/membership-cluster.ts';

// Two node processes under Membership (dist.mesh false); b owns the global name x. a drops
// its connection to b, as Membership's maxPeers trim does to an idle peer, while both stay
// members. A lost connection is not a lost node there: a keeps x (b's), and a register of
// x on a answers 'no'. Before Global followed the membership, a's nodedown removed b's
// names and forgot b as synced, so a saw x free and took it: two owners of one name with
// every node up and agreeing (the history check of native-bench/cluster-membership.ts
// found that with maxPeers 3 of 8 nodes).
describe('Global under Membership: a trimmed connection is not a node down', () => {
  it('keeps the peer\'s names and refuses a second owner', async () => {
    const c = await startSwimCluster(['a', 'b']);
    try {
      const a = c.nodes['a']!;
      const b = c.nodes['b']!;
      await agreed([a, b], [fullName('a'), fullName('b')]);
      await Promise.all([run(a, 'globalStart'), run(b, 'globalStart')]);
      expect(await run(b, 'globalRegister', ['x'])).toBe('yes');
      await until('x on a', () => run<string | null>(a, 'globalWhereis', ['x']), (v) => v === fullName('b'));

      const r = await run<{ ownerAfterDisconnect: string | null; register: string }>(a, 'disconnectThenRegister', [fullName('b'), 'x']);
      expect(r).toEqual({ ownerAfterDisconnect: fullName('b'), register: 'no' });
      expect(await run(a, 'globalWhereis', ['x'])).toBe(fullName('b'));
      expect(await run(b, 'globalWhereis', ['x'])).toBe(fullName('b'));
      expect(await run(a, 'up')).toEqual([fullName('a'), fullName('b')]);
    } finally {
      await c.close();
    }
  }, 60_000);
});
