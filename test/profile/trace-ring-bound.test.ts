import { afterEach, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { startTrace, stopTrace } from '../../src/profile/trace/index.ts';
import { TraceRing, kEventParked } from '../../src/profile/trace/trace-ring.ts';
import { Spinner } from './fixtures/trace-actors.ts';

// The ring buffer bound: more events than its capacity -> exactly capacity kept (the
// newest, oldest first), the rest counted as dropped; the same through startTrace with a
// small bufferEvents on a node whose spinner makes far more slices than that.

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

describe('timeline trace: ring buffer bound', () => {
  it('TraceRing keeps exactly capacity events, the newest, and counts the dropped ones', () => {
    const r = new TraceRing(16);
    for (let i = 0; i < 40; i++) r.push(kEventParked, i, i + 0.5, i * 2, i * 3, null);
    expect(r.size).toBe(16);
    expect(r.dropped).toBe(24);
    const starts: number[] = [];
    r.forEach((_k, s, e, v, v2) => {
      expect([e, v, v2]).toEqual([s + 0.5, s * 2, s * 3]);
      starts.push(s);
    });
    expect(starts).toEqual(Array.from({ length: 16 }, (_, i) => 24 + i));
  });

  it('startTrace({ bufferEvents: 16 }): the trace has 16 events, the overflow counted in metadata', async () => {
    node = await startNode({ schedulers: 0 });
    const spinner = await node.spawn(Spinner, [50]);
    node.send(spinner, 'tick');
    await startTrace(node, { bufferEvents: 16 });
    await new Promise((r) => setTimeout(r, 200));
    const t = await stopTrace(node);
    const m = t.metadata.schedulers[0]!;
    expect(m.capacity).toBe(16);
    expect(m.kept).toBe(16);
    expect(m.dropped).toBeGreaterThan(16);
    expect(t.traceEvents.filter((e) => e.ph === 'X')).toHaveLength(16);
  });
});
