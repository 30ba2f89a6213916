import { describe, expect, it } from 'vitest';
import { BadArgError, NoProcError, SwitchboardError } from '../../src/core/errors.ts';
import { errorClassCode, errorClassPrototype, registerErrorClass } from '../../src/core/error-classes.ts';

class LocalFailure extends SwitchboardError {
  constructor() {
    super('ERR_TEST_LOCAL_FAILURE', 'local failure');
  }
}

/** Throws an error of exactly this class and message. */
const throwsExactly = (fn: () => unknown, err: Error): void => {
  expect(fn).toThrow(err.constructor as new () => Error);
  expect(fn).toThrow(err);
};

describe('error-class table: one class per code', () => {
  it('registers a SwitchboardError subclass under its code, once', () => {
    registerErrorClass('ERR_TEST_LOCAL_FAILURE', LocalFailure);
    registerErrorClass('ERR_TEST_LOCAL_FAILURE', LocalFailure); // the same pair again: a no-op
    expect(errorClassCode(LocalFailure.prototype)).toBe('ERR_TEST_LOCAL_FAILURE');
    expect(errorClassPrototype('ERR_TEST_LOCAL_FAILURE')).toBe(LocalFailure.prototype);
    expect(errorClassCode(NoProcError.prototype)).toBe('ERR_SB_NOPROC');
  });

  it('refuses a second class for a code, a second code for a class, and non-SwitchboardErrors', () => {
    class Impostor extends SwitchboardError {}
    throwsExactly(() => registerErrorClass('ERR_SB_NOPROC', Impostor), new BadArgError('registerErrorClass: code ERR_SB_NOPROC already registered for another class'));
    throwsExactly(() => registerErrorClass('ERR_OTHER', NoProcError), new BadArgError('registerErrorClass: NoProcError already registered with code ERR_SB_NOPROC'));
    throwsExactly(() => registerErrorClass('ERR_X', Error as never), new BadArgError('registerErrorClass: expected a subclass of SwitchboardError'));
    throwsExactly(() => registerErrorClass('', Impostor), new BadArgError('registerErrorClass: the code must be a non-empty string'));
  });
});
