import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { Pid, pidEquals, parsePid } from '../../src/core/pid.ts';
import { makeScheduler } from './helpers.ts';

describe('pid: comparison and Map keys', () => {
  it('compares by value with equals and pidEquals', () => {
    const a = new Pid(0, 7, 1);
    const b = new Pid(0, 7, 1);
    expect(a === b).toBe(false);
    expect(a.equals(b)).toBe(true);
    expect(pidEquals(a, b)).toBe(true);
    expect(pidEquals(a, new Pid(0, 7, 2))).toBe(false);
    expect(pidEquals(a, new Pid(1, 7, 1))).toBe(false);
    expect(a.equals('<0.7.1>')).toBe(false);
  });

  it('is the same object from spawn, ctx.self and inside messages, so it works as a Map key', () => {
    const { s } = makeScheduler();
    const table = new Map<Pid, string>();
    const hits: Array<string | undefined> = [];
    const hub = s.spawn({
      handle(msg: { from: Pid }, st: unknown) {
        hits.push(table.get(msg.from));
        return st;
      },
    });
    const child = s.spawn({
      handle(_m: unknown, st: unknown, ctx: Context) {
        ctx.send(hub, { from: ctx.self });
        return st;
      },
    });
    table.set(child, 'child');
    s.send(child, 'go');
    s.runUntilIdle();
    expect(hits).toEqual(['child']);
    // A pid rebuilt from its text is equal by value; the runtime accepts it as the same process.
    expect(s.isAlive(parsePid(String(child))!)).toBe(true);
  });
});
