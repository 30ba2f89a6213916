import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.ts';
import { Scheduler } from '../../src/core/scheduler.ts';
import { makeScheduler } from './helpers.ts';

function optionError(fn: () => unknown): InvalidOptionError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InvalidOptionError);
  return caught as InvalidOptionError;
}

const Idle = { handle: (_m: unknown, st: unknown) => st };

describe('errors: invalid options name the option', () => {
  it.each([
    ['budget', 0],
    ['budget', 1.5],
    ['maxReductionsPerMessage', -1],
    ['maxHeapSize', -5],
    ['maxBusyMs', 0],
    ['clock', 'now'],
    ['index', -1],
    ['stride', 0],
    ['bogus', 1],
  ])('scheduler option %s = %s', (key, value) => {
    const e = optionError(() => new Scheduler({ [key]: value } as never));
    expect(e.option).toBe(key);
    expect(e.message).toContain(key);
  });

  it('an option given as undefined means the default', () => {
    const s = new Scheduler({ budget: undefined, clock: undefined } as never);
    expect(s.options.budget).toBe(4000);
  });

  it('scheduler options must be an object', () => {
    expect(optionError(() => new Scheduler(5 as never)).option).toBe('options');
  });

  it.each([
    ['priority', 'urgent'],
    ['maxMailbox', 0],
    ['mailboxPolicy', 'drop-oldest'],
    ['maxHeapSize', 1.5],
    ['link', 'yes'],
    ['trapExit', 1],
    ['name', ''],
    ['frobnicate', true],
  ])('spawn option %s = %s', (key, value) => {
    const { s } = makeScheduler();
    const e = optionError(() => s.spawn(Idle, [], { [key]: value } as never));
    expect(e.option).toBe(key);
    expect(e.message).toContain(key);
    expect(s.size).toBe(0);
  });
});
