/**
 * The options of `Delivery.send` / `Delivery.deliver`, and the target list they make.
 *
 *   retries    resends to one target after its first attempt (default 2: 3 attempts)
 *   timeoutMs  how long each attempt waits for the ack (default 1000; Infinity: wait for
 *              the ack or the target's DOWN)
 *   fallback   the targets to try next, in order, once a target's attempts are used up or
 *              it went DOWN: pids, names, `{ name, node }`, `{ global }`, or `{ node }` —
 *              the first target's registered name on that node ("the login service on
 *              another node")
 *   key        the receiver's idempotency key (default: the delivery's unique id)
 *
 * Erlang mapping: the retry count, `after` timeout and node list an Erlang caller would pass
 * its own resend loop; `{ node }` is `{Name, Node}` for the next node of that list.
 *
 * Checked with core/options.ts (InvalidOptionError, `Delivery.send: option "x" ...`); a
 * target that is none of the above is a BadArgError naming it.
 */
import { BadArgError, InvalidOptionError } from '../../core/errors.ts';
import { checkOptions, mustBeNonNegativeInteger, mustBeTimeout, type OptionChecks } from '../../core/options.ts';
import { Pid } from '../../core/pid.ts';
import { isRemoteName } from '../../core/remote-name.ts';
import { describeGlobalName, isGlobalName } from '../../core/global-name.ts';
import type { DeliveryTarget } from './delivery-messages.ts';

/** A fallback entry: a target, or `{ node }` for the first target's name on that node. */
export type FallbackTarget = DeliveryTarget | { readonly node: string };

export interface DeliveryOptions {
  readonly retries?: number;
  readonly timeoutMs?: number;
  readonly fallback?: readonly FallbackTarget[];
  readonly key?: string;
}

export const kDefaultRetries = 2;
export const kDefaultAttemptTimeoutMs = 1000;

const checks: OptionChecks = {
  retries: mustBeNonNegativeInteger,
  timeoutMs: mustBeTimeout,
  fallback: (v) => (Array.isArray(v) ? null : 'must be an array of targets (pids, names, { name, node }, { global } or { node })'),
  key: (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a non-empty string'),
};

function isTarget(t: unknown): t is DeliveryTarget {
  return t instanceof Pid || (typeof t === 'string' && t.length > 0) || isRemoteName(t) || isGlobalName(t);
}

function isNodeOnly(t: unknown): t is { node: string } {
  return typeof t === 'object' && t !== null && !(t instanceof Pid) && typeof (t as { node?: unknown }).node === 'string' && !('name' in t) && !('global' in t);
}

/** A target in words, for reports and error messages. */
export function describeTarget(t: DeliveryTarget): string {
  if (t instanceof Pid) return t.toString();
  if (typeof t === 'string') return t;
  if (isGlobalName(t)) return describeGlobalName(t);
  return `${t.name} on ${t.node}`;
}

/** A stable string per target (the courier's table of monitored targets). */
export function targetKey(t: DeliveryTarget): string {
  if (t instanceof Pid) return `p:${t.toString()}`;
  if (typeof t === 'string') return `n:${t}`;
  if (isGlobalName(t)) return `g:${t.global}`;
  return `r:${t.name}@@${t.node}`;
}

export interface ResolvedDelivery {
  readonly targets: readonly DeliveryTarget[];
  readonly retries: number;
  readonly timeoutMs: number;
  readonly key: string | undefined;
}

/** Check `target` and `opts` for `api`, and make the target list (first target, then the fallbacks). */
export function resolveDelivery(api: string, target: unknown, opts: unknown): ResolvedDelivery {
  checkOptions(api, checks, opts);
  const o = (opts ?? {}) as DeliveryOptions;
  if (!isTarget(target)) {
    throw new BadArgError(`${api}: target must be a pid, a registered name, { name, node } or { global: name }, got ${String(target)}`);
  }
  const targets: DeliveryTarget[] = [target];
  for (const f of o.fallback ?? []) {
    if (isTarget(f)) targets.push(f);
    else if (isNodeOnly(f)) {
      const name = typeof target === 'string' ? target : isRemoteName(target) ? target.name : null;
      if (name === null) {
        throw new InvalidOptionError('fallback', `${api}: option "fallback" may hold { node } only when the target is a registered name or { name, node }`);
      }
      targets.push({ name, node: f.node });
    } else {
      throw new InvalidOptionError('fallback', `${api}: option "fallback" must be an array of targets (pids, names, { name, node }, { global } or { node })`);
    }
  }
  return { targets, retries: o.retries ?? kDefaultRetries, timeoutMs: o.timeoutMs ?? kDefaultAttemptTimeoutMs, key: o.key };
}
