import { describe, expect, it } from 'vitest';
import { makeScheduler, recordExits } from './helpers.ts';

describe('limits: maxHeapSize', () => {
  it("kills an actor whose mailbox outgrows it, with {kind:'maxHeapSize'}", () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const pid = s.spawn({ handle: (_m: unknown, st: unknown) => st }, [], { maxHeapSize: 4096 });
    s.suspend(pid);
    for (let i = 0; i < 20; i++) s.send(pid, 'z'.repeat(100)); // ~2.3 KB: fine
    s.runUntilIdle();
    expect(s.isAlive(pid)).toBe(true);
    for (let i = 0; i < 20; i++) s.send(pid, 'z'.repeat(100)); // past 4 KB
    s.runUntilIdle();
    expect(s.isAlive(pid)).toBe(false);
    expect(exits.get(pid.toString())).toMatchObject({ kind: 'maxHeapSize', limit: 4096 });
  });

  it('kills an actor whose state outgrows it, after the slice that grew it', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const pid = s.spawn({ init: () => [] as string[], handle: (m: string, st: string[]) => (st.push(m), st) }, [], { maxHeapSize: 8192 });
    s.send(pid, 'a'.repeat(1000));
    s.runUntilIdle();
    expect(s.isAlive(pid)).toBe(true);
    for (let i = 0; i < 10; i++) s.send(pid, 'a'.repeat(1000));
    s.runUntilIdle();
    expect(exits.get(pid.toString())).toMatchObject({ kind: 'maxHeapSize', limit: 8192 });
    expect((exits.get(pid.toString()) as { size: number }).size).toBeGreaterThan(8192);
  });

  it('a scheduler-wide default maxHeapSize applies to actors spawned without options', () => {
    const { s } = makeScheduler({ maxHeapSize: 2048 });
    const exits = recordExits(s);
    const pid = s.spawn({ init: () => [] as string[], handle: (m: string, st: string[]) => (st.push(m), st) });
    for (let i = 0; i < 10; i++) s.send(pid, 'b'.repeat(500));
    s.runUntilIdle();
    expect(exits.get(pid.toString())).toMatchObject({ kind: 'maxHeapSize', limit: 2048 });
  });
});
