/**
 * Membership failure detection in the simulator: 1% of 100 nodes crash (kill -9) and
 * every live node reports `nodedown` (reason 'failed') for it within a bound, after a
 * `nodeSuspect`; no live node is reported down. A restarted node (fresh state,
 * incarnation 0) outbids its old death and is `nodeup` again everywhere.
 *
 * The bound: SWIM probes the crashed node within ~1 probe period; its suspicion lasts
 * between min = 4·log10(100)·1 s = 8 s (with 2 confirmations) and max = 6·min = 48 s;
 * the dead claim then spreads in O(log n) gossip rounds. 60 s covers the worst case.
 */
import { describe, expect, it } from 'vitest';
import { MembershipSim, suspicionWindow, resolveMembershipOptions } from '../../src/cluster/membership/index.ts';

const N = 100;

function converged100(seed: number): MembershipSim {
  const sim = new MembershipSim({ seed });
  sim.addNode('n0');
  for (let i = 1; i < N; i++) sim.addNode(`n${i}`, ['n0']);
  expect(sim.runUntilTrue(() => sim.converged(), 30_000)).toBeDefined();
  return sim;
}

describe('membership crash detection', () => {
  it('the crash of 1% of the nodes is detected by every live node within 60 s', () => {
    const w = suspicionWindow(resolveMembershipOptions('test'), N);
    expect(w).toEqual({ minMs: 8000, maxMs: 48000, expectedConfirmations: 2 });
    const sim = converged100(202);
    sim.runFor(10_000);
    const crashed = 'n42';
    const crashAt = sim.now;
    const downAt = new Map<string, number>();
    const suspectedBy = new Set<string>();
    const wrong: string[] = [];
    sim.onEvent((e) => {
      if (e.event.type === 'nodeSuspect' && e.event.node === crashed) suspectedBy.add(e.observer);
      if (e.event.type === 'nodedown') {
        if (e.event.node !== crashed) wrong.push(`${e.observer} saw ${e.event.node} down`);
        else {
          expect(e.event.reason).toBe('failed');
          downAt.set(e.observer, e.at - crashAt);
        }
      }
    });
    sim.crash(crashed);
    const all = sim.runUntilTrue(() => downAt.size === N - 1, 60_000);
    expect(all).toBeDefined();
    expect(wrong).toEqual([]);
    expect(suspectedBy.size).toBeGreaterThan(0);
    // Nobody declares it dead before the minimum suspicion time.
    for (const t of downAt.values()) expect(t).toBeGreaterThanOrEqual(w.minMs);
    expect(Math.max(...downAt.values())).toBeLessThanOrEqual(60_000);
    for (const name of sim.upNodes()) expect(sim.node(name).member(crashed)!.state).toBe('dead');
  });

  it('a crashed node that restarts refutes its death and is nodeup again everywhere', () => {
    const sim = converged100(303);
    sim.crash('n7');
    expect(sim.runUntilTrue(() => sim.upNodes().every((n) => sim.node(n).member('n7')!.state === 'dead'), 60_000)).toBeDefined();
    const oldInc = sim.node('n0').member('n7')!.incarnation;
    const ups = new Set<string>();
    sim.onEvent((e) => {
      if (e.event.type === 'nodeup' && e.event.node === 'n7') ups.add(e.observer);
    });
    const fresh = sim.restart('n7', ['n3']);
    expect(fresh.incarnation).toBe(0);
    expect(sim.runUntilTrue(() => sim.converged(), 30_000)).toBeDefined();
    expect(fresh.incarnation).toBeGreaterThan(oldInc);
    expect(ups.size).toBe(N - 1);
  });
});
