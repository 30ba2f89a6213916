import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadArgError } from '../../src/core/errors.ts';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Slow } from './fixtures/node-actors.ts';

// `timeoutMs: Infinity` means no timeout (call protocol): no timer is armed, so nothing
// clamps it (setTimeout turns Infinity into 1 ms). The actor answers only after sleeping,
// so a call that resolves has waited that long.

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 1 });
});
afterAll(() => node.stop());

describe('call with timeoutMs Infinity', () => {
  it('waits longer than 1 ms and is answered', async () => {
    const slow = await node.spawn(Slow, []);
    const t0 = performance.now();
    expect(await node.call(slow, { after: 30, value: 'answered' }, Infinity)).toBe('answered');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    expect(node.stats().gateway.pendingCalls).toBe(0);
  });

  it('is the default with callTimeoutMs: Infinity', async () => {
    const n = await startNode({ schedulers: 1, callTimeoutMs: Infinity });
    try {
      const slow = await n.spawn(Slow, []);
      expect(await n.call(slow, { after: 30, value: 'late but answered' })).toBe('late but answered');
    } finally {
      await n.stop();
    }
  });

  it.each([[0], [-5], [Number.NaN], ['1000']])('rejects timeoutMs %s with BadArgError', async (t) => {
    const slow = await node.spawn(Slow, []);
    const err = await node.call(slow, { after: 0, value: 1 }, t as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadArgError);
    expect((err as Error).message).toBe(`call: timeoutMs must be a positive number of milliseconds or Infinity, got ${String(t)}`);
    expect(node.stats().gateway.pendingCalls).toBe(0);
  });
});
