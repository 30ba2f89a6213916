/**
 * Graceful leave (SwimNode.leave): the leaving node's own dead claim ("left") spreads, so
 * every other node reports nodedown with reason 'left' and memberLeft, never a failure
 * suspicion; it is not probed again. A stopped node refuses join/leave with
 * MembershipStoppedError.
 */
import { describe, expect, it } from 'vitest';
import { MembershipSim, MembershipStoppedError, SwimNode, type Message } from '../../src/cluster/membership/index.ts';

describe('membership leave', () => {
  it('a node that leaves is reported left (not failed) by every other node', () => {
    const sim = new MembershipSim({ seed: 707 });
    sim.addNode('n0');
    for (let i = 1; i < 40; i++) sim.addNode(`n${i}`, ['n0']);
    expect(sim.runUntilTrue(() => sim.converged(), 30_000)).toBeDefined();
    const down = new Map<string, string>();
    const left = new Set<string>();
    let suspected = 0;
    sim.onEvent((e) => {
      if (e.event.node !== 'n9') return;
      if (e.event.type === 'nodedown') down.set(e.observer, e.event.reason);
      if (e.event.type === 'memberLeft') left.add(e.observer);
      if (e.event.type === 'nodeSuspect') suspected++;
    });
    sim.leave('n9', 3000);
    expect(sim.runUntilTrue(() => down.size === 39 && left.size === 39, 20_000)).toBeDefined();
    expect(new Set(down.values())).toEqual(new Set(['left']));
    expect(suspected).toBe(0);
    sim.runFor(3000); // the leaver gossips for 3 s, then stops
    expect(sim.isUp('n9')).toBe(false);
    sim.runFor(10_000);
    for (const n of sim.upNodes()) expect(sim.node(n).member('n9')!.state).toBe('left');
    expect(sim.converged()).toBe(true);
  });

  it('join or leave on a stopped node throws MembershipStoppedError', () => {
    const sim = new MembershipSim({ seed: 1 });
    const n = sim.addNode('x');
    sim.crash('x');
    expect(() => n.join(['y'], 0)).toThrow(MembershipStoppedError);
    try {
      n.leave(0);
    } catch (e) {
      expect((e as MembershipStoppedError).code).toBe('ERR_SB_MEMBERSHIP_STOPPED');
      expect((e as Error).message).toBe('leave: membership node x has left or was stopped');
    }
    expect.assertions(3);
  });

  it('a leaving node does not refute: a ping that says it is suspected gets its left claim', () => {
    const sent: Array<[string, Message]> = [];
    const n = new SwimNode('a', { send: (to, m) => sent.push([to, m]), random: () => 0.5, emit: () => {} });
    n.join([], 0);
    n.onMessage('b', { k: 'gossip', g: [{ t: 'alive', node: 'b', inc: 0, addr: '' }] }, 1);
    n.leave(2);
    n.onMessage('b', { k: 'ping', seq: 9, target: 'a', sus: 0, g: [{ t: 'suspect', node: 'a', inc: 0, from: 'b' }] }, 3);
    expect(n.incarnation).toBe(0);
    const ack = sent.find(([, m]) => m.k === 'ack')![1];
    expect(ack.k === 'ack' && ack.seq).toBe(9);
    expect(ack.g).toContainEqual({ t: 'dead', node: 'a', inc: 0, from: 'a' });
    expect(ack.g.filter((c) => c.node === 'a')).toHaveLength(1);
  });
});
