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

describe('errors: invalid options name the option, with the one message style', () => {
  it.each([
    ['budget', 0, 'new Scheduler: option "budget" must be an integer from 1 to 1e9'],
    ['budget', 1.5, 'new Scheduler: option "budget" must be an integer from 1 to 1e9'],
    ['maxReductionsPerMessage', -1, 'new Scheduler: option "maxReductionsPerMessage" must be a positive integer'],
    ['maxHeapSize', -5, 'new Scheduler: option "maxHeapSize" must be a non-negative integer (bytes; 0 = none)'],
    ['maxBusyMs', 0, 'new Scheduler: option "maxBusyMs" must be a number of milliseconds in (0, 1000]'],
    ['clock', 'now', 'new Scheduler: option "clock" must be a function returning milliseconds'],
    ['index', -1, 'new Scheduler: option "index" must be a non-negative integer'],
    ['stride', 0, 'new Scheduler: option "stride" must be a positive integer'],
    ['bogus', 1, 'new Scheduler: unknown option "bogus"'],
  ])('scheduler option %s = %s', (key, value, message) => {
    const e = optionError(() => new Scheduler({ [key]: value } as never));
    expect(e.option).toBe(key);
    expect(e.message).toBe(message);
  });

  it('an option given as undefined means the default', () => {
    const s = new Scheduler({ budget: undefined, clock: undefined } as never);
    expect(s.options.budget).toBe(4000);
  });

  it('scheduler options must be an object', () => {
    const e = optionError(() => new Scheduler(5 as never));
    expect(e.option).toBe('options');
    expect(e.message).toBe('new Scheduler: options must be an object');
  });

  it.each([
    ['priority', 'urgent', `spawn: option "priority" must be 'high', 'normal' or 'low'`],
    ['maxMailbox', 0, 'spawn: option "maxMailbox" must be a positive integer (messages)'],
    ['mailboxPolicy', 'drop-oldest', `spawn: option "mailboxPolicy" must be 'drop-newest' or 'kill'`],
    ['maxHeapSize', 1.5, 'spawn: option "maxHeapSize" must be a non-negative integer (bytes)'],
    ['link', 'yes', 'spawn: option "link" must be a boolean'],
    ['trapExit', 1, 'spawn: option "trapExit" must be a boolean'],
    ['name', '', 'spawn: option "name" must be a non-empty string'],
    ['frobnicate', true, 'spawn: unknown option "frobnicate"'],
  ])('spawn option %s = %s', (key, value, message) => {
    const { s } = makeScheduler();
    const e = optionError(() => s.spawn(Idle, [], { [key]: value } as never));
    expect(e.option).toBe(key);
    expect(e.message).toBe(message);
    expect(s.size).toBe(0);
  });

  it('spawn options must be an object', () => {
    const { s } = makeScheduler();
    const e = optionError(() => s.spawn(Idle, [], 7 as never));
    expect(e.option).toBe('options');
    expect(e.message).toBe('spawn: options must be an object');
  });
});
