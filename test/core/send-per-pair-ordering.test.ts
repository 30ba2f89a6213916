import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { makeScheduler } from './helpers.ts';

describe('send: per-pair ordering', () => {
  it('messages from one sender arrive in the order sent, whatever other senders do', () => {
    const { s } = makeScheduler({ budget: 7 });
    const got: Array<[string, number]> = [];
    const sink = s.spawn({ handle: (m: [string, number], st: unknown) => (got.push(m), st) });
    const sender = (name: string) => ({
      handle(_m: unknown, st: unknown, ctx: Context) {
        for (let i = 0; i < 50; i++) ctx.send(sink, [name, i]);
        return st;
      },
    });
    const a = s.spawn(sender('a'));
    const b = s.spawn(sender('b'));
    s.send(a, 'go');
    s.send(b, 'go');
    s.send(a, 'go');
    s.runUntilIdle();
    for (const name of ['a', 'b']) {
      const seq = got.filter(([n]) => n === name).map(([, i]) => i);
      expect(seq).toEqual(name === 'a' ? [...Array(50).keys(), ...Array(50).keys()] : [...Array(50).keys()]);
    }
  });

  it("a process's messages arrive before the EXIT signal of its own exit", () => {
    const { s } = makeScheduler();
    const got: unknown[] = [];
    const trapper = s.spawn({ handle: (m: unknown, st: unknown) => (got.push(m), st) }, [], { trapExit: true });
    s.spawn(function* (ctx: Context, to: Pid) {
      ctx.link(to);
      for (let i = 0; i < 3; i++) ctx.send(to, i);
      throw new Error('end');
    }, [trapper]);
    s.runUntilIdle();
    expect(got.slice(0, 3)).toEqual([0, 1, 2]);
    expect(got[3]).toMatchObject({ type: 'EXIT', reason: { kind: 'error', message: 'end' } });
  });
});
