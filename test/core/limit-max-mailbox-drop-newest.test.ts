import { describe, expect, it } from 'vitest';
import { makeScheduler } from './helpers.ts';

describe("limits: maxMailbox with policy 'drop-newest'", () => {
  it('drops messages arriving at a full mailbox and counts them in processInfo().dropped', () => {
    const { s } = makeScheduler();
    const got: number[] = [];
    const pid = s.spawn({ handle: (m: number, st: unknown) => (got.push(m), st) }, [], { maxMailbox: 3, mailboxPolicy: 'drop-newest' });
    for (let i = 1; i <= 5; i++) s.send(pid, i);
    expect(s.processInfo(pid)!.messageQueueLen).toBe(3);
    expect(s.processInfo(pid)!.dropped).toBe(2);
    s.runUntilIdle();
    expect(got).toEqual([1, 2, 3]);
    // Room again once handled.
    s.send(pid, 6);
    s.runUntilIdle();
    expect(got).toEqual([1, 2, 3, 6]);
    expect(s.isAlive(pid)).toBe(true);
  });
});
