import { afterEach, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { startTrace, stopTrace } from '../../src/profile/trace/index.ts';
import { TraceRing, kEventParked } from '../../src/profile/trace/trace-ring.ts';
import { Spinner } from './fixtures/trace-actors.ts';

// The ring buffer bound: more rows than its capacity -> exactly capacity kept (the
// newest, oldest first), the rest counted as dropped; the same through startTrace with a
// small bufferEvents on a node whose spinner makes far more slices (and sends) than that.

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

describe('timeline trace: ring buffer bound', () => {
  it('TraceRing keeps exactly capacity events, the newest, and counts the dropped ones', () => {
    const r = new TraceRing<object>(16);
    for (let i = 0; i < 40; i++) r.push(kEventParked, i, i + 0.5, i * 2, i * 3, i * 4, null);
    expect(r.size).toBe(16);
    expect(r.dropped).toBe(24);
    const starts: number[] = [];
    r.forEach((_k, s, e, a, b, c) => {
      expect([e, a, b, c]).toEqual([s + 0.5, s * 2, s * 3, s * 4]);
      starts.push(s);
    });
    expect(starts).toEqual(Array.from({ length: 16 }, (_, i) => 24 + i));
  });

  it('startTrace({ bufferEvents: 16 }): the ring keeps 16 rows, the overflow counted in metadata', async () => {
    node = await startNode({ schedulers: 0 });
    const spinner = await node.spawn(Spinner, [50]);
    node.send(spinner, 'tick');
    // clockEvery 1: every slice row has its own times (with the default, a ring this small
    // holds fewer rows than one interpolation group, whose start is then overwritten).
    await startTrace(node, { bufferEvents: 16, clockEvery: 1 });
    await new Promise((r) => setTimeout(r, 200));
    const t = await stopTrace(node);
    const m = t.metadata.schedulers[0]!;
    expect(m.capacity).toBe(16);
    expect(m.rows).toBe(16);
    expect(m.dropped).toBeGreaterThan(16);
    // Rows are slices, the spinner's sends to itself, parks and GCs: at most 16 events.
    const x = t.traceEvents.filter((e) => e.ph === 'X');
    expect(x.length).toBe(m.kept);
    expect(x.length).toBeGreaterThan(0);
    expect(x.length).toBeLessThanOrEqual(16);
  });
});
