import { describe, expect, it, vi } from 'vitest';
import type { NodeProcess, NodeProcessEvent } from '../dist/support/node-process.ts';
import { fullName, startCluster } from '../dist/support/node-cluster.ts';

// An instance that dies on its own (its top supervisor killed) while its node stays up: that
// node withdraws and the application fails over to the next node after failoverTimeoutMs,
// with { failover: thatNode } — it is not left "running" on a node where nothing serves.

const kFixture = 'test/cluster/fixtures/dist-app-node.ts';
const A = fullName('a');
const B = fullName('b');
const kFailoverMs = 1000;

const run = <T>(p: NodeProcess, exp: string, args: unknown[] = []) => p.request<T>({ cmd: 'run', module: kFixture, export: exp, args }, 20_000);
const servingOf = (e: NodeProcessEvent) => (e.event === 'custom' && (e as { name?: string }).name === 'serving' ? (e as { data: { startType: unknown; t: number } }).data : null);

describe('distributed application: its instance dies on a live node', () => {
  it('fails over to the next node after the timeout; the node where it died withdraws', async () => {
    const c = await startCluster(['a', 'b'], { tickTimeMs: 1000 });
    const [a, b] = [c.nodes.a!, c.nodes.b!];
    const opts = { nodes: [A, B], failoverTimeoutMs: kFailoverMs, syncNodesOptional: [A, B], syncNodesTimeoutMs: 10_000 };
    await Promise.all([run(a, 'boot', [opts]), run(b, 'boot', [opts])]);
    expect(await run(b, 'where')).toBe(A);

    const tCrash = Date.now();
    await run(a, 'crashProxima');
    const onB = servingOf(await b.events.waitFor((e) => servingOf(e) !== null, 10_000, 'serving on b'))!;
    expect(onB.startType).toEqual({ failover: A });
    expect(onB.t - tCrash).toBeGreaterThanOrEqual(kFailoverMs);
    // b's 'running' reaches a's controller just after b's 'go' phase.
    await vi.waitFor(async () => expect(await run(a, 'info')).toMatchObject({ declared: false, local: 'none', runningAt: B }), { timeout: 5000, interval: 50 });
    expect(await run(a, 'running')).toEqual(['centauri']);
    expect(await run(a, 'ask', ['incr'])).toMatchObject({ ok: { count: 1, node: B } });
  }, 40_000);
});
