import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { makeScheduler, recordExits } from './helpers.ts';

describe('spawn: process style', () => {
  it('runs a generator that yields ctx.receive() and gets each message back', () => {
    const { s } = makeScheduler();
    const got: unknown[] = [];
    const exits = recordExits(s);
    const pid = s.spawn(function* (ctx: Context, count: number) {
      for (let i = 0; i < count; i++) got.push(yield ctx.receive());
    }, [3]);
    s.runUntilIdle();
    expect(s.processInfo(pid)!.inReceive).toBe(true);
    s.send(pid, 'a');
    s.send(pid, { b: 1 });
    s.runUntilIdle();
    expect(got).toEqual(['a', { b: 1 }]);
    s.send(pid, 'c');
    s.runUntilIdle();
    expect(got).toEqual(['a', { b: 1 }, 'c']);
    // Returning from the generator ends the actor with reason 'normal'.
    expect(exits.get(pid.toString())).toBe('normal');
    expect(s.isAlive(pid)).toBe(false);
  });

  it('ends with badyield when the generator yields something other than ctx.receive()', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const pid = s.spawn(function* () {
      yield 42;
    });
    s.runUntilIdle();
    expect(exits.get(pid.toString())).toMatchObject({ kind: 'badyield' });
  });
});
