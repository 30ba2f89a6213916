import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { BadArgError } from '../../src/core/errors.ts';
import { makeScheduler, spawnRecorder } from './helpers.ts';

describe('spawn: closures', () => {
  it('spawns a handler object or a generator function defined inline, capturing local variables', () => {
    const { s } = makeScheduler();
    const sink = spawnRecorder(s);
    const factor = 3;
    const h = s.spawn({ handle: (m: number, st: unknown, ctx: Context) => (ctx.send(sink.pid, m * factor), st) });
    const p = s.spawn(function* (ctx: Context) {
      const m: number = yield ctx.receive();
      ctx.send(sink.pid, m + factor);
    });
    s.send(h, 2);
    s.send(p, 2);
    s.runUntilIdle();
    expect(sink.log.sort()).toEqual([5, 6]);
    expect(s.processInfo(h)!.behaviour).toBe('closure(handler)');
  });

  it('refuses a plain (non-generator) function and an object without handle', () => {
    const { s } = makeScheduler();
    expect(() => s.spawn(() => 1)).toThrow(BadArgError);
    expect(() => s.spawn({ init: () => 1 })).toThrow(BadArgError);
    expect(() => s.spawn({ handle: () => 1, init: 5 })).toThrow(BadArgError);
    expect(s.size).toBe(0);
  });
});
