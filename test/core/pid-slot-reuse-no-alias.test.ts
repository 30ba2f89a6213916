import { describe, expect, it } from 'vitest';
import { makeScheduler, spawnRecorder } from './helpers.ts';

describe('pid: slot reuse', () => {
  it("reuses a dead process's slot with a new serial; the old pid never reaches the new process", () => {
    const { s } = makeScheduler();
    const first = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    s.exit(first, 'kill');
    s.runUntilIdle();
    expect(s.isAlive(first)).toBe(false);

    const { pid: second, log } = spawnRecorder(s);
    expect(second.id).toBe(first.id); // same slot...
    expect(second.serial).not.toBe(first.serial); // ...new generation
    expect(second.equals(first)).toBe(false);

    const dropped = s.counters.messagesDropped;
    s.send(first, 'for the dead one');
    s.send(second, 'for the new one');
    s.runUntilIdle();
    expect(log).toEqual(['for the new one']);
    expect(s.counters.messagesDropped).toBe(dropped + 1);
    expect(s.processInfo(first)).toBeUndefined();
  });
});
