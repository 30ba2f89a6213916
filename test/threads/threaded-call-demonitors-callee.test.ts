import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallTimeoutError } from '../../src/core/errors.ts';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Collector, Echo } from './fixtures/node-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// Every call from the embedding thread monitors its callee from the gateway actor; once
// the call is settled (reply or timeout) that monitor is gone on both sides.

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
});
afterAll(() => node.stop());

describe('a settled call leaves no monitor behind', () => {
  it('after replies and a timeout, neither the gateway nor the callees hold the call monitors', async () => {
    const a = await node.spawn(Echo, [], { scheduler: 0 });
    const b = await node.spawn(Echo, [], { scheduler: 1 });
    const silent = await node.spawn(Collector, [], { scheduler: 1 });
    await Promise.all(Array.from({ length: 50 }, (_, i) => node.call(i % 2 ? a : b, i)));
    await expect(node.call(silent, 'unanswered', 20)).rejects.toBeInstanceOf(CallTimeoutError);
    expect((await node.processInfo(node.pid))!.monitors).toEqual([]);
    for (const p of [a, b, silent]) {
      const by = await eventually(async () => (await node.processInfo(p))!.monitoredBy, (m) => m.length === 0);
      expect(by).toEqual([]);
    }
  });
});
