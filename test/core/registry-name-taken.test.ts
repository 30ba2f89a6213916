import { describe, expect, it } from 'vitest';
import { NameTakenError } from '../../src/core/errors.ts';
import { makeScheduler, spawnRecorder } from './helpers.ts';

describe('registry: NameTakenError', () => {
  it('refuses a name that is taken, and a second name for a registered process', () => {
    const { s } = makeScheduler();
    const a = spawnRecorder(s).pid;
    const b = spawnRecorder(s).pid;
    s.register('x', a);
    let caught: unknown;
    try {
      s.register('x', b);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NameTakenError);
    expect((caught as NameTakenError).code).toBe('ERR_SB_NAME_TAKEN');
    expect((caught as NameTakenError).registeredName).toBe('x');
    expect(() => s.register('y', a)).toThrow(NameTakenError);
    expect(s.whereis('x')).toBe(a);
    expect(s.whereis('y')).toBeUndefined();
  });

  it('a spawn with a taken name fails before creating a process', () => {
    const { s } = makeScheduler();
    s.spawn({ handle: (_m: unknown, st: unknown) => st }, [], { name: 'solo' });
    expect(() => s.spawn({ handle: (_m: unknown, st: unknown) => st }, [], { name: 'solo' })).toThrow(NameTakenError);
    expect(s.size).toBe(1);
  });
});
