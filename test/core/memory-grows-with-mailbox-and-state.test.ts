import { describe, expect, it } from 'vitest';
import { makeScheduler } from './helpers.ts';

describe('memory: processInfo().memory', () => {
  it('grows with queued messages and shrinks when they are handled', () => {
    const { s } = makeScheduler();
    const pid = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    s.runUntilIdle();
    const idle = s.processInfo(pid)!.memory;
    expect(idle).toBeGreaterThan(0);
    s.suspend(pid); // keep the messages queued
    for (let i = 0; i < 100; i++) s.send(pid, 'x'.repeat(100));
    s.runUntilIdle();
    const full = s.processInfo(pid)!.memory;
    expect(full).toBeGreaterThanOrEqual(idle + 100 * 100);
    s.resume(pid);
    s.runUntilIdle();
    expect(s.processInfo(pid)!.memory).toBe(idle);
  });

  it('grows with the state a handler keeps', () => {
    const { s } = makeScheduler();
    const pid = s.spawn({
      init: () => [] as string[],
      handle: (m: string, st: string[]) => (st.push(m), st),
    });
    s.runUntilIdle();
    const before = s.processInfo(pid)!.memory;
    for (let i = 0; i < 50; i++) s.send(pid, 'y'.repeat(200));
    s.runUntilIdle();
    expect(s.processInfo(pid)!.messageQueueLen).toBe(0);
    expect(s.processInfo(pid)!.memory).toBeGreaterThanOrEqual(before + 50 * 200);
  });
});
