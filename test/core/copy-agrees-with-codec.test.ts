import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { NoProcError, UnsendableError } from '../../src/core/errors.ts';
import { copyMessage, share } from '../../src/core/copy.ts';
import { Pid } from '../../src/core/pid.ts';
import { kMaxDepth } from '../../src/core/sendable.ts';
import { decodeMessage, encodeMessage, registerClass, unregisterClass } from '../../src/codec/index.ts';

/**
 * The local copy and the codec have one definition of "sendable" (core/sendable.ts).
 * Each case below is a value on which they used to disagree.
 */

function refusal(fn: () => unknown): UnsendableError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UnsendableError);
    return e as UnsendableError;
  }
  throw new Error('expected UnsendableError');
}

/** Both refuse `value` with the same message and path; returns the copy's error. */
function bothRefuse(value: unknown): UnsendableError {
  const byCopy = refusal(() => copyMessage(value));
  const byCodec = refusal(() => encodeMessage(value));
  expect(byCopy.message).toBe(byCodec.message);
  expect(byCopy.path).toBe(byCodec.path);
  return byCopy;
}

/** Both accept `value` and give the same result (same classes, same fields). */
function bothAccept<T>(value: T): T {
  const byCopy = copyMessage(value) as T;
  const byCodec = decodeMessage(encodeMessage(value)) as T;
  expect(byCopy).toStrictEqual(byCodec);
  return byCopy;
}

function nest(depth: number): unknown[] {
  const top: unknown[] = [];
  let a = top;
  for (let i = 1; i < depth; i++) a.push((a = []));
  return top;
}

class Unregistered {
  x = 1;
}

describe('copy and codec agree on what is sendable', () => {
  it('functions and symbols: the same words, with the function name and symbol description', () => {
    expect(bothRefuse({ a: [function handler() {}] }).message).toBe('cannot send a function (handler) at msg.a[0]');
    expect(bothRefuse({ s: Symbol('tag') }).message).toBe('cannot send a symbol (Symbol(tag)) at msg.s');
    expect(bothRefuse(() => 0).path).toBe('msg');
  });

  it('class instances: unregistered ones refused alike; one registerClass makes them sendable for both', () => {
    expect(bothRefuse({ list: [new Unregistered()] }).message).toBe(
      'cannot send an instance of class Unregistered (not registered with registerClass) at msg.list[0]',
    );
    expect(bothRefuse({ p: Promise.resolve(1) }).path).toBe('msg.p');
    expect(bothRefuse({ s: new SharedArrayBuffer(8) }).message).toMatch(/SharedArrayBuffer/);
    registerClass(Unregistered, 'test.agree.Unregistered');
    try {
      expect(bothAccept({ u: new Unregistered() }).u).toBeInstanceOf(Unregistered);
    } finally {
      unregisterClass(Unregistered);
    }
  });

  it('depth: kMaxDepth containers pass, one more is refused with the same path', () => {
    expect(bothAccept(nest(kMaxDepth))).toEqual(nest(kMaxDepth));
    const err = bothRefuse({ deep: nest(kMaxDepth) });
    expect(err.message).toMatch(new RegExp(`^cannot send a value nested deeper than ${kMaxDepth} levels at msg\\.deep(\\[0\\])+$`));
  });

  it('cycles: named where they close and by the ancestor they point back to', () => {
    const root: Record<string, unknown> = { a: { b: [] as unknown[] } };
    (root.a as { b: unknown[] }).b.push(root.a);
    expect(bothRefuse(root).message).toBe('cannot send a cycle (a reference back to msg.a) at msg.a.b[0]');
    const m = new Map<string, unknown>();
    m.set('self', m);
    expect(bothRefuse({ m }).path).toBe('msg.m.get("self")');
  });

  it('Map, Set and Date subclasses are classes like any other (the copy used to take them as built-ins)', () => {
    class Counts extends Map<string, number> {}
    class Stamp extends Date {}
    expect(bothRefuse({ c: new Counts() }).message).toMatch(/class Counts/);
    expect(bothRefuse([new Stamp(0)]).path).toBe('msg[0]');
  });

  it('boxed primitives are sent by both (the copy used to refuse them)', () => {
    const out = bothAccept({ n: Object(1), s: Object('x'), b: Object(true), g: Object(2n) });
    expect(out.n).toBeInstanceOf(Number);
  });

  it('errors keep their class and fields in both (the copy used to make a plain Error)', () => {
    const err = bothAccept(new NoProcError(new Pid(0, 3, 1)));
    expect(err).toBeInstanceOf(NoProcError);
    expect(err.target).toEqual(new Pid(0, 3, 1));
    class AppError extends Error {
      override name = 'AppError';
    }
    const app = bothAccept(new AppError('boom'));
    expect(app.constructor).toBe(Error);
    expect(app.name).toBe('AppError');
    expect(bothAccept(new AggregateError([1], 'many')).errors).toEqual([1]);
  });

  it('null-prototype objects keep their null prototype in both (the codec used to make them plain)', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.a = { b: 1 };
    expect(Object.getPrototypeOf(bothAccept(bare))).toBe(null);
    const own = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const out = bothAccept(own);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
  });

  it('views: only their bytes, as the built-in class, never sharing memory (the copy shared a Buffer\'s)', () => {
    class Bytes extends Uint8Array {}
    const buf = Buffer.from([1, 2, 3]);
    const sab = new DataView(new SharedArrayBuffer(4));
    const out = bothAccept({ buf, sub: new Bytes([4, 5]), sab, slice: new Uint16Array([1, 2, 3, 4]).subarray(1, 3) });
    buf[0] = 9;
    expect([...out.buf]).toEqual([1, 2, 3]);
    expect(out.sub.constructor).toBe(Uint8Array);
    expect(out.sab.buffer).toBeInstanceOf(ArrayBuffer);
    expect(out.slice.buffer.byteLength).toBe(4);
  });

  it('share() refuses what a send refuses, with the same words', () => {
    const byShare = refusal(() => share({ u: new Unregistered() }));
    const byCodec = refusal(() => encodeMessage({ u: new Unregistered() }, 'value'));
    expect(byShare.message).toBe(byCodec.message);
    expect(byShare.path).toBe('value.u');
  });
});
