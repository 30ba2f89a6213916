/**
 * Subscriptions: who watches a pg scope (monitorScope) or one group of it (monitor), as
 * the scope server keeps them — Erlang pg's `scope_monitors` and `group_monitors` /
 * `monitored_groups` maps.
 *
 * Protocol (run by scope-server.ts):
 *   1. Subscribe: the server monitors the subscriber; that monitor's ref is also the
 *      subscription ref (as pg's), so the subscriber's DOWN ends its subscriptions and the
 *      server needs no second table to find them.
 *   2. Every membership change of the scope calls `notify(event, group, pids)`: one
 *      `{ type: 'pg', ref, event, group, pids }` to each scope subscriber, and to each
 *      subscriber of that group, in subscription order.
 *   3. Unsubscribe (Pg.demonitor) or the subscriber's DOWN: `remove(ref)`.
 */
import type { Context } from '../../core/context.ts';
import type { Pid, Ref } from '../../core/pid.ts';
import type { PgEvent } from './pg-protocol.ts';

interface Subscriber {
  readonly pid: Pid;
  readonly ref: Ref;
  /** The group watched; null for the whole scope. */
  readonly group: string | null;
}

export class Subscriptions {
  private readonly byRef = new Map<string, Subscriber>();
  private readonly scopeWide = new Map<string, Subscriber>();
  private readonly byGroup = new Map<string, Map<string, Subscriber>>();

  get size(): number {
    return this.byRef.size;
  }

  add(pid: Pid, ref: Ref, group: string | null): void {
    const key = ref.toString();
    const s: Subscriber = { pid, ref, group };
    this.byRef.set(key, s);
    if (group === null) {
      this.scopeWide.set(key, s);
      return;
    }
    let g = this.byGroup.get(group);
    if (g === undefined) {
      g = new Map();
      this.byGroup.set(group, g);
    }
    g.set(key, s);
  }

  /** Forget the subscription of `ref`; false if there is none. */
  remove(ref: Ref): boolean {
    const key = ref.toString();
    const s = this.byRef.get(key);
    if (s === undefined) return false;
    this.byRef.delete(key);
    if (s.group === null) {
      this.scopeWide.delete(key);
    } else {
      const g = this.byGroup.get(s.group)!;
      g.delete(key);
      if (g.size === 0) this.byGroup.delete(s.group);
    }
    return true;
  }

  notify(ctx: Context, event: 'join' | 'leave', group: string, pids: readonly Pid[]): void {
    if (pids.length === 0 || this.byRef.size === 0) return;
    const frozen = Object.freeze(pids.slice());
    for (const s of this.scopeWide.values()) ctx.send(s.pid, eventMsg(s.ref, event, group, frozen));
    const g = this.byGroup.get(group);
    if (g !== undefined) for (const s of g.values()) ctx.send(s.pid, eventMsg(s.ref, event, group, frozen));
  }
}

function eventMsg(ref: Ref, event: 'join' | 'leave', group: string, pids: readonly Pid[]): PgEvent {
  return Object.freeze({ type: 'pg', ref, event, group, pids });
}
