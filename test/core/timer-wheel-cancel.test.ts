import { describe, expect, it } from 'vitest';
import { TimerNode, TimerWheel } from '../../src/core/timer-wheel.ts';

class T extends TimerNode {
  constructor(readonly name: string) {
    super();
  }
}

describe('TimerWheel: cancel', () => {
  it('removes a pending timer at any level; cancelling twice or after firing returns false', () => {
    const w = new TimerWheel<T>(0);
    const near = new T('near');
    const mid = new T('mid');
    const far = new T('far');
    const keep = new T('keep');
    w.insert(near, 10);
    w.insert(mid, 5000);
    w.insert(far, 10_000_000);
    w.insert(keep, 10);
    expect(w.size).toBe(4);
    expect(w.cancel(near)).toBe(true);
    expect(w.cancel(mid)).toBe(true);
    expect(w.cancel(far)).toBe(true);
    expect(w.cancel(far)).toBe(false);
    expect(w.size).toBe(1);
    const fired: string[] = [];
    w.advance(20_000_000, (t) => fired.push(t.name));
    expect(fired).toEqual(['keep']);
    expect(w.cancel(keep)).toBe(false);
    expect(w.size).toBe(0);
  });

  it('a timer cancelled from inside the fire callback of another timer in the same slot does not fire', () => {
    const w = new TimerWheel<T>(0);
    const a = new T('a');
    const b = new T('b');
    const c = new T('c');
    for (const t of [a, b, c]) w.insert(t, 100);
    const fired: string[] = [];
    const n = w.advance(100, (t) => {
      fired.push(t.name);
      if (t === a) {
        expect(w.cancel(b)).toBe(true);
      }
    });
    expect(fired).toEqual(['a', 'c']);
    expect(n).toBe(2);
    expect(w.size).toBe(0);
    // The wheel's bookkeeping is still sound: new timers work.
    const d = new T('d');
    w.insert(d, 150);
    w.advance(150, (t) => fired.push(t.name));
    expect(fired).toEqual(['a', 'c', 'd']);
  });

  it('a cancelled timer can be inserted again', () => {
    const w = new TimerWheel<T>(0);
    const t = new T('t');
    w.insert(t, 50);
    w.cancel(t);
    w.insert(t, 70);
    const fired: number[] = [];
    w.advance(100, (x) => fired.push(x.deadline));
    expect(fired).toEqual([70]);
  });
});
