import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { makeScheduler, recordExits } from './helpers.ts';

describe('link: ctx.spawnLink', () => {
  it('links parent and child atomically; a crash of the child takes the parent down', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    let child: Pid | undefined;
    const parent = s.spawn({
      init: () => null,
      handle(m: string, st: unknown, ctx: Context) {
        if (m === 'spawn') {
          child = ctx.spawnLink({ handle: (x: string, cs: unknown) => { if (x === 'die') throw new Error('child failed'); return cs; } });
        }
        return st;
      },
    });
    s.send(parent, 'spawn');
    s.runUntilIdle();
    expect(s.processInfo(parent)!.links).toEqual([child]);
    expect(s.processInfo(child!)!.links).toEqual([parent]);
    s.send(child!, 'die');
    s.runUntilIdle();
    expect(exits.get(parent.toString())).toMatchObject({ kind: 'error', message: 'child failed' });
  });

  it('the child dies when the parent does', () => {
    const { s } = makeScheduler();
    let child: Pid | undefined;
    const parent = s.spawn(function* (ctx: Context) {
      child = ctx.spawnLink(function* (c: Context) {
        yield c.receive();
      });
      yield ctx.receive();
      ctx.exit('parent quits');
    });
    s.runUntilIdle();
    expect(s.isAlive(child!)).toBe(true);
    s.send(parent, 'go');
    s.runUntilIdle();
    expect(s.isAlive(child!)).toBe(false);
  });
});
