import { describe, expect, it } from 'vitest';
import { makeScheduler, spawnRecorder } from './helpers.ts';

describe('scheduler: shutdown', () => {
  it("ends every actor with 'shutdown' (terminate runs), and cancels pending timers", () => {
    const { s } = makeScheduler();
    const reasons: unknown[] = [];
    const terminated: unknown[] = [];
    s.onExit = (_p, r) => reasons.push(r);
    const { pid } = spawnRecorder(s);
    s.spawn({ handle: (_m: unknown, st: unknown) => st, terminate: (r: unknown) => terminated.push(r) });
    s.sendAfter(1000, pid, 'late');
    s.runUntilIdle();
    s.shutdown();
    expect(s.size).toBe(0);
    expect(reasons).toEqual(['shutdown', 'shutdown']);
    expect(terminated).toEqual(['shutdown']);
    expect(s.pendingTimers).toBe(0);
    expect(s.hasWork()).toBe(false);
  });

  it('ends 200,000 runnable actors in one go and leaves no run-queue entries behind', () => {
    const { s } = makeScheduler();
    const Idle = { init: () => 0, handle: (_m: unknown, st: unknown) => st };
    for (let i = 0; i < 200_000; i++) s.spawn(Idle);
    expect(s.runQueueLength).toBe(200_000);
    s.shutdown();
    expect(s.size).toBe(0);
    expect(s.runQueueLength).toBe(0);
    expect(s.counters.exits).toBe(200_000);
  });

  it('an actor that exits while queued never runs again, and others are unaffected', () => {
    const { s } = makeScheduler();
    const ran: string[] = [];
    const a = s.spawn({ handle: (_m: unknown, st: unknown) => (ran.push('a'), st) });
    const b = s.spawn({ handle: (_m: unknown, st: unknown) => (ran.push('b'), st) });
    s.send(a, 1);
    s.send(b, 1);
    s.exit(a, 'kill');
    s.runUntilIdle();
    expect(ran).toEqual(['b']);
    // Its slot is reused by a new actor, which runs normally.
    const c = s.spawn({ handle: (_m: unknown, st: unknown) => (ran.push('c'), st) });
    s.send(c, 1);
    s.runUntilIdle();
    expect(ran).toEqual(['b', 'c']);
  });
});
