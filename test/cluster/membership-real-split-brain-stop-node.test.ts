import { describe, expect, it } from 'vitest';
import { fullName } from '../dist/support/node-cluster.ts';
import { agreed, customs, run, startProxiedSwimCluster, until } from './fixtures/membership-cluster.ts';

// onLoss 'stop-node': c, cut off from a and b (keep-majority), is told it lost and its
// node stops (Akka's downing); a and b keep running and agree on {a, b}.
describe('Membership split brain: onLoss stop-node', () => {
  it('stops the node on the losing side only', async () => {
    const pc = await startProxiedSwimCluster(['a', 'b', 'c'], {
      membership: { splitBrain: { strategy: 'keep-majority', stableAfterSec: 2, onLoss: 'stop-node' } },
    });
    try {
      const { a, b, c } = pc.cluster.nodes as Record<string, NonNullable<(typeof pc.cluster.nodes)['a']>>;
      await agreed([a, b, c], ['a', 'b', 'c'].map(fullName));
      pc.partition(['a', 'b'], ['c']);
      await c.events.waitFor((e) => e.event === 'custom' && (e as { name?: string }).name === 'splitBrain', 20_000, 'splitBrain on c');
      expect(customs(c, 'splitBrain')).toEqual([{ action: 'down-self', reachable: [fullName('c')], unreachable: [fullName('a'), fullName('b')] }]);
      await until('c stopped', () => run<boolean>(c, 'running'), (r) => r === false);
      await agreed([a, b], ['a', 'b'].map(fullName), 20_000);
      await a.events.waitFor((e) => e.event === 'custom' && (e as { name?: string }).name === 'splitBrain', 20_000, 'splitBrain on a');
      expect(customs(a, 'splitBrain')).toEqual([{ action: 'keep', down: [fullName('c')], reachable: [fullName('a'), fullName('b')] }]);
      expect(await run(a, 'running')).toBe(true);
      expect(await run(b, 'running')).toBe(true);
    } finally {
      await pc.close();
    }
  }, 90_000); // process start-up on a loaded machine dominates
});
