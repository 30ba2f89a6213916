/**
 * Membership (SWIM + Lifeguard, src/cluster/membership/) in the simulator: 100 nodes that
 * join through one seed converge — every node sees the 99 others alive — within a bound,
 * and every node reported each other node once as memberJoined + nodeup.
 */
import { describe, expect, it } from 'vitest';
import { BadArgError } from '../../src/core/errors.ts';
import { MembershipSim } from '../../src/cluster/membership/index.ts';

const N = 100;

describe('membership convergence', () => {
  it('100 nodes joining through one seed all see each other alive within 30 s', () => {
    const sim = new MembershipSim({ seed: 101, latencyMs: 1, jitterMs: 2 });
    sim.addNode('n0');
    for (let i = 1; i < N; i++) sim.addNode(`n${i}`, ['n0']);
    expect(sim.converged()).toBe(false);
    const at = sim.runUntilTrue(() => sim.converged(), 30_000);
    expect(at).toBeDefined();
    expect(at!).toBeLessThanOrEqual(30_000);
    for (const name of sim.upNodes()) {
      expect(sim.node(name).state).toBe('running');
      expect(sim.node(name).liveMembers()).toHaveLength(N - 1);
    }
    const joined = new Map<string, Set<string>>();
    const ups = new Map<string, number>();
    for (const e of sim.history) {
      if (e.event.type === 'memberJoined') {
        const s = joined.get(e.observer) ?? new Set();
        expect(s.has(e.event.node)).toBe(false);
        s.add(e.event.node);
        joined.set(e.observer, s);
      }
      if (e.event.type === 'nodeup') ups.set(e.observer, (ups.get(e.observer) ?? 0) + 1);
      expect(e.event.type).not.toBe('nodedown');
    }
    for (const name of sim.upNodes()) {
      expect(joined.get(name)!.size).toBe(N - 1);
      expect(ups.get(name)).toBe(N - 1);
    }
  });

  it('a node that joins through a seed that is not up keeps retrying and joins once it is', () => {
    const sim = new MembershipSim({ seed: 5 });
    sim.addNode('b', ['a']);
    sim.runFor(5_000);
    expect(sim.node('b').state).toBe('joining');
    expect(sim.node('b').liveMembers()).toEqual([]);
    sim.addNode('a');
    const at = sim.runUntilTrue(() => sim.converged(), 10_000);
    expect(at).toBeDefined();
    expect(sim.node('b').state).toBe('running');
    expect(sim.node('a').liveMembers()).toEqual(['b']);
  });

  it('the simulator refuses a second node of the same name while the first is up', () => {
    const sim = new MembershipSim({ seed: 1 });
    sim.addNode('a');
    expect(() => sim.addNode('a')).toThrow(new BadArgError('MembershipSim.addNode: node a is already up'));
    expect(() => sim.node('zz')).toThrow(BadArgError);
  });
});
