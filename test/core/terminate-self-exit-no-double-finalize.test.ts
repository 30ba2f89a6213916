import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { makeScheduler } from './helpers.ts';

const Idle = { handle: (_m: unknown, st: unknown) => st };

describe('terminate: signals to itself while terminating', () => {
  it('an actor that kills or links to a dead pid in terminate is finalised once, and its slot is reused once', () => {
    const { s } = makeScheduler();
    const exits: string[] = [];
    s.onExit = (pid) => exits.push(String(pid));
    const dead = s.spawn(Idle);
    s.exit(dead, 'kill');
    s.runUntilIdle();
    exits.length = 0;
    const a = s.spawn({
      handle: (_m: unknown, st: unknown) => st,
      terminate(_r: unknown, _st: unknown, ctx: Context) {
        ctx.exit(ctx.self, 'kill');
      },
    });
    const b = s.spawn({
      handle: (_m: unknown, st: unknown) => st,
      terminate(_r: unknown, _st: unknown, ctx: Context) {
        ctx.link(dead);
      },
    });
    s.runUntilIdle();
    s.exit(a, 'stop');
    s.exit(b, 'stop');
    s.runUntilIdle();
    expect(exits).toEqual([String(a), String(b)]);
    expect(s.size).toBe(0);
    // Two new actors get two distinct live pids.
    const c = s.spawn(Idle);
    const d = s.spawn(Idle);
    expect(c.equals(d)).toBe(false);
    expect(c.id).not.toBe(d.id);
    expect(s.size).toBe(2);
    expect(s.processes()).toEqual(expect.arrayContaining([c, d]));
    expect(s.processes().length).toBe(2);
  });
});
