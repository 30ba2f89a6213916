import { describe, expect, it } from 'vitest';
import { TimerNode, TimerWheel } from '../../src/core/timer-wheel.ts';

class T extends TimerNode {}

const YEAR = 365 * 24 * 3600 * 1000;

describe('TimerWheel: far deadlines', () => {
  it('keeps a timer due beyond the top level (years away) and fires it at its time', () => {
    const w = new TimerWheel<T>(0);
    const far = 5 * YEAR + 12_345;
    w.insert(new T(), far);
    const fired: number[] = [];
    // Advance in big steps through the years: nothing fires early, and advance terminates.
    for (let now = 0; now < far; now += YEAR / 4) {
      expect(w.advance(now, (t) => fired.push(t.deadline))).toBe(0);
    }
    expect(w.advance(far - 1, (t) => fired.push(t.deadline))).toBe(0);
    expect(w.advance(far, (t) => fired.push(t.deadline))).toBe(1);
    expect(fired).toEqual([far]);
  });

  it('orders a far timer after nearer ones and fires all in one big jump', () => {
    const w = new TimerWheel<T>(1000);
    for (const d of [10 * YEAR, 3 * YEAR, 2000]) w.insert(new T(), d);
    const fired: number[] = [];
    expect(w.advance(11 * YEAR, (t) => fired.push(t.deadline))).toBe(3);
    expect(fired).toEqual([2000, 3 * YEAR, 10 * YEAR]);
  });
});
