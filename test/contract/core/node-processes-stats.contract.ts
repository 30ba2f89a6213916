import { describe, expect, it } from 'vitest';
import { eventually } from '../node-kinds.ts';
import type { NodeKind } from '../node-kinds.ts';
import { Probe } from '../fixtures/probe.ts';

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe('node: what it says about itself (processes, stats, kind)', () => {
    it('processes() lists the live processes of every scheduler, not the gateway, and drops the dead', async () => {
      const { node } = kind;
      const a = await node.spawn(Probe, [null], kind.placeOn(0));
      const b = await node.spawn(Probe, [null], kind.placeOn(1));
      const all = await node.processes();
      expect(all).toEqual(expect.arrayContaining([a, b]));
      expect(all.some((p) => p.equals(node.pid))).toBe(false);
      await node.call(b, { die: 'normal' });
      const after = await eventually(() => node.processes(), (ps) => !ps.some((p) => p.equals(b)), 'b gone from processes()');
      expect(after).toEqual(expect.arrayContaining([a]));
    });

    it('says how it runs: scheduler threads, closures, one stats entry per scheduler, no call left pending', async () => {
      const { node } = kind;
      expect(node.schedulers).toBe(kind.schedulers);
      expect(node.spawnsClosures).toBe(kind.schedulers === 0);
      expect(node.running).toBe(true);
      const stats = node.stats();
      expect(stats.schedulers.map((s) => s.scheduler)).toEqual(Array.from({ length: Math.max(1, kind.schedulers) }, (_, i) => i));
      for (const s of stats.schedulers) {
        for (const f of ['runQueue', 'reductions', 'messagesIn', 'messagesOut', 'actors', 'spawns', 'exits'] as const) expect(typeof s[f]).toBe('number');
        expect(typeof s.state).toBe('string');
      }
      expect(stats.gateway.pendingCalls).toBe(0);
    });
  });
}
