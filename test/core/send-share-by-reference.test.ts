import { describe, expect, it } from 'vitest';
import { share } from '../../src/core/copy.ts';
import { UnsendableError } from '../../src/core/errors.ts';
import { makeScheduler, spawnRecorder } from './helpers.ts';

describe('send: shared values', () => {
  it('share() deep-freezes a value and later sends pass it by reference', () => {
    const { s } = makeScheduler();
    const { pid, log } = spawnRecorder(s);
    const big = share({ table: [{ a: 1 }, { a: 2 }], meta: new Map([['k', [1]]]) });
    expect(Object.isFrozen(big)).toBe(true);
    expect(Object.isFrozen(big.table[1])).toBe(true);
    expect(Object.isFrozen(big.meta.get('k'))).toBe(true);
    s.send(pid, big);
    s.send(pid, { wrapped: big });
    s.runUntilIdle();
    expect(log[0]).toBe(big);
    expect((log[1] as { wrapped: unknown }).wrapped).toBe(big);
  });

  it('a merely frozen (not shared) value is still copied', () => {
    const { s } = makeScheduler();
    const { pid, log } = spawnRecorder(s);
    const frozen = Object.freeze({ a: 1 });
    s.send(pid, frozen);
    s.runUntilIdle();
    expect(log[0]).toEqual({ a: 1 });
    expect(log[0]).not.toBe(frozen);
  });

  it('share() refuses what cannot be sent', () => {
    expect(() => share({ f: () => 1 })).toThrow(UnsendableError);
    expect(() => share({ s: Symbol('x') })).toThrow(UnsendableError);
  });

  it('share() refuses a cyclic value with UnsendableError naming the path', () => {
    const a: Record<string, unknown> = {};
    a.child = { parent: a };
    let caught: unknown;
    try {
      share(a);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UnsendableError);
    expect((caught as UnsendableError).path).toBe('value.child.parent');
  });

  it('a value referenced twice (a DAG, not a cycle) can be shared', () => {
    const leaf = { n: 1 };
    const v = share({ a: leaf, b: leaf, list: [leaf, leaf] });
    expect(Object.isFrozen(v.a)).toBe(true);
  });
});
