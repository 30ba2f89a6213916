import { afterEach, describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Collector, Sender } from './fixtures/node-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

let node: ThreadedNode | null = null;
afterEach(async () => {
  await node?.stop();
  node = null;
});

type Tagged = { tag: string; seq: number };

/** Every tag's messages arrive complete and in order (other tags may interleave). */
function checkPerSender(got: Tagged[], tags: string[], n: number): void {
  for (const tag of tags) {
    const seqs = got.filter((m) => m.tag === tag).map((m) => m.seq);
    expect(seqs.length).toBe(n);
    expect(seqs.every((s, i) => s === i)).toBe(true);
  }
}

describe('cross-scheduler send', () => {
  it.each([2, 4])('keeps per-pair order from two senders to a collector on the last scheduler (%i schedulers)', async (schedulers) => {
    node = (await startNode({ schedulers })) as ThreadedNode;
    const c = await node.spawn(Collector, [], { scheduler: schedulers - 1 });
    const a = await node.spawn(Sender, [], { scheduler: 0 });
    const b = await node.spawn(Sender, [], { scheduler: 1 });
    const n = 20_000;
    await Promise.all([
      node.call(a, { burst: { to: c, n, tag: 'a' } }),
      node.call(b, { burst: { to: c, n, tag: 'b' } }),
    ]);
    await eventually(() => node!.call(c, 'count'), (k) => k === 2 * n);
    checkPerSender((await node.call(c, 'get')) as Tagged[], ['a', 'b'], n);
  });

  it('loses and reorders nothing when the ring is full (tiny rings, overflow and held senders)', async () => {
    // 4 KiB rings and a 16 KiB overflow bound: a burst of 30k messages fills the ring at
    // once, the sender is held and then waits at the bound while the receiver drains.
    node = await startNode({ schedulers: 2, ringBytes: 4096, overflowBytes: 16384 });
    const c = await node.spawn(Collector, [], { scheduler: 1 });
    const a = await node.spawn(Sender, [], { scheduler: 0 });
    const n = 30_000;
    await node.call(a, { burst: { to: c, n, tag: 'a' } }, 20_000);
    await eventually(() => node!.call(c, 'count'), (k) => k === n);
    checkPerSender((await node.call(c, 'get', 20_000)) as Tagged[], ['a'], n);
    const s0 = node.stats().schedulers[0]!;
    expect(s0.ringFull).toBeGreaterThan(0);
    expect(s0.holds).toBeGreaterThan(0);
    expect(s0.blockedWaits).toBeGreaterThan(0);
  });

  it('sends from the embedding thread in order, and by registered name', async () => {
    node = await startNode({ schedulers: 2 });
    const c = await node.spawn(Collector, [], { scheduler: 1, name: 'sink' });
    for (let seq = 0; seq < 5000; seq++) node.send(seq % 2 === 0 ? c : 'sink', { tag: 'm', seq });
    await eventually(() => node!.call(c, 'count'), (k) => k === 5000);
    checkPerSender((await node.call(c, 'get')) as Tagged[], ['m'], 5000);
  });

  it('carries large messages (fragmented across records) intact and in order', async () => {
    node = await startNode({ schedulers: 2, ringBytes: 8192 });
    const c = await node.spawn(Collector, [], { scheduler: 1 });
    const s = await node.spawn(Sender, [], { scheduler: 0 });
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 3; i++) await node.call(s, { send: { to: c, msg: { tag: 'big', seq: i, big } } });
    await eventually(() => node!.call(c, 'count'), (k) => k === 3);
    const got = (await node.call(c, 'get')) as (Tagged & { big: string })[];
    expect(got.map((m) => m.seq)).toEqual([0, 1, 2]);
    expect(got.every((m) => m.big === big)).toBe(true);
  });
});
