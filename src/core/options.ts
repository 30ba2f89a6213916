/**
 * Option validation: the one way every API checks an options object.
 *
 * Messages, always prefixed with the API that was called:
 *   `<api>: options must be an object`
 *   `<api>: unknown option "<name>"`
 *   `<api>: option "<name>" <requirement>`      e.g. `startNode: option "schedulers" must be ...`
 * and the error is always InvalidOptionError with `option` naming the key ('options' for
 * the object itself). An option set to `undefined` means its default.
 */
import { InvalidOptionError } from './errors.ts';

/** A check returns null when the value is fine, else the requirement ("must be ..."). */
export type OptionCheck = (v: unknown) => string | null;
export type OptionChecks = Readonly<Record<string, OptionCheck>>;

/**
 * Check `opts` against `checks` (unknown keys are refused). `undefined` passes (no
 * options). Returns nothing: callers merge defaults themselves.
 */
export function checkOptions(api: string, checks: OptionChecks, opts: unknown): void {
  if (opts === undefined) return;
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new InvalidOptionError('options', `${api}: options must be an object`);
  }
  for (const k of Object.keys(opts)) {
    const check = Object.hasOwn(checks, k) ? checks[k] : undefined;
    if (check === undefined) throw new InvalidOptionError(k, `${api}: unknown option "${k}"`);
    const v = (opts as Record<string, unknown>)[k];
    if (v === undefined) continue;
    const err = check(v);
    if (err !== null) throw new InvalidOptionError(k, `${api}: option "${k}" ${err}`);
  }
}

/** Common requirements, worded once. */
export const isInteger = (v: unknown): v is number => Number.isInteger(v);
export const mustBeBoolean: OptionCheck = (v) => (typeof v === 'boolean' ? null : 'must be a boolean');
export const mustBeFunction: OptionCheck = (v) => (typeof v === 'function' ? null : 'must be a function');
export const mustBeNonNegativeInteger: OptionCheck = (v) => (isInteger(v) && v >= 0 ? null : 'must be a non-negative integer');
export const mustBePositiveInteger: OptionCheck = (v) => (isInteger(v) && v >= 1 ? null : 'must be a positive integer');
/** A timeout: positive milliseconds, or Infinity for none. */
export const mustBeTimeout: OptionCheck = (v) =>
  v === Infinity || (typeof v === 'number' && v > 0 && Number.isFinite(v)) ? null : 'must be a positive number of milliseconds or Infinity';
