import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { parsePid, type Pid } from '../../src/core/pid.ts';
import { makeScheduler } from './helpers.ts';

const Idle = { handle: (_m: unknown, st: unknown) => st };

describe('link: unlink', () => {
  it('removes the link on both sides, so a later exit no longer propagates', () => {
    const { s } = makeScheduler();
    const other = s.spawn(Idle);
    const me = s.spawn({
      handle(m: string, st: unknown, ctx: Context) {
        if (m === 'link') ctx.link(other);
        if (m === 'unlink') ctx.unlink(other);
        return st;
      },
    });
    s.send(me, 'link');
    s.send(me, 'unlink');
    s.runUntilIdle();
    expect(s.processInfo(me)!.links).toEqual([]);
    expect(s.processInfo(other)!.links).toEqual([]);
    s.exit(other, 'crash');
    s.runUntilIdle();
    expect(s.isAlive(me)).toBe(true);
  });

  it('works with a pid equal by value but not the same object (a pid rebuilt from text)', () => {
    const { s } = makeScheduler();
    const other = s.spawn(Idle);
    const me = s.spawn({
      handle(m: { op: string; pid: Pid }, st: unknown, ctx: Context) {
        if (m.op === 'link') ctx.link(m.pid);
        if (m.op === 'unlink') ctx.unlink(m.pid);
        return st;
      },
    });
    s.send(me, { op: 'link', pid: parsePid(String(other))! });
    s.send(me, { op: 'link', pid: parsePid(String(other))! }); // linking twice is one link
    s.runUntilIdle();
    expect(s.processInfo(me)!.links.map(String)).toEqual([String(other)]);
    s.send(me, { op: 'unlink', pid: parsePid(String(other))! });
    s.runUntilIdle();
    expect(s.processInfo(me)!.links).toEqual([]);
    expect(s.processInfo(other)!.links).toEqual([]);
    s.exit(other, 'crash');
    s.runUntilIdle();
    expect(s.isAlive(me)).toBe(true);
  });

  it('unlinking a pid that is not linked (or dead) is a no-op', () => {
    const { s } = makeScheduler();
    const stranger = s.spawn(Idle);
    let ok = false;
    const me = s.spawn({
      handle(_m: unknown, st: unknown, ctx: Context) {
        ctx.unlink(stranger);
        ok = true;
        return st;
      },
    });
    s.send(me, 'go');
    s.runUntilIdle();
    expect(ok).toBe(true);
  });
});
