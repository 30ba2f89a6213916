import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Migrant, Streamer } from './fixtures/migrate-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// Live migration keeps per-pair order: senders on scheduler 0, on scheduler 1 and on the
// embedding thread stream numbered messages to sinks of an overloaded scheduler 0 while
// part of them move to scheduler 1; every sink gets every sender's messages, in order.

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2, balance: 'migrate' });
});
afterAll(() => node.stop());

interface Where { index: number; next: Record<string, number>; outOfOrder: number; got: number }

describe('messages streamed to an actor while it migrates', () => {
  it('arrive in order and none is lost', async () => {
    const sinksN = 100;
    const fillersN = 300;
    const count = 1500;
    const gwCount = 300;
    // Sinks first (lowest slots on scheduler 0), then the load that keeps it overloaded.
    const sinks: Pid[] = [];
    for (let i = 0; i < sinksN; i++) sinks.push(await node.spawn(Migrant, [i], { scheduler: 0 }));
    const fillers: Pid[] = await Promise.all([...Array(fillersN).keys()].map((i) => node.spawn(Migrant, [sinksN + i], { scheduler: 0 })));
    const s0 = await node.spawn(Streamer, ['s0', sinks, count, 10], { scheduler: 0 });
    const s1 = await node.spawn(Streamer, ['s1', sinks, count, 10], { scheduler: 1 });
    for (const p of [...sinks, ...fillers]) node.send(p, 'start');
    node.send(s0, 'go');
    node.send(s1, 'go');
    for (let seq = 0; seq < gwCount; seq++) {
      for (const p of sinks) node.send(p, { seq, from: 'gw' });
      await node.drained();
      await new Promise((r) => setImmediate(r));
    }

    const total = 2 * count + gwCount;
    const done = await eventually(
      async () => (await Promise.all(sinks.map((p) => node.call(p, 'where', 60_000)))) as Where[],
      (ws) => ws.every((w) => w.got === total),
      120_000,
    );
    for (const w of done) {
      expect(w.outOfOrder).toBe(0);
      expect(w.got).toBe(total);
      expect(w.next).toEqual({ s0: count, s1: count, gw: gwCount });
    }
    expect(await node.call(s0, 'done')).toBe(count);
    expect(await node.call(s1, 'done')).toBe(count);
    // Sinks did move meanwhile, and records for them were forwarded by their home.
    expect(done.filter((w) => w.index === 1).length).toBeGreaterThan(0);
    const st = node.stats().schedulers;
    expect(st[1]!.migrationsIn).toBeGreaterThan(0);
    expect(st[0]!.forwarded).toBeGreaterThan(0);
  }, 240_000);
});
