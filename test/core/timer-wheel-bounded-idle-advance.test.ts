import { describe, expect, it } from 'vitest';
import { TimerNode, TimerWheel } from '../../src/core/timer-wheel.ts';
import { makeScheduler, spawnRecorder } from './helpers.ts';

class T extends TimerNode {}

describe('TimerWheel: 100,000 pending timers', () => {
  it('advancing one tick with none due fires nothing and touches none of them', () => {
    const w = new TimerWheel<T>(0);
    const timers: T[] = [];
    for (let i = 0; i < 100_000; i++) {
      const t = new T();
      timers.push(t);
      w.insert(t, 10_000 + ((i * 7919) % 3_600_000));
    }
    // Snapshot where every timer sits; an advance that touched one would move it.
    const where = timers.map((t) => t.level * 64 + t.slot);
    let calls = 0;
    for (let now = 1; now <= 100; now++) expect(w.advance(now, () => calls++)).toBe(0);
    expect(calls).toBe(0);
    expect(w.size).toBe(100_000);
    expect(timers.every((t, i) => t.level * 64 + t.slot === where[i])).toBe(true);
  });

  it('then fires exactly the due ones when time reaches them', () => {
    const w = new TimerWheel<T>(0);
    for (let i = 0; i < 100_000; i++) w.insert(new T(), 10_000 + i);
    let calls = 0;
    expect(w.advance(10_099, () => calls++)).toBe(100);
    expect(calls).toBe(100);
    expect(w.size).toBe(99_900);
  });

  it('a scheduler with 100,000 pending sendAfter timers does no timer work on an idle tick', () => {
    const { s, time } = makeScheduler();
    const { pid } = spawnRecorder(s);
    for (let i = 0; i < 100_000; i++) s.sendAfter(60_000 + i, pid, i);
    time.advance(1);
    expect(s.fireDueTimers()).toBe(0);
    expect(s.counters.timersFired).toBe(0);
    expect(s.pendingTimers).toBe(100_000);
  });
});
