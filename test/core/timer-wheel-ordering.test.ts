import { describe, expect, it } from 'vitest';
import { TimerNode, TimerWheel } from '../../src/core/timer-wheel.ts';

class T extends TimerNode {
  constructor(readonly name: string) {
    super();
  }
}

describe('TimerWheel: ordering', () => {
  it('fires timers in deadline order whatever the insertion order', () => {
    const w = new TimerWheel<T>(0);
    const deadlines = [500, 3, 64, 63, 65, 4096, 4095, 1, 200_000, 77];
    for (const d of deadlines) w.insert(new T(String(d)), d);
    const fired: number[] = [];
    expect(w.advance(1_000_000, (t) => fired.push(t.deadline))).toBe(deadlines.length);
    expect(fired).toEqual([...deadlines].sort((a, b) => a - b));
    expect(w.size).toBe(0);
  });

  it('fires timers with equal deadlines in insertion order, at every level', () => {
    for (const d of [5, 100, 5000, 300_000]) {
      const w = new TimerWheel<T>(0);
      const names = ['a', 'b', 'c', 'd'];
      for (const n of names) w.insert(new T(n), d);
      const fired: string[] = [];
      w.advance(d, (t) => fired.push(t.name));
      expect(fired, `deadline ${d}`).toEqual(names);
    }
  });

  it('fires each timer exactly when its deadline is reached, stepping 1 ms at a time', () => {
    const w = new TimerWheel<T>(0);
    const deadlines = [1, 2, 63, 64, 65, 127, 128, 1000, 4095, 4096, 4097, 5000];
    for (const d of deadlines) w.insert(new T(String(d)), d);
    const firedAt = new Map<number, number>();
    for (let now = 1; now <= 5000; now++) w.advance(now, (t) => firedAt.set(t.deadline, now));
    for (const d of deadlines) expect(firedAt.get(d), `deadline ${d}`).toBe(d);
  });

  it('rounds a fractional deadline up and fires a past deadline at the next advance', () => {
    const w = new TimerWheel<T>(100);
    const fired: string[] = [];
    w.insert(new T('frac'), 110.2);
    w.insert(new T('past'), 50);
    w.advance(100, (t) => fired.push(t.name));
    expect(fired).toEqual(['past']);
    w.advance(110, (t) => fired.push(t.name));
    expect(fired).toEqual(['past']);
    w.advance(111, (t) => fired.push(t.name));
    expect(fired).toEqual(['past', 'frac']);
  });

  it('nextDeadline reports a time no later than the earliest deadline', () => {
    const w = new TimerWheel<T>(0);
    expect(w.nextDeadline()).toBe(-1);
    w.insert(new T('x'), 10_000);
    w.insert(new T('y'), 70);
    const next = w.nextDeadline();
    expect(next).toBeLessThanOrEqual(70);
    expect(next).toBeGreaterThanOrEqual(0);
  });
});
