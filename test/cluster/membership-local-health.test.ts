/**
 * Lifeguard's local health in the simulator: a node whose INBOUND traffic is cut (it can
 * send, cannot receive) fails every probe; its local health multiplier climbs to the
 * maximum (probing 8x slower), while the healthy nodes stay at 0, and no healthy node is
 * ever declared dead by the healthy majority — the sick node's accusations are refuted.
 */
import { describe, expect, it } from 'vitest';
import { MembershipSim } from '../../src/cluster/membership/index.ts';

describe('membership local health', () => {
  it('a deaf node distrusts itself, the others stay healthy and alive', () => {
    const sim = new MembershipSim({ seed: 808, recordHistory: false });
    sim.addNode('n0');
    for (let i = 1; i < 30; i++) sim.addNode(`n${i}`, ['n0']);
    expect(sim.runUntilTrue(() => sim.converged(), 30_000)).toBeDefined();
    const others = sim.upNodes().filter((n) => n !== 'n3');
    sim.network.blockOneWay(others, ['n3']);
    let healthyDown = 0;
    sim.onEvent((e) => {
      if (e.event.type === 'nodedown' && e.event.node !== 'n3' && e.observer !== 'n3') healthyDown++;
    });
    sim.runFor(60_000);
    expect(sim.node('n3').localHealth).toBe(7);
    for (const n of others) expect(sim.node(n).localHealth).toBeLessThanOrEqual(1);
    expect(healthyDown).toBe(0);
    for (const n of others) expect(sim.node(n).member('n3')!.state).toBe('dead');
  });
});
