import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { matches } from '../../src/core/pattern.ts';
import { makeScheduler } from './helpers.ts';

// A predicate (or a guard inside a structural pattern) matches when it returns a truthy
// value, as a callback of Array.prototype.filter does.
const truthy: unknown[] = [1, -1, 'x', {}, [], 1n, Symbol.for('s'), () => 0];
const falsy: unknown[] = [0, -0, '', null, undefined, NaN, false, 0n];

describe('pattern: a predicate matches when it returns a truthy value', () => {
  it('top-level predicate: truthy non-booleans match, every falsy value does not', () => {
    for (const r of truthy) expect(matches(() => r, 'msg'), String(r)).toBe(true);
    for (const r of falsy) expect(matches(() => r, 'msg'), String(r)).toBe(false);
  });

  it('guard inside a structural pattern: same rule at its position', () => {
    for (const r of truthy) expect(matches({ n: () => r }, { n: 1 }), String(r)).toBe(true);
    for (const r of falsy) expect(matches({ n: () => r }, { n: 1 }), String(r)).toBe(false);
    expect(matches([(x: { id?: number }) => x.id], [{ id: 7 }])).toBe(true);
    expect(matches([(x: { id?: number }) => x.id], [{ id: 0 }])).toBe(false);
  });

  it('ctx.receive with a predicate returning a field takes the oldest message whose field is truthy', () => {
    const { s } = makeScheduler();
    const got: unknown[] = [];
    const pid = s.spawn(function* (ctx: Context) {
      got.push(yield ctx.receive((m: { n: number }) => m.n));
      got.push(yield ctx.receive((m: { n: number }) => m.n));
      yield ctx.receive('never');
    });
    for (const n of [0, 5, 0, 3]) s.send(pid, { n });
    s.runUntilIdle();
    expect(got).toEqual([{ n: 5 }, { n: 3 }]);
    // The two messages whose n is 0 (falsy) are left in the mailbox, in order.
    expect(s.processInfo(pid)!.messageQueueLen).toBe(2);
  });
});
