/**
 * φ-accrual against Lifeguard in the simulator (the real SwimNode, virtual time): 30
 * nodes, 1 s probes, 5% of all messages lost for 2 simulated minutes, the same seed for
 * both. Counted: nodeSuspect events about live nodes (every observer's) and false
 * nodedowns. Lifeguard suspects after one failed probe (direct and every indirect path
 * lost), so it does suspect under loss (and refutes); φ-accrual suspects only once a
 * member's silence is unlikely under its own history, so here it does not suspect at
 * all. The price is detection time: a crashed node is found by every node later than
 * with Lifeguard (φ waits for several mean intervals of ~n/2 probe periods). Both bounds
 * are asserted, so the counters are known to count.
 */
import { describe, expect, it } from 'vitest';
import { MembershipSim, type PhiAccrualOptions } from '../../src/cluster/membership/index.ts';

function run(phiAccrual: PhiAccrualOptions | null): { falseDown: number; falseSuspicions: number; detectSec: number | null } {
  const n = 30;
  const sim = new MembershipSim({ seed: 505, recordHistory: false, membership: { phiAccrual, probeIntervalSec: 1, probeTimeoutSec: 0.5 } });
  sim.addNode('n0');
  for (let i = 1; i < n; i++) sim.addNode(`n${i}`, ['n0']);
  expect(sim.runUntilTrue(() => sim.converged(), 60_000)).toBeDefined();
  sim.network.loss = 0.05;
  let falseDown = 0;
  let falseSuspicions = 0;
  const downOf3 = new Set<string>();
  sim.onEvent((e) => {
    if (e.event.type === 'nodedown' && e.event.node === 'n3' && !sim.isUp('n3')) downOf3.add(e.observer);
    else if (e.event.type === 'nodedown' && sim.isUp(e.event.node)) falseDown++;
    if (e.event.type === 'nodeSuspect' && sim.isUp(e.event.node)) falseSuspicions++;
  });
  sim.runFor(120_000);
  sim.network.loss = 0;
  const t0 = sim.now;
  sim.crash('n3');
  const at = sim.runUntilTrue(() => downOf3.size === n - 1, 300_000);
  return { falseDown, falseSuspicions, detectSec: at === undefined ? null : (at - t0) / 1000 };
}

describe('φ-accrual vs Lifeguard under 5% loss (simulated)', () => {
  it('counts false suspicions and false nodedowns of both, and both detect a crash', () => {
    const lifeguard = run(null);
    const phi = run({});
    console.log(`30 nodes, 5% loss, 120 s: Lifeguard ${JSON.stringify(lifeguard)}; φ-accrual ${JSON.stringify(phi)}`);
    expect(lifeguard.falseSuspicions).toBeGreaterThan(0);
    expect(lifeguard.falseDown).toBe(0);
    expect(phi.falseDown).toBe(0);
    expect(phi.falseSuspicions).toBeLessThan(lifeguard.falseSuspicions / 10);
    expect(lifeguard.detectSec).not.toBeNull();
    expect(lifeguard.detectSec!).toBeLessThan(20);
    expect(phi.detectSec).not.toBeNull();
    expect(phi.detectSec!).toBeLessThan(120);
  });
});
