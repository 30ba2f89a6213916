import { describe, expect, it } from 'vitest';
import { fullName, nodeupsOf, startCluster } from './support/node-cluster.ts';

// A busy peer is not a dead one: ticks are the I/O thread's job, so b's main thread
// blocked for 3 s (longer than tickTimeMs 2000) — with every scheduler busy too — does
// not make a declare b down, nor b declare a down; the connection is still the same
// afterwards (no new nodeup) and answers.

const kTick = 2000;

describe('distribution: a busy peer is not declared down', () => {
  for (const schedulers of [0, 2]) {
    it(`b blocked 3 s with schedulers: ${schedulers} (all busy): no nodedown`, async () => {
      const { nodes: { a, b } } = await startCluster(['a', 'b'], { tickTimeMs: kTick, schedulers });
      await b!.request({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });
      expect(await a!.request({ cmd: 'connect', node: fullName('b') })).toBe(true);
      await nodeupsOf(a!, ['b']);
      await nodeupsOf(b!, ['a']);

      const blocked = await b!.request<{ blockedMs: number }>({ cmd: 'block', ms: 3000, spinners: schedulers }, 15_000);
      expect(blocked.blockedMs).toBeGreaterThanOrEqual(3000);
      expect(await a!.request({ cmd: 'call', to: { name: 'echo', node: fullName('b') }, msg: 'awake?' })).toMatchObject({ value: { echo: 'awake?' } });
      expect(a!.events.filter((e) => e.event === 'nodedown')).toEqual([]);
      expect(b!.events.filter((e) => e.event === 'nodedown')).toEqual([]);
      expect(a!.events.filter((e) => e.event === 'nodeup')).toHaveLength(1);
    }, 30_000);
  }
});
