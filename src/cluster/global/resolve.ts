/**
 * Resolve methods: how a name held by two different pids when two partitions merge is
 * settled, once, by the registrar of the node that drives the merge (registrar.ts).
 *
 *   'random_exit' (default)  keep one, exit the other with `{ kind: 'global_name_conflict',
 *                 name }`. Erlang's random_exit_name picks at random and kills; here the
 *                 choice is deterministic (the pid whose node name sorts first, then the
 *                 lower id and serial), so a test and an operator can predict it, and the
 *                 reason is tagged data instead of `kill` (a process trapping exits gets an
 *                 EXIT message and keeps running, without the name).
 *   'notify_all'  unregister the name; both owners get `{ type: 'global_name_conflict',
 *                 name, other }` (Erlang's notify_all_name).
 *   { module, export }  a user function `(name, pid1, pid2, ctx) => pid1 | pid2 | 'none'`,
 *                 imported on the resolving node's thread (the first use waits for the
 *                 import in short sleeps, as Task does). It runs inside the registrar: `ctx`
 *                 may send and exit; it must not keep it. pid1 is the owner on the resolving
 *                 node's side, pid2 the other side's. Anything but pid1 or pid2 (a throw,
 *                 'none', another value) unregisters the name, as in Erlang.
 * The method used is the one the resolving side's owner was registered with.
 */
import type { Context, ReceiveRequest } from '../../core/context.ts';
import { BadArgError } from '../../core/errors.ts';
import { Pid } from '../../core/pid.ts';
import { nodeNameOf } from './name-table.ts';
import type { NameConflictMessage, NameConflictReason, ResolveFunctionRef, ResolveMethod } from './protocol.ts';

/** What a user resolve function is. */
export type ResolveFunction = (name: string, pid1: Pid, pid2: Pid, ctx: Context) => Pid | 'none' | undefined;

const loaded = new Map<string, ResolveFunction>();

/** Check a resolve method given to register (BadArgError naming what is wrong). */
export function checkResolveMethod(api: string, m: unknown): ResolveMethod {
  if (m === undefined) return 'random_exit';
  if (m === 'random_exit' || m === 'notify_all') return m;
  if (typeof m === 'object' && m !== null && typeof (m as ResolveFunctionRef).module === 'string' && typeof (m as ResolveFunctionRef).export === 'string') {
    const r = m as ResolveFunctionRef;
    return { module: r.module, export: r.export };
  }
  throw new BadArgError(`${api}: resolve must be 'random_exit', 'notify_all' or { module, export } naming an exported function`);
}

/** The total order 'random_exit' keeps the first of: node name, then id, then serial. */
export function comparePids(a: Pid, b: Pid): number {
  const na = nodeNameOf(a);
  const nb = nodeNameOf(b);
  if (na !== nb) return na < nb ? -1 : 1;
  return a.id - b.id || a.serial - b.serial;
}

/** Settle one clash: the pid that keeps the name, or null (unregistered). */
export function* resolveClash(ctx: Context, name: string, method: ResolveMethod, pid1: Pid, pid2: Pid): Generator<ReceiveRequest, Pid | null, any> {
  if (method === 'random_exit') {
    const [keep, lose] = comparePids(pid1, pid2) <= 0 ? [pid1, pid2] : [pid2, pid1];
    ctx.exit(lose, { kind: 'global_name_conflict', name } satisfies NameConflictReason);
    return keep;
  }
  if (method === 'notify_all') {
    ctx.send(pid1, { type: 'global_name_conflict', name, other: pid2 } satisfies NameConflictMessage);
    ctx.send(pid2, { type: 'global_name_conflict', name, other: pid1 } satisfies NameConflictMessage);
    return null;
  }
  const fn = yield* loadResolveFunction(ctx, method);
  if (fn === null) return null;
  let r: unknown;
  try {
    r = fn(name, pid1, pid2, ctx);
  } catch {
    return null;
  }
  if (r instanceof Pid && (r.equals(pid1) || r.equals(pid2))) return r;
  return null;
}

function* loadResolveFunction(ctx: Context, ref: ResolveFunctionRef): Generator<ReceiveRequest, ResolveFunction | null, any> {
  const key = `${ref.module}#${ref.export}`;
  const hit = loaded.get(key);
  if (hit !== undefined) return hit;
  let done = false;
  let fn: ResolveFunction | null = null;
  import(ref.module).then(
    (ns: Record<string, unknown>) => {
      const v = ns[ref.export];
      if (typeof v === 'function') {
        fn = v as ResolveFunction;
        loaded.set(key, fn);
      }
      done = true;
    },
    () => {
      done = true;
    },
  );
  // The import completes on the event loop: wait for it in short sleeps (first use only).
  while (!done) yield ctx.sleep(1);
  return fn;
}
