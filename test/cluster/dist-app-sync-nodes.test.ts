import { describe, expect, it } from 'vitest';
import type { NodeProcess, NodeProcessEvent } from '../dist/support/node-process.ts';
import { fullName, startCluster } from '../dist/support/node-cluster.ts';

// Start-time checks (kernel's sync_nodes_*, dist_ac's list comparison): a mandatory sync
// node that has not started the application fails the start with SyncNodesError; an
// optional one is waited for, so the better node gets it instead of a takeover later; a
// node whose list differs is refused with DistAppMismatchError.

const kFixture = 'test/cluster/fixtures/dist-app-node.ts';
const A = fullName('a');
const B = fullName('b');
const C = fullName('c');
const X = fullName('x'); // never started

const run = <T>(p: NodeProcess, exp: string, args: unknown[] = []) => p.request<T>({ cmd: 'run', module: kFixture, export: exp, args }, 20_000);
const isServing = (e: NodeProcessEvent) => e.event === 'custom' && (e as { name?: string }).name === 'serving';

describe('distributed application: sync nodes at start', () => {
  it('mandatory missing -> SyncNodesError; optional -> waited for; another list -> DistAppMismatchError', async () => {
    const c = await startCluster(['a', 'b', 'c'], { tickTimeMs: 1000 });
    const [a, b, cc] = [c.nodes.a!, c.nodes.b!, c.nodes.c!];
    const list = { nodes: [A, B, C], failoverTimeoutMs: 0 };
    await Promise.all([run(a, 'boot', [{ ...list, startProxima: false }]), run(b, 'boot', [{ ...list, startProxima: false }])]);

    // a: x is mandatory and never comes.
    const t0 = Date.now();
    const e = await run(a, 'startProxima', [{ ...list, syncNodesMandatory: [X], syncNodesTimeoutMs: 400 }]).catch((x: unknown) => x);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    expect(e).toMatchObject({ remote: { name: 'SyncNodesError', code: 'ERR_SB_DIST_APP_SYNC_NODES', message: `application "proxima": mandatory sync nodes ${X} had not started it within 400 ms` } });
    expect(await run(a, 'info')).toMatchObject({ declared: false, local: 'none', runningAt: null });

    // b waits for a (optional); a starts it without sync options: it runs on a, never on b.
    const bStart = run<{ where: string; ms: number }>(b, 'startProxima', [{ ...list, syncNodesOptional: [A], syncNodesTimeoutMs: 15_000 }]);
    await new Promise((r) => setTimeout(r, 300)); // b is waiting now; a's start comes later
    expect(await run<{ where: string }>(a, 'startProxima', [list])).toMatchObject({ where: A });
    const bDone = await bStart;
    expect(bDone.where).toBe(A);
    expect(bDone.ms).toBeGreaterThanOrEqual(300);
    expect(b.events.filter(isServing)).toEqual([]);
    expect((await a.events.waitFor(isServing, 5000, 'serving on a')) as unknown).toMatchObject({ data: { startType: 'normal' } });

    // c declares it with another list: refused, and it runs on a still.
    await run(cc, 'boot', [{ nodes: [C, B, A], failoverTimeoutMs: 0, startProxima: false }]);
    await expect(run(cc, 'startProxima', [{ nodes: [C, B, A], failoverTimeoutMs: 0 }])).rejects.toMatchObject({ remote: { name: 'DistAppMismatchError', code: 'ERR_SB_DIST_APP_MISMATCH' } });
    expect(await run(b, 'where')).toBe(A);
    expect(cc.events.filter(isServing)).toEqual([]);
  }, 60_000);
});
