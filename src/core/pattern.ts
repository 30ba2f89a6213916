/**
 * Receive patterns: what a process-style actor's `ctx.receive(pattern)` selects.
 *
 * A pattern is either
 *   - a predicate `(msg) => value`: it matches when the value is truthy, as a callback of
 *     `Array.prototype.filter` does (`m => m.n` matches every message whose `n` is not
 *     0, '', null, undefined, NaN or false), or
 *   - a value matched structurally: primitives by `===` (NaN matches NaN), pids and refs
 *     by value, arrays element by element with the same length, plain objects key by key
 *     (keys absent from the pattern are ignored: a partial match, like a map pattern in
 *     Erlang), `ANY` matching anything present, and a function inside a pattern acting
 *     as a guard on that position (truthy = matches, like the predicate).
 *
 * The `Pattern` type says the same thing to TypeScript, so a value that is not a pattern
 * (a Map, a Date, a class instance other than Pid/Ref, a symbol other than ANY, a function
 * taking two arguments, an `unknown`) is a compile error instead of a receive that never,
 * or always, matches.
 */
import { Pid, Ref } from './pid.ts';

/** Matches any value (the `_` of an Erlang pattern), but the key must exist. */
export const ANY: unique symbol = Symbol.for('switchboard.any');

/** A predicate or a guard: matches when it returns a truthy value. */
export type Guard = (value: any) => unknown;

/** What matches by `===` (NaN matches NaN). */
export type PatternPrimitive = string | number | boolean | bigint | null | undefined;

/** A plain object matched key by key (the pattern's keys only). */
export interface PatternObject {
  readonly [key: string]: PatternValue;
}

/** One position of a structural pattern. */
export type PatternValue = PatternPrimitive | typeof ANY | Pid | Ref | Guard | readonly PatternValue[] | PatternObject;

/** What `ctx.receive(pattern)` takes: a predicate or a structural value. */
export type Pattern = Guard | PatternValue;

/**
 * Does `msg` match `pattern`? Called by the scheduler for every message a receive scans,
 * so it allocates nothing. Takes `unknown` because the scheduler keeps the pattern untyped;
 * the typed entry point is `ctx.receive(pattern: Pattern)`.
 */
export function matches(pattern: unknown, msg: unknown): boolean {
  if (typeof pattern === 'function') return (pattern as Guard)(msg) ? true : false;
  return matchValue(pattern, msg);
}

function matchValue(p: unknown, v: unknown): boolean {
  if (p === ANY) return true;
  if (typeof p === 'function') return (p as Guard)(v) ? true : false;
  if (typeof p !== 'object' || p === null) return p === v || (p !== p && v !== v);
  if (p instanceof Pid || p instanceof Ref) return p.equals(v);
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(p)) {
    if (!Array.isArray(v) || v.length !== p.length) return false;
    for (let i = 0; i < p.length; i++) if (!matchValue(p[i], v[i])) return false;
    return true;
  }
  for (const k of Object.keys(p)) {
    if (!(k in (v as object))) return false;
    if (!matchValue((p as Record<string, unknown>)[k], (v as Record<string, unknown>)[k])) return false;
  }
  return true;
}
