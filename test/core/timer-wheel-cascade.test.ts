import { describe, expect, it } from 'vitest';
import { TimerNode, TimerWheel } from '../../src/core/timer-wheel.ts';

class T extends TimerNode {}

describe('TimerWheel: cascade across levels', () => {
  it('timers inserted at coarse levels fire at their exact ms after cascading down', () => {
    const w = new TimerWheel<T>(0);
    // One timer per level boundary region: 64, 64^2, 64^3, 64^4 and a bit past each.
    const deadlines = [64 + 7, 4096 + 13, 262_144 + 99, 16_777_216 + 1234];
    for (const d of deadlines) w.insert(new T(), d);
    for (const d of deadlines) {
      const fired: number[] = [];
      expect(w.advance(d - 1, (t) => fired.push(t.deadline))).toBe(0);
      expect(w.advance(d, (t) => fired.push(t.deadline))).toBe(1);
      expect(fired).toEqual([d]);
    }
  });

  it('cascades correctly when the wheel did not start at 0 and crosses rotation boundaries', () => {
    const origin = 64 ** 3 - 5; // just before a level-2 rotation boundary
    const w = new TimerWheel<T>(origin);
    const offsets = [1, 4, 5, 6, 60, 64, 70, 4096, 4100, 262_144];
    for (const o of offsets) w.insert(new T(), origin + o);
    const fired: number[] = [];
    let now = origin;
    for (const step of [3, 2, 1, 57, 13, 5000, 300_000]) {
      now += step;
      w.advance(now, (t) => {
        expect(t.deadline).toBeLessThanOrEqual(now);
        fired.push(t.deadline - origin);
      });
      // Everything due by now has fired, nothing else has.
      expect(fired).toEqual(offsets.filter((o) => origin + o <= now));
    }
  });

  it('handles a big jump: every timer due fires in one advance, in order', () => {
    const w = new TimerWheel<T>(0);
    const deadlines: number[] = [];
    for (let i = 0; i < 2000; i++) deadlines.push(Math.floor((i * 7919) % 10_000_000) + 1);
    for (const d of deadlines) w.insert(new T(), d);
    const fired: number[] = [];
    expect(w.advance(10_000_000, (t) => fired.push(t.deadline))).toBe(2000);
    expect(fired).toEqual([...deadlines].sort((a, b) => a - b));
  });
});
