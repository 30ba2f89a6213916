import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { makeScheduler } from './helpers.ts';

describe('priority: high runs first', () => {
  it('runs high-priority actors before normal ones, and normal before low, whatever the order of arrival', () => {
    const { s } = makeScheduler();
    const order: string[] = [];
    const actor = (name: string) => ({ handle: (_m: unknown, st: unknown) => (order.push(name), st) });
    const low = s.spawn(actor('low'), [], { priority: 'low' });
    const normal = s.spawn(actor('normal'));
    const high = s.spawn(actor('high'), [], { priority: 'high' });
    s.send(low, 1);
    s.send(normal, 1);
    s.send(high, 1);
    s.runUntilIdle();
    expect(order).toEqual(['high', 'normal', 'low']);
    expect(s.processInfo(high)!.priority).toBe('high');
  });

  it('ctx.setPriority moves the actor to another queue and returns the old priority', () => {
    const { s } = makeScheduler();
    const order: string[] = [];
    const olds: string[] = [];
    const a = s.spawn({
      handle(m: string, st: unknown, ctx: Context) {
        if (m === 'promote') olds.push(ctx.setPriority('high'));
        order.push(`a:${m}`);
        return st;
      },
    });
    const b = s.spawn({ handle: (m: string, st: unknown) => (order.push(`b:${m}`), st) });
    s.send(a, 'promote');
    s.runUntilIdle();
    s.send(b, 'x');
    s.send(a, 'y');
    s.runUntilIdle();
    expect(olds).toEqual(['normal']);
    expect(order).toEqual(['a:promote', 'a:y', 'b:x']);
  });
});
