/**
 * The cluster lock: one resource held on every node a transaction involves (Erlang's
 * global:set_lock / del_lock, as global:trans uses them), taken by the registrar.
 *
 * Protocol (`yield* takeLock(ctx, server, nodes, names)`):
 *   1. Ask every node's global name server, in parallel, `set_lock(resource, holder = the
 *      registrar's pid, names)` (multi-call.ts; the local server by pid, the others by
 *      `{ name: 'global_name_server', node }`). A server that grants it also answers who
 *      owns each of `names` in its table, so the transaction learns from every locked
 *      node, in the same round trip, whether a name is taken anywhere (not only in the
 *      registrar's own copy: a node that sees both sides of an overlapping partition
 *      cannot hand out a name twice).
 *   2. Every node granted it: held, with the owners.
 *   3. Any refusal, DOWN or timeout: release it on every node asked (a `del_lock` message
 *      each; releasing what was not granted is a no-op) and answer not held, naming the
 *      nodes that answered with a DOWN (no server there, or gone). The caller sleeps
 *      `backoffMs(attempt)` — random, doubling, capped — and tries again, so two registrars
 *      that collided do not collide again in step.
 * A server frees a holder's locks when the holder dies or its node goes down (it monitors
 * the holder, lock-table.ts), so a crashed transaction never blocks the cluster.
 * Release (`releaseLock`) needs no answer: per-pair order delivers it before this
 * registrar's next request to the same server.
 */
import type { Context, ReceiveRequest } from '../../core/context.ts';
import type { Pid } from '../../core/pid.ts';
import type { RemoteName } from '../../core/types.ts';
import { multiCall } from './multi-call.ts';
import { kGlobalLock, kServerName, type ServerCall, type ServerInfo } from './protocol.ts';

/** How long a node may take to answer one step of a transaction. */
export const kStepTimeoutMs = 5000;
const kBackoffBaseMs = 2;
const kBackoffMaxMs = 256;

/** The global name server of `node`, seen from the registrar of node `self`. */
export function serverOf(self: string, server: Pid, node: string): Pid | RemoteName {
  return node === self ? server : { name: kServerName, node };
}

/**
 * How taking the lock went: held, with the owner of each asked name as any locked node
 * knows it (the first owner found; null: free on every node); or not held, naming the nodes
 * that answered with a DOWN (no server there, or gone) rather than a refusal or silence.
 */
export type LockResult =
  | { readonly held: true; readonly owners: readonly (Pid | null)[] }
  | { readonly held: false; readonly gone: readonly string[] };

/** What a server answers a set_lock with. */
export interface LockAnswer {
  readonly granted: boolean;
  /** When granted: the owner of each name of the request in that server's table. */
  readonly owners: readonly (Pid | null)[];
}

export function* takeLock(ctx: Context, server: Pid, nodes: readonly string[], names: readonly string[] = []): Generator<ReceiveRequest, LockResult, any> {
  const self = ctx.nodeName;
  const req: ServerCall = { op: 'set_lock', resource: kGlobalLock, holder: ctx.self, names };
  const answers = yield* multiCall(ctx, nodes.map((n) => serverOf(self, server, n)), req, kStepTimeoutMs);
  if (answers.every((a) => a.ok && (a.value as LockAnswer).granted)) {
    const owners = names.map((_, i) => {
      for (const a of answers) {
        const o = (a as { value: LockAnswer }).value.owners[i];
        if (o !== null && o !== undefined) return o;
      }
      return null;
    });
    return { held: true, owners };
  }
  releaseLock(ctx, server, nodes);
  const gone = nodes.filter((_, i) => {
    const a = answers[i]!;
    return !a.ok && a.reason !== 'timeout';
  });
  return { held: false, gone };
}

export function releaseLock(ctx: Context, server: Pid, nodes: readonly string[]): void {
  const self = ctx.nodeName;
  const msg: ServerInfo = { type: '$global', op: 'del_lock', resource: kGlobalLock, holder: ctx.self };
  for (const n of nodes) ctx.send(serverOf(self, server, n), msg);
}

/** Random backoff before attempt `attempt + 1`: uniform in [1, min(cap, base * 2^attempt)] ms. */
export function backoffMs(attempt: number): number {
  const top = Math.min(kBackoffMaxMs, kBackoffBaseMs * 2 ** Math.min(attempt, 16));
  return 1 + Math.floor(Math.random() * top);
}
