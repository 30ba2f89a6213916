import { describe, expect, it } from 'vitest';
import { Ref, isRef } from '../../src/core/pid.ts';
import { makeScheduler } from './helpers.ts';

describe('ref: unique references', () => {
  it('makes distinct, printable, value-comparable refs', () => {
    const { s } = makeScheduler();
    const refs = Array.from({ length: 100 }, () => s.makeRef());
    expect(new Set(refs.map(String)).size).toBe(100);
    expect(refs.every(isRef)).toBe(true);
    expect(String(refs[0])).toMatch(/^#Ref<\d+\.\d+\.\d+>$/);
    const copy = new Ref(refs[3].node, refs[3].sched, refs[3].n);
    expect(copy.equals(refs[3])).toBe(true);
    expect(copy.equals(refs[4])).toBe(false);
    expect(Object.isFrozen(refs[0])).toBe(true);
  });
});
