import { describe, expect, it } from 'vitest';
import { AppView } from '../../src/cluster/dist-app/app-view.ts';
import { PriorityList } from '../../src/cluster/dist-app/priority-list.ts';
import type { Ref } from '../../src/core/pid.ts';

// The decisions a controller takes from its view alone (app-view.ts): who should run the
// application, when this node starts it, takes it over or yields — the same answer on
// every node given the same view, so only one node acts.

const list = PriorityList.from(['a@h', ['c@h', 'b@h'], 'd@h']);

function view(self: string, peers: Record<string, { declared?: boolean; local?: 'none' | 'starting' | 'running'; startType?: unknown; gen?: number }>, runningAt: string | null = null): AppView {
  const v = new AppView('app');
  v.list = list;
  v.declared = true;
  v.runningAt = runningAt;
  for (const [n, p] of Object.entries(peers)) v.peers.set(n, { declared: p.declared ?? true, local: p.local ?? 'none', startType: (p.startType ?? null) as never, gen: p.gen ?? 1, mismatch: false, key: list.key() });
  if (runningAt === self) v.local = 'running';
  return v;
}

describe('PriorityList', () => {
  it('ranks nodes, orders equal ones by name, and keys a rank as a set', () => {
    expect([list.rank('a@h'), list.rank('b@h'), list.rank('c@h'), list.rank('d@h'), list.rank('x@h')]).toEqual([0, 1, 1, 2, Infinity]);
    expect(list.preferred('a@h', 'b@h')).toBe(true);
    expect(list.preferred('b@h', 'c@h')).toBe(true);
    expect(list.preferred('c@h', 'b@h')).toBe(false);
    expect(list.all()).toEqual(['a@h', 'c@h', 'b@h', 'd@h']);
    expect(PriorityList.from(['a@h', ['b@h', 'c@h'], 'd@h']).key()).toBe(list.key());
    expect(PriorityList.from(['a@h', 'b@h', 'c@h', 'd@h']).key()).not.toBe(list.key());
  });
});

describe('AppView decisions', () => {
  it('the first declared node of the list starts it; within a rank the smaller name', () => {
    expect(view('a@h', { 'b@h': {}, 'c@h': {} }).startNow('a@h')).toBe('normal');
    expect(view('b@h', { 'a@h': {}, 'c@h': {} }).startNow('b@h')).toBeNull();
    // a is not declared (up, but Application.start not called there): b, the smaller of [c, b].
    expect(view('b@h', { 'a@h': { declared: false }, 'c@h': {} }).startNow('b@h')).toBe('normal');
    expect(view('c@h', { 'a@h': { declared: false }, 'b@h': {} }).startNow('c@h')).toBeNull();
  });

  it('nobody starts while an instance runs, a peer is starting one, or the failover timer is pending', () => {
    expect(view('b@h', { 'c@h': {} }, 'c@h').startNow('b@h')).toBeNull();
    expect(view('b@h', { 'c@h': { local: 'starting' } }).startNow('b@h')).toBeNull();
    const v = view('b@h', { 'c@h': {} });
    v.failoverFrom = 'a@h';
    v.failoverTimer = {} as Ref;
    expect(v.startNow('b@h')).toBeNull();
    v.failoverTimer = null;
    expect(v.startNow('b@h')).toEqual({ failover: 'a@h' });
  });

  it('a joining node takes over from a worse rank only; never within its rank', () => {
    const a = view('a@h', { 'b@h': { local: 'running' }, 'c@h': {} }, 'b@h');
    a.joining = true;
    expect(a.takeoverNow('a@h')).toEqual({ takeover: 'b@h' });
    expect(a.settled('a@h')).toBe(false); // Application.start waits for the takeover
    const c = view('c@h', { 'b@h': { local: 'running' } }, 'b@h');
    c.joining = true;
    expect(c.takeoverNow('c@h')).toBeNull(); // b is of c's rank: it keeps it
    expect(c.settled('c@h')).toBe(true);
    a.joining = false;
    expect(a.takeoverNow('a@h')).toBeNull(); // only a joining node (not after a manual takeover)
  });

  it('of two running instances, the one taken over (the older) or the worse one yields', () => {
    // b took over from a (b's instance is newer): a yields whatever the ranks.
    const a = view('a@h', { 'b@h': { local: 'running', startType: { takeover: 'a@h' }, gen: 2 } }, 'a@h');
    a.localGen = 1;
    expect(a.yieldTo('a@h')).toBe('b@h');
    // b, whose instance took over from a, keeps running while a still runs.
    const b = view('b@h', { 'a@h': { local: 'running', gen: 1 } }, 'b@h');
    b.localStartType = { takeover: 'a@h' };
    b.localGen = 2;
    expect(b.yieldNow('b@h')).toBe(false);
    // a takes it back from b (gen 3) while b's start type still names a: b's is the stale one.
    const a3 = view('a@h', { 'b@h': { local: 'running', startType: { takeover: 'a@h' }, gen: 2 } }, 'a@h');
    a3.localStartType = { takeover: 'b@h' };
    a3.localGen = 3;
    expect(a3.yieldNow('a@h')).toBe(false);
    const b3 = view('b@h', { 'a@h': { local: 'running', startType: { takeover: 'b@h' }, gen: 3 } }, 'b@h');
    b3.localStartType = { takeover: 'a@h' };
    b3.localGen = 2;
    expect(b3.yieldTo('b@h')).toBe('a@h');
    // A race (neither a takeover): the worse node yields, the better one keeps it.
    const c = view('c@h', { 'b@h': { local: 'running', startType: 'normal' } }, 'c@h');
    c.localStartType = 'normal';
    expect(c.yieldNow('c@h')).toBe(true);
    const b2 = view('b@h', { 'c@h': { local: 'running', startType: 'normal' } }, 'b@h');
    b2.localStartType = 'normal';
    expect(b2.yieldNow('b@h')).toBe(false);
  });

  it('a peer with another node list is never a candidate; a node outside the list never runs it', () => {
    const v = view('b@h', { 'a@h': {} });
    v.peers.get('a@h')!.mismatch = true;
    expect(v.best('b@h')).toBe('b@h');
    const x = view('x@h', {});
    expect(x.best('x@h')).toBeNull();
    expect(x.startNow('x@h')).toBeNull();
    expect(x.settled('x@h')).toBe(true); // answered: nothing of its list has started it
  });
});
