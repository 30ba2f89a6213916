import { afterEach, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { ActorView, topActors } from '../../src/profile/actor-view.ts';
import { Busy, Hoarder, Idle } from './fixtures/top-actors.ts';

// The actor view on a 2-scheduler ThreadedNode: the busy actor (on scheduler 1) is the top
// one by reductions/s, the hoarder (on scheduler 0) by mailbox, and the schedulers'
// utilisation comes from their own busy/spin/parked counters: scheduler 1 is busy.

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

describe('ActorView on a ThreadedNode (2 schedulers)', () => {
  it('finds the busy actor by reductions/s and the hoarder by mailbox; scheduler 1 is the busy one', async () => {
    node = await startNode({ schedulers: 2 });
    const busy = await node.spawn(Busy, [2000], { scheduler: 1 });
    const hoarder = await node.spawn(Hoarder, [], { scheduler: 0 });
    for (let i = 0; i < 4; i++) await node.spawn(Idle, [], { scheduler: i % 2 });
    for (let i = 0; i < 50; i++) node.send(hoarder, { n: i });
    node.send(busy, 'tick');
    const view = new ActorView(node);
    await view.sample();
    await new Promise((r) => setTimeout(r, 300));
    const snap = await view.sample();
    expect(snap.processCount).toBe(6);
    const top = topActors(snap, 'reductions', 6);
    expect(top[0]!.pid.equals(busy)).toBe(true);
    expect(top[0]!.reductionsPerSec).toBeGreaterThan(1000);
    expect(top.slice(1).every((r) => (r.reductionsPerSec ?? 0) < top[0]!.reductionsPerSec! / 10)).toBe(true);
    const mb = topActors(snap, 'mailbox', 1)[0]!;
    expect(mb.pid.equals(hoarder)).toBe(true);
    expect(mb.mailbox).toBe(50);
    expect(snap.schedulers.map((s) => s.source)).toEqual(['stats', 'stats']);
    const [s0, s1] = snap.schedulers;
    expect(s1!.busy).toBeGreaterThan(0.5);
    expect(s0!.busy!).toBeLessThan(s1!.busy!);
    expect(s1!.busy! + s1!.spin! + s1!.parked!).toBeCloseTo(1, 5);
    expect(s1!.reductionsPerSec).toBeGreaterThan(s0!.reductionsPerSec!);
  });
});
