/**
 * LockTable: the locks one global name server grants (its part of the cluster lock).
 *
 *   resource -> { holder pid, monitor ref }
 *
 * Protocol (Erlang's global:set_lock/del_lock as seen by one node's server):
 *   1. set(resource, holder): free -> granted to holder (monitored), true; already held by
 *      the same holder -> true; held by another -> false (the requester backs off).
 *   2. release(resource, holder): freed if held by that holder (else nothing).
 *   3. holderDown(ref): the holder died or its node went down (DOWN of the monitor): every
 *      lock it held is freed, so a crashed registrar never blocks the cluster.
 * A requester takes the cluster lock by holding the resource on every node it knows
 * (cluster-lock.ts); two requesters whose node sets overlap can never both hold it.
 */
import type { Context } from '../../core/context.ts';
import type { Pid, Ref } from '../../core/pid.ts';

interface Held {
  readonly holder: Pid;
  readonly ref: Ref;
}

export class LockTable {
  private readonly held = new Map<string, Held>();
  private readonly byRef = new Map<string, string>();

  set(ctx: Context, resource: string, holder: Pid): boolean {
    const cur = this.held.get(resource);
    if (cur !== undefined) return cur.holder.equals(holder);
    const ref = ctx.monitor(holder);
    this.held.set(resource, { holder, ref });
    this.byRef.set(ref.toString(), resource);
    return true;
  }

  release(ctx: Context, resource: string, holder: Pid): void {
    const cur = this.held.get(resource);
    if (cur === undefined || !cur.holder.equals(holder)) return;
    ctx.demonitor(cur.ref, { flush: true });
    this.byRef.delete(cur.ref.toString());
    this.held.delete(resource);
  }

  /** A DOWN: true if it was a lock holder's (its locks are freed). */
  holderDown(ref: Ref): boolean {
    const resource = this.byRef.get(ref.toString());
    if (resource === undefined) return false;
    this.byRef.delete(ref.toString());
    this.held.delete(resource);
    return true;
  }
}
