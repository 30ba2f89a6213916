import { describe, expect, it } from 'vitest';
import { decideSplitBrain, SplitBrainResolver, type SbrMember } from '../../src/cluster/membership/split-brain.ts';

// The split-brain resolver's rules, each strategy on both sides of the same partition:
// exactly one side keeps running (or none, for down-all / a lost quorum).
function view(all: readonly string[], reachable: readonly string[], ages: Record<string, number> = {}): SbrMember[] {
  return all.map((name) => ({ name, age: ages[name] ?? 100, reachable: reachable.includes(name) }));
}
const all = ['a', 'b', 'c', 'd', 'e'];
const sideA = ['a', 'b', 'c'];
const sideB = ['d', 'e'];

describe('decideSplitBrain', () => {
  it('keep-majority: the 3 keep and down the 2; the 2 down themselves', () => {
    expect(decideSplitBrain({ strategy: 'keep-majority' }, view(all, sideA))).toEqual({ action: 'keep', down: ['d', 'e'], reachable: sideA });
    expect(decideSplitBrain({ strategy: 'keep-majority' }, view(all, sideB))).toEqual({ action: 'down-self', reachable: sideB, unreachable: sideA });
  });

  it('keep-majority, an even split: the side with the lowest name keeps', () => {
    const four = ['a', 'b', 'c', 'd'];
    expect(decideSplitBrain({ strategy: 'keep-majority' }, view(four, ['c', 'a'])).action).toBe('keep');
    expect(decideSplitBrain({ strategy: 'keep-majority' }, view(four, ['b', 'd'])).action).toBe('down-self');
  });

  it('static-quorum: a side of at least quorumSize keeps; with quorum 4 neither side of 3|2 does', () => {
    expect(decideSplitBrain({ strategy: 'static-quorum', quorumSize: 3 }, view(all, sideA)).action).toBe('keep');
    expect(decideSplitBrain({ strategy: 'static-quorum', quorumSize: 3 }, view(all, sideB)).action).toBe('down-self');
    expect(decideSplitBrain({ strategy: 'static-quorum', quorumSize: 4 }, view(all, sideA)).action).toBe('down-self');
  });

  it('keep-oldest: the side of the oldest keeps, even when smaller; downIfAlone turns a lone oldest down', () => {
    const ages = { d: 1 };
    expect(decideSplitBrain({ strategy: 'keep-oldest' }, view(all, sideB, ages)).action).toBe('keep');
    expect(decideSplitBrain({ strategy: 'keep-oldest' }, view(all, sideA, ages)).action).toBe('down-self');
    expect(decideSplitBrain({ strategy: 'keep-oldest', downIfAlone: true }, view(all, ['d'], ages)).action).toBe('down-self');
    expect(decideSplitBrain({ strategy: 'keep-oldest', downIfAlone: true }, view(all, ['a', 'b', 'c', 'e'], ages))).toEqual({ action: 'keep', down: ['d'], reachable: ['a', 'b', 'c', 'e'] });
    // Equal ages: the name decides which is oldest.
    expect(decideSplitBrain({ strategy: 'keep-oldest' }, view(all, sideA)).action).toBe('keep');
  });

  it('down-all: any unreachable member downs every side; nobody unreachable keeps', () => {
    expect(decideSplitBrain({ strategy: 'down-all' }, view(all, sideA)).action).toBe('down-self');
    expect(decideSplitBrain({ strategy: 'down-all' }, view(all, sideB)).action).toBe('down-self');
    expect(decideSplitBrain({ strategy: 'down-all' }, view(all, all))).toEqual({ action: 'keep', down: [], reachable: all });
  });
});

describe('SplitBrainResolver: stable-after', () => {
  it('decides once the view has not changed for stableAfterMs, and once per view', () => {
    const r = new SplitBrainResolver({ strategy: 'keep-majority' }, 1000);
    r.observe(view(all, all), 0);
    expect(r.dueAt()).toBe(Infinity);
    r.observe(view(all, ['a', 'b', 'c', 'd']), 100);
    expect(r.dueAt()).toBe(1100);
    r.observe(view(all, sideA), 600); // the view changes: the clock restarts
    expect(r.decide(1100)).toBeUndefined();
    expect(r.dueAt()).toBe(1600);
    r.observe(view(all, sideA), 1200); // same view: no restart
    expect(r.decide(1600)).toEqual({ action: 'keep', down: ['d', 'e'], reachable: sideA });
    expect(r.decide(5000)).toBeUndefined();
    expect(r.dueAt()).toBe(Infinity);
    r.observe(view(sideA, sideA), 5100); // the downed left the view
    expect(r.dueAt()).toBe(Infinity);
  });
});
