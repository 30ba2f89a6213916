import { afterEach, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { startMetricsServer } from '../../src/profile/metrics/index.ts';
import { Bouncer, Idle } from './fixtures/metrics-actors.ts';
import { scrape, sumOf, valueOf } from './fixtures/metrics-text.ts';

// The Prometheus endpoint of a LocalNode and of a 2-scheduler ThreadedNode: after some
// work the counters rose by what was done, per scheduler labels, node-level gauges right.

let node: Node | null = null;
afterEach(async () => {
  await node?.stop();
  node = null;
});

async function until(what: string, cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const exitsOf = (n: Node): number => n.stats().schedulers.reduce((a, s) => a + s.exits, 0);

describe.each([0, 2])('metrics endpoint of a node with schedulers: %i', (schedulers) => {
  it('exports per-scheduler counters that rise with the work done, and node gauges', async () => {
    node = await startNode({ schedulers });
    const m = await startMetricsServer(node);
    expect(m.url).toBe(`http://127.0.0.1:${m.port}/metrics`);
    const before = await scrape(m.url);

    const idle = await node.spawn(Idle);
    await node.register('idle', idle);
    const bouncers = 10;
    const exitsBefore = exitsOf(node);
    for (let i = 0; i < bouncers; i++) node.send(await node.spawn(Bouncer), { n: 100 });
    await until('the bouncers to exit', () => exitsOf(node!) >= exitsBefore + bouncers);
    const after = await scrape(m.url);

    const p = 'switchboard_';
    for (const c of ['spawns', 'exits', 'reductions', 'messages_in', 'messages_out']) expect(after.types.get(`${p}scheduler_${c}_total`)).toBe('counter');
    for (const g of ['run_queue', 'actors']) expect(after.types.get(`${p}scheduler_${g}`)).toBe('gauge');
    expect(after.types.get(`${p}processes`)).toBe('gauge');

    // One series per scheduler, labelled by its index.
    const labels = after.samples.filter((s) => s.name === `${p}scheduler_spawns_total`).map((s) => s.labels['scheduler']).sort();
    expect(labels).toEqual(schedulers === 0 ? ['0'] : ['0', '1']);

    expect(sumOf(after, `${p}scheduler_spawns_total`) - sumOf(before, `${p}scheduler_spawns_total`)).toBe(bouncers + 1);
    expect(sumOf(after, `${p}scheduler_exits_total`) - sumOf(before, `${p}scheduler_exits_total`)).toBe(bouncers);
    // Each bouncer received 101 messages and sent 100.
    expect(sumOf(after, `${p}scheduler_messages_in_total`) - sumOf(before, `${p}scheduler_messages_in_total`)).toBeGreaterThanOrEqual(bouncers * 101);
    expect(sumOf(after, `${p}scheduler_messages_out_total`) - sumOf(before, `${p}scheduler_messages_out_total`)).toBeGreaterThanOrEqual(bouncers * 100);
    expect(sumOf(after, `${p}scheduler_reductions_total`)).toBeGreaterThan(sumOf(before, `${p}scheduler_reductions_total`));

    expect(valueOf(after, `${p}processes`)).toBe(1);
    expect(valueOf(after, `${p}registered_names`)).toBe(1);
    expect(valueOf(after, `${p}gateway_pending_calls`)).toBe(0);
    expect(sumOf(after, `${p}scheduler_actors`)).toBe(1);
    // An unnamed node has no distribution metrics.
    expect(after.samples.some((s) => s.name.startsWith(`${p}dist_`))).toBe(false);

    if (schedulers > 0) {
      // Scheduler wall time (the stats blocks): busy/spin/parked seconds grow, utilisation is a fraction.
      for (const k of ['0', '1']) {
        const wall = (x: typeof after): number => ['busy', 'spin', 'parked'].reduce((a, st) => a + valueOf(x, `${p}scheduler_${st}_seconds_total`, { scheduler: k })!, 0);
        expect(wall(after)).toBeGreaterThan(wall(before));
        const u = valueOf(after, `${p}scheduler_utilisation`, { scheduler: k })!;
        expect(u).toBeGreaterThanOrEqual(0);
        expect(u).toBeLessThanOrEqual(1);
      }
      expect(after.types.get(`${p}scheduler_busy_seconds_total`)).toBe('counter');
    } else {
      expect(after.types.has(`${p}scheduler_busy_seconds_total`)).toBe(false);
    }
  }, 20_000);
});

it('metrics stop with the node, and a custom prefix and path are used', async () => {
  node = await startNode({ schedulers: 0 });
  const m = await startMetricsServer(node, { prefix: 'app_sb_', path: '/x/metrics' });
  expect(m.url).toBe(`http://127.0.0.1:${m.port}/x/metrics`);
  const p = await scrape(m.url);
  expect(p.types.get('app_sb_scheduler_spawns_total')).toBe('counter');
  expect(p.samples.every((s) => s.name.startsWith('app_sb_'))).toBe(true);
  expect((await fetch(`http://127.0.0.1:${m.port}/metrics`)).status).toBe(404);
  expect((await fetch(m.url, { method: 'POST' })).status).toBe(405);
  await node.stop();
  node = null;
  await expect(fetch(m.url)).rejects.toThrow();
});
