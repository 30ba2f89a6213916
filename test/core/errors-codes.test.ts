import { describe, expect, it } from 'vitest';
import {
  BadArgError, CallExitError, CallTimeoutError, InvalidOptionError, NameTakenError, NoProcError, NotInActorError,
  NotRegisteredError, NotRunningError, SwitchboardError, UndefinedBehaviourError, UnsendableError,
} from '../../src/core/errors.ts';
import { Pid } from '../../src/core/pid.ts';

describe('errors: one base class with stable codes', () => {
  const cases: Array<[SwitchboardError, string, string]> = [
    [new NoProcError(new Pid(0, 1, 0)), 'ERR_SB_NOPROC', 'NoProcError'],
    [new BadArgError('x'), 'ERR_SB_BADARG', 'BadArgError'],
    [new InvalidOptionError('budget', 'bad'), 'ERR_SB_INVALID_OPTION', 'InvalidOptionError'],
    [new CallTimeoutError(5), 'ERR_SB_CALL_TIMEOUT', 'CallTimeoutError'],
    [new CallExitError('boom'), 'ERR_SB_CALL_EXIT', 'CallExitError'],
    [new NameTakenError('n'), 'ERR_SB_NAME_TAKEN', 'NameTakenError'],
    [new NotRegisteredError('n'), 'ERR_SB_NOT_REGISTERED', 'NotRegisteredError'],
    [new UnsendableError('msg.a', 'a function'), 'ERR_SB_UNSENDABLE', 'UnsendableError'],
    [new UndefinedBehaviourError('x'), 'ERR_SB_UNDEF', 'UndefinedBehaviourError'],
    [new NotRunningError(), 'ERR_SB_NOT_RUNNING', 'NotRunningError'],
    [new NotInActorError('send'), 'ERR_SB_NOT_IN_ACTOR', 'NotInActorError'],
  ];

  it.each(cases)('%s has its code and name, and is a SwitchboardError and an Error', (err, code, name) => {
    expect(err).toBeInstanceOf(SwitchboardError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe(code);
    expect(err.name).toBe(name);
    expect(typeof err.message).toBe('string');
  });

  it('the codes are all distinct', () => {
    expect(new Set(cases.map(([, c]) => c)).size).toBe(cases.length);
  });

  it('subclasses carry their details', () => {
    expect(new InvalidOptionError('budget', 'bad').option).toBe('budget');
    expect(new UnsendableError('msg.f', 'a function').path).toBe('msg.f');
    expect(new UnsendableError('msg.f', 'a function').message).toBe('cannot send a function at msg.f');
    expect(new CallExitError({ kind: 'error' }).message).toContain('error');
    expect(new NotInActorError('send').message).toContain('ctx.send()');
  });
});
