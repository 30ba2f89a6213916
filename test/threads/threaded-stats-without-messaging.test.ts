import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Collector, Sender } from './fixtures/node-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
});
afterAll(() => node.stop());

describe('node.stats()', () => {
  it('reads every scheduler\'s counters from shared memory', async () => {
    const c = await node.spawn(Collector, [], { scheduler: 1 });
    const s = await node.spawn(Sender, [], { scheduler: 0 });
    await node.call(s, { burst: { to: c, n: 1000, tag: 't' } });
    await eventually(() => node.call(c, 'count'), (n) => n === 1000);
    // Counters are published at the end of a busy quantum and before parking.
    const st = await eventually(async () => node.stats(), (x) => x.schedulers[1]!.recordsIn >= 1000 && x.schedulers[0]!.recordsOut >= 1000);
    expect(st.schedulers).toHaveLength(2);
    const [s0, s1] = st.schedulers;
    expect(s0!.scheduler).toBe(0);
    expect(s0!.recordsOut).toBeGreaterThanOrEqual(1000);
    expect(s1!.recordsIn).toBeGreaterThanOrEqual(1000);
    expect(s1!.messagesIn).toBeGreaterThanOrEqual(1000);
    expect(s0!.actors).toBe(1);
    expect(s1!.actors).toBe(1);
    expect(s0!.reductions).toBeGreaterThan(1000);
    // The Node report's fields (core/node.ts) are there on every scheduler.
    expect(s0!.spawns).toBeGreaterThanOrEqual(1);
    expect(s1!.spawns).toBeGreaterThanOrEqual(1);
    expect(s0!.exits).toBe(0);
    expect(s0!.runQueue).toBeGreaterThanOrEqual(0);
    expect(st.gateway.pendingCalls).toBe(0);
    for (const x of st.schedulers) {
      expect(['running', 'spinning', 'parked']).toContain(x.state);
      expect(x.busyMs).toBeGreaterThan(0);
      expect(x.utilisation).toBeGreaterThanOrEqual(0);
      expect(x.utilisation).toBeLessThanOrEqual(1);
    }
  });
});
