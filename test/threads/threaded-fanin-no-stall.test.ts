import { describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Flooder, Sink } from './fixtures/fanin-actors.ts';

// No balance policy stalls a fan-in: 1,000 senders on both schedulers flood one sink on
// scheduler 0 (the shape of native-bench/fanin-migrate-stall.ts, with 400 messages each: 400,000 in all, many times the rings and overflow bounds). With 'migrate' this stalled: the sink moved away, scheduler 0 forwarded every
// message to it, and waited at its overflow bound forever while its own draining refilled
// that overflow (worker-backpressure.ts, migration.ts `movable`).

const senders = 1000;
const perSender = 400;

async function fanIn(balance: 'steal' | 'spawn' | 'migrate'): Promise<{ ms: number; node: ThreadedNode }> {
  const node = await startNode({ schedulers: 2, balance });
  const done = new Promise<void>((resolve) => node.on('message', (m) => {
    if ((m as { counted?: boolean }).counted === true) resolve();
  }));
  const sink = await node.spawn(Sink, [senders * perSender, node.pid], { scheduler: 0 });
  const pids: Pid[] = [];
  for (let i = 0; i < senders; i++) pids.push(await node.spawn(Flooder, [sink, perSender, 1000], { scheduler: i % 2 }));
  const t0 = performance.now();
  for (const p of pids) node.send(p, 'go');
  const stalled = new Promise<'stalled'>((r) => setTimeout(() => r('stalled'), 25_000).unref());
  const r = await Promise.race([done.then(() => 'done' as const), stalled]);
  expect(r).toBe('done');
  return { ms: performance.now() - t0, node };
}

describe('fan-in across schedulers', () => {
  it.each([['steal'], ['spawn'], ['migrate']] as const)('completes with balance %s', async (balance) => {
    const { node } = await fanIn(balance);
    await node.stop();
  }, 60_000);
});
