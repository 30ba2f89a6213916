/**
 * Netsplit detection and healing in the simulator: 100 converged nodes are split 50/50
 * (no message crosses in either direction). Each side must come to see exactly its own
 * side alive (the other side dead) — a partition detected — and after the network heals,
 * membership must re-converge to all 100 alive (the reconnect rounds sync with dead
 * members; the far side refutes its death with a higher incarnation).
 * A one-way block (A cannot reach B, B can reach A) is detected too: the probes of both
 * sides fail (pings or acks are dropped), so each side sees the other dead.
 */
import { describe, expect, it } from 'vitest';
import { MembershipSim } from '../../src/cluster/membership/index.ts';

function converged(n: number, seed: number): MembershipSim {
  const sim = new MembershipSim({ seed, recordHistory: false });
  sim.addNode('n0');
  for (let i = 1; i < n; i++) sim.addNode(`n${i}`, ['n0']);
  expect(sim.runUntilTrue(() => sim.converged(), 30_000)).toBeDefined();
  return sim;
}

const halves = (n: number): [string[], string[]] => [
  Array.from({ length: n / 2 }, (_, i) => `n${i}`),
  Array.from({ length: n / 2 }, (_, i) => `n${i + n / 2}`),
];

describe('membership partition', () => {
  it('a 50/50 partition of 100 nodes is detected on both sides within 90 s and heals within 60 s', () => {
    const sim = converged(100, 404);
    const [a, b] = halves(100);
    const sa = new Set(a);
    const sb = new Set(b);
    const splitAt = sim.now;
    sim.network.partition(a, b);
    const seesOwnSide = (): boolean => a.every((x) => sim.sees(x, sa)) && b.every((x) => sim.sees(x, sb));
    const detected = sim.runUntilTrue(seesOwnSide, 90_000);
    expect(detected).toBeDefined();
    for (const x of a) for (const y of b) expect(sim.node(x).member(y)!.state).toBe('dead');
    expect(detected! - splitAt).toBeGreaterThan(8_000); // not before the minimum suspicion

    sim.network.heal();
    const healAt = sim.now;
    const healed = sim.runUntilTrue(() => sim.converged(), 60_000);
    expect(healed).toBeDefined();
    expect(healed! - healAt).toBeLessThanOrEqual(60_000);
    for (const x of sim.upNodes()) expect(sim.node(x).liveMembers()).toHaveLength(99);
  });

  it('a one-way block is detected by both sides and heals', () => {
    const sim = converged(20, 405);
    const [a, b] = halves(20);
    sim.network.blockOneWay(a, b);
    const sa = new Set(a);
    const sb = new Set(b);
    expect(sim.runUntilTrue(() => a.every((x) => sim.sees(x, sa)) && b.every((x) => sim.sees(x, sb)), 120_000)).toBeDefined();
    sim.network.heal();
    expect(sim.runUntilTrue(() => sim.converged(), 60_000)).toBeDefined();
  });
});
