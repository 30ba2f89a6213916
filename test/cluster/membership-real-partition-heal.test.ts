import { describe, expect, it } from 'vitest';
import { fullName } from '../dist/support/node-cluster.ts';
import type { NodeProcess } from '../dist/support/node-process.ts';
import { agreed, customs, run, startProxiedSwimCluster, until } from './fixtures/membership-cluster.ts';
import { kLeaderFixture } from './fixtures/leader-events.ts';

// Five node processes, every link through a fault-injecting TCP proxy; SWIM membership
// with the keep-majority split-brain resolver (stable after 3 s, onLoss 'wait') and Global
// and a GenLeader election of all five on every node. A 3|2 partition (links blackholed:
// nothing is closed, nothing arrives): each side agrees on its own members, the 3 keep and
// the 2 are told they lost; Global has one owner of a name and the election one leader
// inside each side. Healed: membership re-forms with all five, the name clash is resolved
// once (one owner everywhere) and there is one leader again.
const short = ['a', 'b', 'c', 'd', 'e'];
const left = ['a', 'b', 'c'];
const right = ['d', 'e'];

async function leaders(ps: readonly NodeProcess[]): Promise<(string | null)[]> {
  return Promise.all(ps.map(async (p) => (await p.request<{ leader: string | null }>({ cmd: 'run', module: kLeaderFixture, export: 'election' })).leader ?? null));
}

async function owners(ps: readonly NodeProcess[], name: string): Promise<(string | null)[]> {
  return Promise.all(ps.map((p) => run<string | null>(p, 'globalWhereis', [name])));
}

describe('Membership over real nodes: partition through proxies, split-brain, heal', () => {
  it('each side agrees on itself, the minority is told; one global owner and one leader after healing', async () => {
    const pc = await startProxiedSwimCluster(short, {
      tickTimeMs: 3000,
      membership: { splitBrain: { strategy: 'keep-majority', stableAfterSec: 3, onLoss: 'wait' } },
    });
    try {
      const n = pc.cluster.nodes;
      const ps = short.map((s) => n[s]!);
      const L = left.map((s) => n[s]!);
      const R = right.map((s) => n[s]!);
      await agreed(ps, short.map(fullName));
      await Promise.all(ps.map((p) => run(p, 'globalStart')));
      await until('a connected to all', () => n['a']!.request<string[]>({ cmd: 'nodes' }), (v) => v.length === 4);
      expect(await run(n['a']!, 'globalRegister', ['x'])).toBe('yes');
      await until('x everywhere', () => owners(ps, 'x'), (v) => v.every((o) => o === fullName('a')));
      for (const p of ps) await p.request({ cmd: 'run', module: kLeaderFixture, export: 'startLeader', args: [short.map(fullName)] });
      await until('one leader', () => leaders(ps), (v) => v.every((l) => l === fullName('a')));

      pc.partition(left, right);
      await agreed(L, left.map(fullName), 20_000);
      await agreed(R, right.map(fullName), 20_000);
      const decided = (p: NodeProcess) => p.events.waitFor((e) => e.event === 'custom' && (e as { name?: string }).name === 'splitBrain', 20_000, `splitBrain on ${p.name}`);
      await Promise.all(ps.map(decided));
      for (const p of L) expect(customs(p, 'splitBrain')).toEqual([{ action: 'keep', down: right.map(fullName), reachable: left.map(fullName) }]);
      for (const p of R) expect(customs(p, 'splitBrain')).toEqual([{ action: 'down-self', reachable: right.map(fullName), unreachable: left.map(fullName) }]);
      // dist's ticks (3 s) take the far side's connections down; the minority loses x.
      await until('x gone on the right', () => owners(R, 'x'), (v) => v.every((o) => o === null), 20_000);
      expect(await run(n['d']!, 'globalRegister', ['x'])).toBe('yes');
      await until('x owned by d on the right', () => owners(R, 'x'), (v) => v.every((o) => o === fullName('d')));
      expect(await owners(L, 'x')).toEqual(left.map(() => fullName('a')));
      await until('a leader per side', async () => [...(await leaders(L)), ...(await leaders(R))], (v) => v.join() === [...left.map(() => fullName('a')), ...right.map(() => fullName('d'))].join(), 20_000);

      pc.heal();
      await agreed(ps, short.map(fullName), 30_000);
      const one = await until('one owner of x', () => owners(ps, 'x'), (v) => v[0] !== null && v.every((o) => o === v[0]), 30_000);
      expect([fullName('a'), fullName('d')]).toContain(one[0]);
      for (const p of ps) expect(await run(p, 'globalRegistered')).toEqual(['x']);
      await until('one leader after healing', () => leaders(ps), (v) => v.every((l) => l === fullName('a')), 20_000);
      // No new decision once everybody is reachable again.
      for (const p of ps) expect(customs(p, 'splitBrain').length).toBe(1);
    } finally {
      await pc.close();
    }
  }, 90_000); // process start-up on a loaded machine dominates
});
