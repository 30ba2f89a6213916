import { expect, it } from 'vitest';
import type { Node, NodeStatsReport } from '../../src/core/node.ts';
import { metricsRegistry } from '../../src/profile/metrics/index.ts';
import { parseMetrics, valueOf } from './fixtures/metrics-text.ts';

// An exported counter never goes down, even when its source restarts from zero (a
// peer's connection counters after a reconnect): the last value becomes the base.

it('a counter whose source restarts keeps rising from its last exported value', async () => {
  let reductions = 100;
  let reads = 0;
  const stats = (): NodeStatsReport => (reads++, {
    schedulers: [{ scheduler: 0, state: 'running', runQueue: 3, reductions, messagesIn: 0, messagesOut: 0, actors: 2, spawns: 0, exits: 0 }],
    gateway: { pendingCalls: 0 },
    dist: null,
  });
  // Only what the registry reads of a Node.
  const node = {
    name: 'nonode@nohost', running: true, stats, registered: () => [], processes: async () => [],
    ioStats: async () => null, onStop: () => {},
  } as unknown as Node;
  const r = metricsRegistry(node);
  const read = async (): Promise<number | undefined> => valueOf(parseMetrics(await r.metrics()), 'switchboard_scheduler_reductions_total', { scheduler: '0' });
  const readsBefore = reads;
  expect(await read()).toBe(100);
  // One snapshot of the node serves every metric of a scrape.
  expect(reads - readsBefore).toBe(1);
  reductions = 150;
  expect(await read()).toBe(150);
  reductions = 10; // the source restarted
  expect(await read()).toBe(160);
  reductions = 30;
  expect(await read()).toBe(180);
  // Gauges follow the source as it is.
  expect(valueOf(parseMetrics(await r.metrics()), 'switchboard_scheduler_run_queue', { scheduler: '0' })).toBe(3);
});
