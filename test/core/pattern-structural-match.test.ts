import { describe, expect, it } from 'vitest';
import { ANY, matches } from '../../src/core/pattern.ts';
import { Pid } from '../../src/core/pid.ts';

describe('pattern: structural matching for receive', () => {
  it('matches primitives by ===, with NaN matching NaN', () => {
    expect(matches('a', 'a')).toBe(true);
    expect(matches('a', 'b')).toBe(false);
    expect(matches(1, '1')).toBe(false);
    expect(matches(NaN, NaN)).toBe(true);
    expect(matches(null, undefined)).toBe(false);
  });

  it('matches plain objects partially, key by key; a missing key fails even against ANY', () => {
    expect(matches({ type: 'call' }, { type: 'call', extra: 1 })).toBe(true);
    expect(matches({ type: 'call' }, { type: 'cast' })).toBe(false);
    expect(matches({ type: ANY }, { type: undefined })).toBe(true);
    expect(matches({ type: ANY }, {})).toBe(false);
    expect(matches({ a: { b: 1 } }, { a: { b: 1, c: 2 } })).toBe(true);
    expect(matches({ a: 1 }, 'a')).toBe(false);
  });

  it('matches arrays element by element with the same length', () => {
    expect(matches(['ok', ANY], ['ok', 5])).toBe(true);
    expect(matches(['ok', ANY], ['ok', 5, 6])).toBe(false);
    expect(matches(['ok'], { 0: 'ok', length: 1 })).toBe(false);
  });

  it('matches pids by value and uses functions as guards', () => {
    expect(matches({ from: new Pid(0, 3, 1) }, { from: new Pid(0, 3, 1) })).toBe(true);
    expect(matches({ from: new Pid(0, 3, 1) }, { from: new Pid(0, 3, 2) })).toBe(false);
    expect(matches({ n: (x: number) => x > 2 }, { n: 3 })).toBe(true);
    expect(matches({ n: (x: number) => x > 2 }, { n: 1 })).toBe(false);
    expect(matches((m: unknown) => m === 'top', 'top')).toBe(true);
  });
});
