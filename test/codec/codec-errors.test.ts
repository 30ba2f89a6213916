import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/codec/index.ts';

const roundTrip = <T>(v: T): T => decodeMessage(encodeMessage(v)) as T;

describe('codec: Error objects', () => {
  it('keeps the built-in class, name, message and the original stack', () => {
    for (const err of [new Error('plain'), new TypeError('bad type'), new RangeError('out'), new SyntaxError('syn'), new URIError('u')]) {
      const out = roundTrip(err);
      expect(out.constructor).toBe(err.constructor);
      expect(out.name).toBe(err.name);
      expect(out.message).toBe(err.message);
      expect(out.stack).toBe(err.stack);
      expect(Object.keys(out)).toEqual([]);
      expect(Object.prototype.toString.call(out)).toBe('[object Error]');
    }
  });

  it('keeps cause, AggregateError errors, extra fields and a custom name', () => {
    const inner = new RangeError('inner');
    const err = Object.assign(new Error('outer', { cause: inner }), { code: 'E_X', details: { n: 1 } });
    const out = roundTrip(err);
    expect(out.cause).toBeInstanceOf(RangeError);
    expect((out.cause as Error).message).toBe('inner');
    expect(Object.getOwnPropertyDescriptor(out, 'cause')!.enumerable).toBe(false);
    expect(out.code).toBe('E_X');
    expect(out.details).toEqual({ n: 1 });

    const agg = roundTrip(new AggregateError([new Error('a'), 2], 'many'));
    expect(agg).toBeInstanceOf(AggregateError);
    expect(agg.errors).toHaveLength(2);
    expect(agg.errors[1]).toBe(2);

    const custom = new Error('c');
    custom.name = 'CustomFailure';
    const customOut = roundTrip(custom);
    expect(customOut.name).toBe('CustomFailure');
    expect(customOut).toBeInstanceOf(Error);
  });

  it('sends an unregistered Error subclass as the built-in Error with its name', () => {
    class AppError extends Error {
      override name = 'AppError';
    }
    const out = roundTrip(new AppError('boom'));
    expect(out.constructor).toBe(Error);
    expect(out.name).toBe('AppError');
    expect(out.message).toBe('boom');
  });
});
