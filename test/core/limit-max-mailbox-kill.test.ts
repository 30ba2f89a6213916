import { describe, expect, it } from 'vitest';
import { makeScheduler, recordExits } from './helpers.ts';

describe("limits: maxMailbox with policy 'kill'", () => {
  it("kills the actor with {kind:'maxMailbox'} when a message arrives at a full mailbox", () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const got: number[] = [];
    const pid = s.spawn({ handle: (m: number, st: unknown) => (got.push(m), st) }, [], { maxMailbox: 2, mailboxPolicy: 'kill' });
    s.send(pid, 1);
    s.send(pid, 2);
    expect(s.isAlive(pid)).toBe(true);
    s.send(pid, 3);
    expect(s.isAlive(pid)).toBe(false);
    s.runUntilIdle();
    expect(got).toEqual([]);
    expect(exits.get(pid.toString())).toEqual({ kind: 'maxMailbox', limit: 2 });
  });
});
