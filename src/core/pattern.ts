/**
 * Receive patterns: what a process-style actor's `ctx.receive(pattern)` selects.
 *
 * A pattern is either
 *   - a predicate `(msg) => boolean`, or
 *   - a value matched structurally: primitives by `===` (NaN matches NaN), pids and refs
 *     by value, arrays element by element with the same length, plain objects key by key
 *     (keys absent from the pattern are ignored: a partial match, like a map pattern in
 *     Erlang), `ANY` matching anything present, and a function inside a pattern acting
 *     as a guard on that position.
 */
import { Pid, Ref } from './pid.ts';

/** Matches any value (the `_` of an Erlang pattern), but the key must exist. */
export const ANY: unique symbol = Symbol.for('switchboard.any');

export type Pattern = ((msg: any) => boolean) | unknown;

export function matches(pattern: unknown, msg: unknown): boolean {
  if (typeof pattern === 'function') return (pattern as (m: unknown) => boolean)(msg) === true;
  return matchValue(pattern, msg);
}

function matchValue(p: unknown, v: unknown): boolean {
  if (p === ANY) return true;
  if (typeof p === 'function') return (p as (m: unknown) => boolean)(v) === true;
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
