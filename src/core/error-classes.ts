/**
 * The error-class table: stable error code -> SwitchboardError subclass, and the one way
 * an error is rebuilt on the receiving side (by the decoder of src/codec/ and by the local
 * copy, core/copy.ts), so an error crosses an actor, thread or node boundary as its own
 * class with its own fields (NoProcError.target, CallTimeoutError.timeoutMs, ...).
 *
 * Layers: each errors module registers its own classes (core's are registered below;
 * threads/errors.ts and otp/*-errors.ts call `registerErrorClass`), so core never imports
 * the layers above it. A receiver that does not know a code (a module never loaded there,
 * an older peer) rebuilds a plain Error with the same name, message, stack and fields.
 *
 * Rebuild, in three steps (the decoder reads the fields from the wire between 2 and 3):
 *   1. choose the prototype: a class registered with registerClass, else the class of
 *      the error's code, else the built-in Error class of that name (Error if none);
 *   2. make the shell: `Object.create(proto)` with a hidden `message` (no constructor
 *      runs), or a built-in error made with no stack trace of its own;
 *   3. set the own enumerable fields, then hide `name` (if it differs), `stack`,
 *      `cause` and `errors` as non-enumerable own properties, as Error keeps them.
 */
import {
  BadArgError, CallExitError, CallTimeoutError, InvalidOptionError, NameTakenError, NoProcError, NotInActorError, NotDistributedError,
  NotRegisteredError, NotRunningError, SwitchboardError, UndefinedBehaviourError, UnsendableError,
} from './errors.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ErrorClass = abstract new (...args: any[]) => SwitchboardError;

const protoByCode = new Map<string, object>();
const codeByProto = new Map<object, string>();

/**
 * Make errors of class `ctor` (whose instances have code `code`) cross boundaries as
 * themselves. Registering the same pair twice is a no-op.
 * @throws BadArgError if the code or the class is already registered differently.
 */
export function registerErrorClass(code: string, ctor: ErrorClass): void {
  if (typeof ctor !== 'function' || !(ctor.prototype instanceof SwitchboardError)) {
    throw new BadArgError('registerErrorClass: expected a subclass of SwitchboardError');
  }
  if (typeof code !== 'string' || code === '') throw new BadArgError('registerErrorClass: the code must be a non-empty string');
  const proto = ctor.prototype as object;
  const known = codeByProto.get(proto);
  const other = protoByCode.get(code);
  if (known === code && other === proto) return;
  if (known !== undefined) throw new BadArgError(`registerErrorClass: ${ctor.name} already registered with code ${known}`);
  if (other !== undefined) throw new BadArgError(`registerErrorClass: code ${code} already registered for another class`);
  codeByProto.set(proto, code);
  protoByCode.set(code, proto);
}

/** The code an error class is registered with (by its prototype), if any. */
export function errorClassCode(proto: object): string | undefined {
  return codeByProto.get(proto);
}

/** The prototype of the error class registered for `code`, if any. */
export function errorClassPrototype(code: string): object | undefined {
  return protoByCode.get(code);
}

const kBuiltinErrors: Record<string, ErrorConstructor | AggregateErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
};

/** Step 2 for a class prototype: no constructor runs. */
export function errorShellOf(proto: object, message: unknown): Error {
  const err = Object.create(proto) as Error;
  hideProperty(err, 'message', message);
  return err;
}

/** Step 2 for an error of no known class: the built-in Error class of that name. */
export function builtinErrorShell(name: unknown, message: unknown): Error {
  const ctor = (typeof name === 'string' && Object.hasOwn(kBuiltinErrors, name) && kBuiltinErrors[name]) || Error;
  // No stack trace of our own: the original one replaces it in step 3.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return ctor === AggregateError ? new AggregateError([], String(message)) : new (ctor as ErrorConstructor)(String(message));
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Step 3, after the own enumerable fields are set. */
export function finishError(err: Error, name: unknown, stack: unknown, hasCause: boolean, cause: unknown, hasErrors: boolean, errors: unknown): void {
  // A `name` among the fields (SwitchboardError sets one) stays enumerable, as it was.
  if (name !== err.name) hideProperty(err, 'name', name);
  hideProperty(err, 'stack', stack);
  if (hasCause) hideProperty(err, 'cause', cause);
  if (hasErrors) hideProperty(err, 'errors', errors);
}

/** Define a non-enumerable own property, as Error's own message/stack/cause are. */
export function hideProperty(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: false, configurable: true });
}

registerErrorClass('ERR_SB_NOPROC', NoProcError);
registerErrorClass('ERR_SB_BADARG', BadArgError);
registerErrorClass('ERR_SB_INVALID_OPTION', InvalidOptionError);
registerErrorClass('ERR_SB_CALL_TIMEOUT', CallTimeoutError);
registerErrorClass('ERR_SB_CALL_EXIT', CallExitError);
registerErrorClass('ERR_SB_NAME_TAKEN', NameTakenError);
registerErrorClass('ERR_SB_NOT_REGISTERED', NotRegisteredError);
registerErrorClass('ERR_SB_UNSENDABLE', UnsendableError);
registerErrorClass('ERR_SB_UNDEF', UndefinedBehaviourError);
registerErrorClass('ERR_SB_NOT_RUNNING', NotRunningError);
registerErrorClass('ERR_SB_NOT_IN_ACTOR', NotInActorError);
registerErrorClass('ERR_SB_NOT_DISTRIBUTED', NotDistributedError);
