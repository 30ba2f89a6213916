import { describe, expect, it } from 'vitest';
import { fullName } from '../dist/support/node-cluster.ts';
import { agreed, run, startSwimCluster, until } from './fixtures/membership-cluster.ts';

// Two node processes under Membership, synced. a's table gets a name b's does not have
// (a raw write on a alone: what a merge cut short by the next partition leaves, the two
// nodes still counting each other as synced and never losing each other). Nothing would
// merge them again: no node event happens. The table digests they exchange every second
// differ, so they merge again, and b learns the name.
describe('Global under Membership: diverged tables of synced members merge again', () => {
  it('finds the difference by digest and merges', async () => {
    const c = await startSwimCluster(['a', 'b']);
    try {
      const a = c.nodes['a']!;
      const b = c.nodes['b']!;
      await agreed([a, b], [fullName('a'), fullName('b')]);
      await Promise.all([run(a, 'globalStart'), run(b, 'globalStart')]);
      expect(await run(a, 'globalRegister', ['x'])).toBe('yes');
      await until('x on b', () => run<string | null>(b, 'globalWhereis', ['x']), (v) => v === fullName('a'));

      await run(a, 'globalWriteHereOnly', ['y']);
      expect(await run(b, 'globalWhereis', ['y'])).toBe(null);
      await until('y on b', () => run<string | null>(b, 'globalWhereis', ['y']), (v) => v === fullName('a'), 10_000);
      expect(await run(b, 'globalRegistered')).toEqual(['x', 'y']);
      expect(await run(a, 'globalRegistered')).toEqual(['x', 'y']);
    } finally {
      await c.close();
    }
  }, 60_000);
});
