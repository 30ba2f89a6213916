import { describe, expect, it } from 'vitest';
import { makeScheduler } from './helpers.ts';

describe('scheduler: an actor that spends its budget goes to the back of the queue', () => {
  it('interleaves a busy actor with the actors queued behind it', () => {
    const { s } = makeScheduler({ budget: 3 });
    const events: string[] = [];
    const rec = (name: string) => ({ handle: (m: number, st: unknown) => (events.push(`${name}${m}`), st) });
    const a = s.spawn(rec('a'));
    const b = s.spawn(rec('b'));
    const c = s.spawn(rec('c'));
    for (let i = 0; i < 7; i++) s.send(a, i);
    s.send(b, 0);
    s.send(c, 0);
    s.send(c, 1);
    s.runUntilIdle();
    expect(events).toEqual(['a0', 'a1', 'a2', 'b0', 'c0', 'c1', 'a3', 'a4', 'a5', 'a6']);
  });

  it('the same holds when the budget is spent by bumpReductions inside one message', () => {
    const { s } = makeScheduler({ budget: 100 });
    const events: string[] = [];
    const heavy = s.spawn({
      handle(m: number, st: unknown, ctx: import('../../src/core/context.ts').Context) {
        events.push(`heavy${m}`);
        ctx.bumpReductions(500);
        return st;
      },
    });
    const light = s.spawn({ handle: (m: number, st: unknown) => (events.push(`light${m}`), st) });
    s.send(heavy, 0);
    s.send(heavy, 1);
    s.send(light, 0);
    s.runUntilIdle();
    expect(events).toEqual(['heavy0', 'light0', 'heavy1']);
  });
});
