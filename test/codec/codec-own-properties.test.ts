import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/codec/index.ts';

const proto = Object.prototype as Record<string, unknown>;

describe('codec: only own enumerable properties are sent', () => {
  afterEach(() => {
    delete proto.polluted;
  });

  it('ignores enumerable properties someone added to Object.prototype', () => {
    const before = decodeMessage(encodeMessage({ a: 1, nested: { b: 2 } }));
    proto.polluted = 'oops';
    const bytes = encodeMessage({ a: 1, nested: { b: 2 } });
    delete proto.polluted;
    expect(decodeMessage(bytes)).toStrictEqual(before);
    expect(Object.keys(decodeMessage(bytes) as object)).toEqual(['a', 'nested']);
  });

  it('skips non-enumerable and symbol-keyed properties, and runs getters once', () => {
    let reads = 0;
    const value = { shown: 1, [Symbol('hidden')]: 2, get computed() { reads++; return 3; } };
    Object.defineProperty(value, 'secret', { value: 4, enumerable: false });
    expect(decodeMessage(encodeMessage(value))).toStrictEqual({ shown: 1, computed: 3 });
    expect(reads).toBe(1);
  });

  it('keeps the key order, integer-like keys first as JavaScript orders them', () => {
    const value = { b: 1, 2: 'two', a: 2, 1: 'one' };
    expect(Object.keys(decodeMessage(encodeMessage(value)) as object)).toEqual(['1', '2', 'b', 'a']);
  });
});
