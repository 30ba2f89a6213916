import { describe, expect, it } from 'vitest';
import type { NodeProcess } from '../dist/support/node-process.ts';
import { fullName } from '../dist/support/node-cluster.ts';
import { agreed, startProxiedSwimCluster, until } from './fixtures/membership-cluster.ts';

// A distributed application (the example's proxima, nodes [a, [b, c]]) on three node
// processes under Membership, every link through a fault-injecting TCP proxy. It runs on
// a. A partition {a} | {b, c}: a keeps its instance, b and c see a's nodedown and fail it
// over to b after failoverTimeoutMs — one instance per side. Healed: the controllers meet
// again (the connections come back on demand), see two instances, and one of them stops:
// exactly one instance runs, on a (no takeover relates the two, so the preferred node
// stays), and every node says so.
const kFixture = 'test/cluster/fixtures/dist-app-node.ts';
const A = fullName('a');
const B = fullName('b');
const C = fullName('c');

function runApp<T>(p: NodeProcess, fn: string, args: readonly unknown[] = []): Promise<T> {
  return p.request<T>({ cmd: 'run', module: kFixture, export: fn, args }, 20_000);
}

async function instances(ps: readonly NodeProcess[]): Promise<string[]> {
  const r = await Promise.all(ps.map(async (p) => ((await runApp<string[]>(p, 'running')).includes('proxima') ? p.name : null)));
  return r.filter((n): n is string => n !== null);
}

describe('distributed application across a healed partition', () => {
  it('runs once per side during the partition and exactly once after healing', async () => {
    const pc = await startProxiedSwimCluster(['a', 'b', 'c'], { tickTimeMs: 1000 });
    try {
      const n = pc.cluster.nodes;
      const ps = [n['a']!, n['b']!, n['c']!];
      await agreed(ps, [A, B, C]);
      const opts = { nodes: [A, [B, C]], failoverTimeoutMs: 1000, syncNodesOptional: [A, B, C], syncNodesTimeoutMs: 10_000 };
      const booted = await Promise.all(ps.map((p) => runApp<{ where: string | null }>(p, 'boot', [opts])));
      expect(booted.map((x) => x.where)).toEqual([A, A, A]);
      expect(await instances(ps)).toEqual([A]);

      pc.partition(['a'], ['b', 'c']);
      await until('failed over to b on its side', () => instances(ps), (v) => v.join() === [A, B].join(), 30_000);
      await until('c sees it on b', () => runApp<string | null>(n['c']!, 'where'), (w) => w === B, 10_000);

      pc.heal();
      await agreed(ps, [A, B, C], 30_000);
      const one = await until('exactly one instance', () => instances(ps), (v) => v.length === 1, 30_000);
      expect(one).toEqual([A]);
      await until('every node agrees where it runs', () => Promise.all(ps.map((p) => runApp<string | null>(p, 'where'))), (v) => v.every((w) => w === A), 15_000);
      expect(await instances(ps)).toEqual([A]);
    } finally {
      await pc.close();
    }
  }, 120_000);
});
