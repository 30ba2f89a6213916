import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { makeScheduler, spawnRecorder } from './helpers.ts';

describe('send: messages are copied', () => {
  it('the receiver gets a copy: mutating the original after sending changes nothing it sees', () => {
    const { s } = makeScheduler();
    const { pid, log } = spawnRecorder(s);
    const msg = { list: [1, 2], inner: { n: 1 }, map: new Map([['k', { v: 1 }]]), set: new Set([1]) };
    s.send(pid, msg);
    msg.list.push(3);
    msg.inner.n = 99;
    msg.map.get('k')!.v = 99;
    msg.set.add(2);
    s.runUntilIdle();
    const got = log[0] as typeof msg;
    expect(got).not.toBe(msg);
    expect(got.list).toEqual([1, 2]);
    expect(got.inner.n).toBe(1);
    expect(got.map.get('k')).toEqual({ v: 1 });
    expect([...got.set]).toEqual([1]);
  });

  it('an actor sending its own state cannot have it changed by the receiver', () => {
    const { s } = makeScheduler();
    const observed: number[] = [];
    const mutator = s.spawn({
      handle(m: { n: number }, st: unknown) {
        m.n = 1000; // the receiver scribbles on its copy
        return st;
      },
    });
    const owner = s.spawn({
      init: () => ({ n: 1 }),
      handle(_m: unknown, st: { n: number }, ctx: Context) {
        ctx.send(mutator, st);
        observed.push(st.n);
        return st;
      },
    });
    s.send(owner, 'go');
    s.runUntilIdle();
    s.send(owner, 'again');
    s.runUntilIdle();
    expect(observed).toEqual([1, 1]);
  });

  it('copies dates, typed arrays, errors and null-prototype objects by value', () => {
    const { s } = makeScheduler();
    const { pid, log } = spawnRecorder(s);
    const bytes = new Uint8Array([1, 2, 3]);
    const date = new Date(1000);
    const bare = Object.create(null) as Record<string, number>;
    bare.x = 1;
    const err = new TypeError('bad');
    s.send(pid, [bytes, date, bare, err]);
    bytes[0] = 9;
    date.setTime(5);
    s.runUntilIdle();
    const [b, d, o, e] = log[0] as [Uint8Array, Date, Record<string, number>, Error];
    expect([...b]).toEqual([1, 2, 3]);
    expect(d.getTime()).toBe(1000);
    expect(Object.getPrototypeOf(o)).toBe(null);
    expect(o.x).toBe(1);
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBe(err);
    expect([e.name, e.message]).toEqual(['TypeError', 'bad']);
  });
});
