import { describe, expect, it } from 'vitest';
import { registerClass } from '../../src/core/class-registry.ts';
import { makeScheduler, spawnRecorder } from './helpers.ts';

class Vec {
  constructor(public x: number, public tags: string[]) {}
  len(): number {
    return Math.abs(this.x);
  }
}
registerClass(Vec);

describe('send: registered classes', () => {
  it('copies an instance field by field onto the same prototype', () => {
    const { s } = makeScheduler();
    const { pid, log } = spawnRecorder(s);
    const v = new Vec(-3, ['a']);
    s.send(pid, { v });
    v.tags.push('b');
    s.runUntilIdle();
    const got = (log[0] as { v: Vec }).v;
    expect(got).toBeInstanceOf(Vec);
    expect(got).not.toBe(v);
    expect(got.len()).toBe(3);
    expect(got.tags).toEqual(['a']);
  });
});
