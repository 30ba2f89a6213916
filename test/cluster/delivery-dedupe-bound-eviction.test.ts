/**
 * DedupeTable bounds: at most maxEntries keys, the least recently used evicted first (a
 * duplicate lookup counts as a use); keys older than maxAgeMs forgotten. And
 * Delivery.processOnce with it: a duplicate is acked (the sender's report says
 * `duplicate: true`) and not processed again; a forgotten key is processed again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { Delivery, DedupeTable, isDelivery } from '../../src/cluster/delivery/index.ts';
import { inActor } from '../otp/helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('DedupeTable: bound and eviction', () => {
  it('maxEntries: the least recently used key is evicted first; a hit refreshes', () => {
    const t = new DedupeTable({ maxEntries: 3 });
    t.record('a');
    t.record('b');
    t.record('c');
    expect(t.has('a')).toBe(true); // a is now the most recently used: b is the oldest
    t.record('d');
    expect(t.size).toBe(3);
    expect(t.has('b')).toBe(false);
    expect(t.has('a')).toBe(true);
    expect(t.has('c')).toBe(true);
    expect(t.has('d')).toBe(true);
    expect(t.stats()).toMatchObject({ size: 3, evictedBySize: 1, evictedByAge: 0, hits: 4 });
  });

  it('maxAgeMs: a key recorded longer ago than maxAgeMs is forgotten (on lookup, and swept on record)', () => {
    let now = 1000;
    const t = new DedupeTable({ maxAgeMs: 100, now: () => now });
    t.record('old');
    now = 1050;
    t.record('mid');
    now = 1101;
    expect(t.has('old')).toBe(false);
    expect(t.has('mid')).toBe(true);
    now = 1200;
    t.record('new'); // sweeps 'mid' (recorded at 1050) from the LRU end
    expect(t.size).toBe(1);
    expect(t.stats()).toMatchObject({ evictedByAge: 2 });
  });

  it('processOnce: a duplicate key is acked as duplicate and not processed; after eviction it is processed again', async () => {
    node = new LocalNode();
    const processed: unknown[] = [];
    await node.spawn({
      init: () => new DedupeTable({ maxEntries: 2 }),
      handle(m: unknown, table: DedupeTable, ctx: Context) {
        if (isDelivery(m)) Delivery.processOnce(ctx, m, table, (msg) => processed.push(msg));
        return table;
      },
    }, [], { name: 'svc' });
    const reports = await inActor(node, function* (ctx) {
      const r = [];
      for (const [key, msg] of [['k1', 'a'], ['k1', 'a-again'], ['k2', 'b'], ['k3', 'c'], ['k1', 'a-after-eviction']]) {
        r.push(yield* Delivery.deliver(ctx, 'svc', msg, { key }));
      }
      return r;
    });
    expect(processed).toEqual(['a', 'b', 'c', 'a-after-eviction']);
    expect(reports.map((r) => r.duplicate)).toEqual([false, true, false, false, false]);
  });

  it("processOnce: a processing that throws records nothing (process-first) and acks nothing; record-first records first", async () => {
    node = new LocalNode();
    const runs: string[] = [];
    for (const order of ['process-first', 'record-first'] as const) {
      await node.spawn({
        init: () => ({ table: new DedupeTable({ order }), fail: true }),
        handle(m: unknown, st: { table: DedupeTable; fail: boolean }, ctx: Context) {
          if (!isDelivery(m)) return st;
          try {
            Delivery.processOnce(ctx, m, st.table, (msg) => {
              runs.push(`${order}:${String(msg)}`);
              // The first processing "crashes" between processing and recording (or after recording).
              if (st.fail) throw new Error('crash');
            });
          } catch {
            st.fail = false;
          }
          return st;
        },
      }, [], { name: order });
    }
    const out = await inActor(node, function* (ctx) {
      const a = yield* Delivery.deliver(ctx, 'process-first', 'x', { retries: 2, timeoutMs: 30 });
      const b = yield* Delivery.deliver(ctx, 'record-first', 'y', { retries: 2, timeoutMs: 30 });
      return { a, b };
    });
    // process-first: the resend is processed again (twice in all); record-first: the resend
    // is a duplicate: processed once, and that once failed — lost.
    expect(runs).toEqual(['process-first:x', 'process-first:x', 'record-first:y']);
    expect(out.a).toMatchObject({ attempts: 2, duplicate: false });
    expect(out.b).toMatchObject({ attempts: 2, duplicate: true });
  });
});
