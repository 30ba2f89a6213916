import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { ANY } from '../../src/core/pattern.ts';
import { makeScheduler } from './helpers.ts';

describe('receive: selective receive', () => {
  it('takes the oldest matching message and leaves the unmatched ones in their order', () => {
    const { s } = makeScheduler();
    const got: unknown[] = [];
    const pid = s.spawn(function* (ctx: Context) {
      got.push(yield ctx.receive({ tag: 'b' }));
      got.push(yield ctx.receive({ tag: 'b' }));
      // The rest, in arrival order.
      for (let i = 0; i < 3; i++) got.push(yield ctx.receive());
    });
    for (const m of [{ tag: 'a', n: 1 }, { tag: 'b', n: 2 }, { tag: 'a', n: 3 }, { tag: 'c', n: 4 }, { tag: 'b', n: 5 }]) s.send(pid, m);
    s.runUntilIdle();
    expect(got.map((m) => (m as { n: number }).n)).toEqual([2, 5, 1, 3, 4]);
  });

  it('waits for a matching message without consuming the others, then matches a late arrival', () => {
    const { s } = makeScheduler();
    const got: unknown[] = [];
    const pid = s.spawn(function* (ctx: Context) {
      got.push(yield ctx.receive(['reply', ANY]));
      got.push(yield ctx.receive());
      yield ctx.receive('never');
    });
    s.send(pid, 'noise1');
    s.send(pid, 'noise2');
    s.runUntilIdle();
    expect(got).toEqual([]);
    expect(s.processInfo(pid)!.messageQueueLen).toBe(2);
    s.send(pid, ['reply', 7]);
    s.runUntilIdle();
    expect(got).toEqual([['reply', 7], 'noise1']);
    expect(s.processInfo(pid)!.messageQueueLen).toBe(1);
  });

  it('accepts a predicate as the pattern', () => {
    const { s } = makeScheduler();
    const got: unknown[] = [];
    const pid = s.spawn(function* (ctx: Context) {
      got.push(yield ctx.receive((m: number) => m > 10));
    });
    s.send(pid, 1);
    s.send(pid, 20);
    s.runUntilIdle();
    expect(got).toEqual([20]);
  });
});
