import { describe, expect, it, vi } from 'vitest';
import type { NodeProcess, NodeProcessEvent } from '../dist/support/node-process.ts';
import { fullName, startCluster } from '../dist/support/node-cluster.ts';

// Application.takeover by hand (application:takeover/2) moves the application to a node
// of lower priority, with its state, and the higher-priority node does NOT take it back;
// a node that stops (Application.stop / node.stop: it withdraws) hands it over at once —
// with start type 'normal', without waiting for failoverTimeoutMs, which is for failures.
// Node b is a threaded node (schedulers: 2): its controller and servers run on scheduler threads.

const kFixture = 'test/cluster/fixtures/dist-app-node.ts';
const A = fullName('a');
const B = fullName('b');
const kFailoverMs = 8000;

function servingOf(e: NodeProcessEvent): { node: string; startType: unknown; t: number } | null {
  return e.event === 'custom' && (e as { name?: string }).name === 'serving' ? (e as { data: { node: string; startType: unknown; t: number } }).data : null;
}

const run = <T>(p: NodeProcess, exp: string, args: unknown[] = []) => p.request<T>({ cmd: 'run', module: kFixture, export: exp, args }, 20_000);
const ask = async (p: NodeProcess) => (await run<{ ok: { count: number; node: string } }>(p, 'ask', ['incr'])).ok;

describe('distributed application: takeover by hand, and a stopping node hands over at once', () => {
  it('Application.takeover moves it with its state; priority does not pull it back; node.stop hands it back', async () => {
    const c = await startCluster(['a', 'b'], { tickTimeMs: 1000, per: { b: { schedulers: 2 } } }); // b: controller and servers on scheduler threads
    const [a, b] = [c.nodes.a!, c.nodes.b!];
    const opts = { nodes: [A, B], failoverTimeoutMs: kFailoverMs, syncNodesOptional: [A, B], syncNodesTimeoutMs: 10_000 };
    await Promise.all([run(a, 'boot', [opts]), run(b, 'boot', [opts])]);
    expect(await ask(b)).toEqual({ count: 1, node: A });
    expect(await ask(b)).toEqual({ count: 2, node: A });

    // b takes it over by hand: it starts there with { takeover: a }, the counter carried.
    expect(await run(b, 'takeover')).toBe(B);
    expect(servingOf(await b.events.waitFor((e) => servingOf(e) !== null, 5000, 'serving on b'))!.startType).toEqual({ takeover: A });
    expect(await ask(a)).toEqual({ count: 3, node: B });
    // a stopped its instance and stays a standby although it comes first in the list.
    await a.events.waitFor((e) => e.event === 'message' && (e as { msg?: { op?: string } }).msg?.op === 'stop', 5000, 'the stop order on a');
    await vi.waitFor(async () => expect(await run(a, 'info')).toMatchObject({ declared: true, local: 'none', runningAt: B }), { timeout: 5000, interval: 50 });
    expect(await run(a, 'where')).toBe(B);
    expect(a.events.filter((e) => servingOf(e) !== null)).toHaveLength(1);
    // Takeover of what already runs here is refused with its own error.
    await expect(run(b, 'takeover')).rejects.toMatchObject({ remote: { code: 'ERR_SB_DIST_APP_RUNNING_HERE' } });

    // b stops (node.stop: its applications stop first, so it withdraws): a starts it at once.
    const tStop = Date.now();
    await b.stop();
    const onA = servingOf(await a.events.waitFor((e) => servingOf(e) !== null && servingOf(e)!.t > tStop, kFailoverMs - 1000, 'serving on a again'))!;
    expect(onA.startType).toBe('normal');
    expect(onA.t - tStop).toBeLessThan(kFailoverMs);
    expect(await ask(a)).toEqual({ count: 1, node: A }); // a normal start: a fresh counter
  }, 60_000);
});
