import { describe, expect, it } from 'vitest';
import { makeScheduler } from './helpers.ts';

const Idle = { handle: (_m: unknown, st: unknown) => st };

describe('introspection: processes()', () => {
  it('lists every live pid, and no dead ones; size counts them', () => {
    const { s } = makeScheduler();
    const pids = [s.spawn(Idle), s.spawn(Idle), s.spawn(Idle)];
    expect(s.processes()).toEqual(pids);
    expect(s.size).toBe(3);
    s.exit(pids[1], 'kill');
    s.runUntilIdle();
    expect(s.processes()).toEqual([pids[0], pids[2]]);
    expect(s.size).toBe(2);
    s.shutdown();
    expect(s.processes()).toEqual([]);
    expect(s.size).toBe(0);
  });
});
