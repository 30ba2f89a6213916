import { afterEach, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.ts';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Pid } from '../../src/core/pid.ts';
import { ActorView, sortRows, topActors } from '../../src/profile/actor-view.ts';
import { start } from './fixtures/top-actors.ts';

// The actor view on a LocalNode (one scheduler on this thread): reductions are a rate over
// the interval between two samples, the mailbox and memory sorts pick the hoarder and the
// hog, utilisation comes from this thread's event loop, and the processInfo budget holds.

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

const nameOf = (r: { registeredName: string | null }): string | null => r.registeredName;

describe('ActorView on a LocalNode', () => {
  it('ranks the busy actor first by reductions/s, the hoarder by mailbox, the hog by memory', async () => {
    node = await startNode({ schedulers: 0 });
    await start(node);
    const view = new ActorView(node);
    const first = await view.sample();
    expect(first.intervalMs).toBeNull();
    expect(first.rows.every((r) => r.reductionsPerSec === null)).toBe(true);
    expect(first.schedulers[0]!.busy).toBeNull();
    await new Promise((r) => setTimeout(r, 200));
    const snap = await view.sample();
    expect(snap.intervalMs).toBeGreaterThan(150);
    expect(snap.processCount).toBe(8);
    expect(snap.sampled).toBe(8);
    const byRed = topActors(snap, 'reductions', 3);
    expect(nameOf(byRed[0]!)).toBe('busy');
    expect(byRed[0]!.reductionsPerSec).toBeGreaterThan(1000);
    expect(byRed[0]!.behaviour).toMatch(/Busy/);
    // A rate, not a total: the idle actors' rate is 0 whatever their totals.
    expect(snap.rows.filter((r) => r.registeredName === null).every((r) => r.reductionsPerSec === 0)).toBe(true);
    const byMailbox = topActors(snap, 'mailbox', 2);
    expect(nameOf(byMailbox[0]!)).toBe('hoarder');
    expect(byMailbox[0]!.mailbox).toBe(200);
    expect(nameOf(topActors(snap, 'memory', 1)[0]!)).toBe('hog');
    const s0 = snap.schedulers[0]!;
    expect(s0.source).toBe('event-loop');
    expect(s0.busy).toBeGreaterThan(0);
    expect(s0.busy! + s0.parked!).toBeCloseTo(1, 5);
    expect(s0.reductionsPerSec).toBeGreaterThan(1000);
  });

  it('asks processInfo of at most maxInfoPerTick pids per sample and reaches every pid round-robin', async () => {
    node = await startNode({ schedulers: 0 });
    await start(node);
    const view = new ActorView(node, { maxInfoPerTick: 3, hotRows: 1 });
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const s = await view.sample();
      expect(s.sampled).toBeLessThanOrEqual(3);
      for (const r of s.rows) seen.add(r.pid.toString());
    }
    expect(seen.size).toBe(8);
  });

  it('refuses bad options with the house message', () => {
    expect(() => new ActorView({} as Node, { maxInfoPerTick: 0 })).toThrow(InvalidOptionError);
    expect(() => new ActorView({} as Node, { maxInfoPerTick: 0 })).toThrow('ActorView: option "maxInfoPerTick" must be a positive integer');
    expect(() => new ActorView({} as Node, { every: 1 } as never)).toThrow('ActorView: unknown option "every"');
  });
});

describe('sortRows', () => {
  it('breaks ties in numeric pid order (<0.9.0> before <0.10.0>)', () => {
    const row = (id: number, mailbox: number) => ({ pid: new Pid(0, id, 0), registeredName: null, behaviour: 'X', status: 'waiting', reductionsPerSec: null, reductions: 0, mailbox, memory: 0, sampledAt: 0 });
    expect(sortRows([row(10, 0), row(9, 0), row(3, 5)], 'mailbox').map((r) => r.pid.id)).toEqual([3, 9, 10]);
  });
});
