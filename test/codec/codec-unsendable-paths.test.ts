import { describe, expect, it } from 'vitest';
import { UnsendableError } from '../../src/core/errors.ts';
import { MessageEncoder, encodeMessage } from '../../src/codec/index.ts';

function unsendable(value: unknown, root?: string): UnsendableError {
  try {
    encodeMessage(value, root);
  } catch (e) {
    expect(e).toBeInstanceOf(UnsendableError);
    return e as UnsendableError;
  }
  throw new Error('expected UnsendableError');
}

class Unregistered {
  x = 1;
}

describe('codec: unsendable values raise UnsendableError with the path', () => {
  it('names the path of a function deep inside objects and arrays', () => {
    const err = unsendable({ a: [0, 1, 2, { f: function handler() {} }] });
    expect(err.path).toBe('msg.a[3].f');
    expect(err.code).toBe('ERR_SB_UNSENDABLE');
    expect(err.message).toBe('cannot send a function (handler) at msg.a[3].f');
  });

  it('rejects symbols, and quotes keys that are not identifiers', () => {
    expect(unsendable({ 'odd key': { s: Symbol('tag') } }).path).toBe('msg["odd key"].s');
    expect(unsendable(Symbol.iterator).path).toBe('msg');
  });

  it('rejects instances of unregistered classes and built-ins it cannot copy', () => {
    const err = unsendable({ list: [new Unregistered()] });
    expect(err.path).toBe('msg.list[0]');
    expect(err.message).toMatch(/class Unregistered \(not registered with registerClass\)/);
    expect(unsendable({ p: Promise.resolve(1) }).message).toMatch(/class Promise/);
    expect(unsendable({ w: new WeakMap() }).path).toBe('msg.w');
    expect(unsendable({ s: new SharedArrayBuffer(8) }).message).toMatch(/SharedArrayBuffer/);
    expect(unsendable(Object.create({ inherited: 1 })).message).toMatch(/not registered/);
  });

  it('names map keys, map values, set items, error causes', () => {
    expect(unsendable({ m: new Map([['k', () => 0]]) }).path).toBe('msg.m.get("k")');
    expect(unsendable({ m: new Map<unknown, string>([[1, 'ok'], [() => 0, 'v']]) }).path).toBe('msg.m.keys()[1]');
    expect(unsendable({ s: new Set([1, 2, Symbol()]) }).path).toBe('msg.s.values()[2]');
    expect(unsendable(new Error('x', { cause: { fn: () => 0 } })).path).toBe('msg.cause.fn');
  });

  it('uses the root name the caller gives', () => {
    expect(unsendable([() => 0], 'reply').path).toBe('reply[0]');
  });

  it('leaves the encoder usable after an error', () => {
    const encoder = new MessageEncoder();
    expect(() => encoder.encodeToScratch({ a: { b: [() => 0] } })).toThrow(UnsendableError);
    const target = new Uint8Array(64);
    expect(() => encoder.encodeInto({ a: { b: [() => 0] } }, target)).toThrow(UnsendableError);
    expect(encoder.encodeToScratch({ a: 1 })).toBeGreaterThan(0);
    expect(encoder.encodeInto({ a: 1 }, target)).toBeGreaterThan(0);
  });
});
