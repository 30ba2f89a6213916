/**
 * ScopeTable: the members of every group of one pg scope, as one scope server sees them —
 * what Erlang's pg keeps in the scope's ETS table (`{Group, AllPids, LocalPids}` rows).
 *
 * Written only by the scope server (scope-server.ts); read by it (for calls from other
 * threads and the embedding thread) and, directly without a message, by actors running on
 * the server's own scheduler (pg.ts looks the table up with `tableOnThisScheduler`).
 *
 * Rules:
 *   1. A group is a row { all, local }: `all` holds every member the server knows (local
 *      and remote), `local` the members that live on this node. Both are multisets: a pid
 *      that joined twice appears twice, and one leave removes one occurrence (as pg: each
 *      join counts).
 *   2. A row whose `all` becomes empty is deleted: an empty group and an unknown group are
 *      the same thing (as pg), so `whichGroups` lists only groups with members.
 *   3. Readers get copies; the arrays of a row are never handed out.
 *
 * Pids are compared by value (pidEquals): remote pids are decoded objects, and the same
 * process may arrive in two messages as two Pid objects.
 */
import type { Context } from '../../core/context.ts';
import { pidEquals, type Pid } from '../../core/pid.ts';

interface GroupRow {
  all: Pid[];
  local: Pid[];
}

/** Remove one occurrence of each of `pids` from `list` (in place). Returns how many went. */
function removeOnce(list: Pid[], pids: readonly Pid[]): number {
  let removed = 0;
  for (const p of pids) {
    const i = list.findIndex((q) => pidEquals(q, p));
    if (i >= 0) {
      list.splice(i, 1);
      removed++;
    }
  }
  return removed;
}

/** `list` without one occurrence of each of `pids` (a multiset difference), as a new array. */
export function withoutOnce(list: readonly Pid[], pids: readonly Pid[]): Pid[] {
  const out = list.slice();
  removeOnce(out, pids);
  return out;
}

/** The read side of a ScopeTable (what `Pg.view` hands out). */
export interface ScopeView {
  members(group: string): Pid[];
  localMembers(group: string): Pid[];
  whichGroups(): string[];
  whichLocalGroups(): string[];
}

export class ScopeTable implements ScopeView {
  private readonly rows = new Map<string, GroupRow>();
  /** The scope server that writes this table (pg.ts checks it is still the registered one). */
  readonly server: Pid;
  constructor(server: Pid) {
    this.server = server;
  }

  members(group: string): Pid[] {
    const r = this.rows.get(group);
    return r === undefined ? [] : r.all.slice();
  }

  localMembers(group: string): Pid[] {
    const r = this.rows.get(group);
    return r === undefined ? [] : r.local.slice();
  }

  /** Groups with at least one member anywhere. */
  whichGroups(): string[] {
    return [...this.rows.keys()];
  }

  /** Groups with at least one member on this node. */
  whichLocalGroups(): string[] {
    const out: string[] = [];
    for (const [g, r] of this.rows) if (r.local.length > 0) out.push(g);
    return out;
  }

  /** Every group with its members: what monitorScope answers. */
  snapshot(): Map<string, Pid[]> {
    const out = new Map<string, Pid[]>();
    for (const [g, r] of this.rows) out.set(g, r.all.slice());
    return out;
  }

  add(group: string, pids: readonly Pid[], local: boolean): void {
    let r = this.rows.get(group);
    if (r === undefined) {
      r = { all: [], local: [] };
      this.rows.set(group, r);
    }
    r.all.push(...pids);
    if (local) r.local.push(...pids);
  }

  /** Remove one occurrence of each pid (local: from both lists); returns how many were there. */
  remove(group: string, pids: readonly Pid[], local: boolean): number {
    const r = this.rows.get(group);
    if (r === undefined) return 0;
    const n = removeOnce(r.all, pids);
    if (local) removeOnce(r.local, pids);
    if (r.all.length === 0) this.rows.delete(group);
    return n;
  }
}

/**
 * The tables of the scope servers running on this thread, by the Context of their
 * scheduler (one Context per scheduler, shared by its actors), then by scope. Module
 * state: each thread has its own, as each thread imports this module once.
 */
const tablesByScheduler = new WeakMap<Context, Map<string, ScopeTable>>();

export function publishTable(ctx: Context, scope: string, table: ScopeTable): void {
  let m = tablesByScheduler.get(ctx);
  if (m === undefined) {
    m = new Map();
    tablesByScheduler.set(ctx, m);
  }
  m.set(scope, table);
}

export function withdrawTable(ctx: Context, scope: string, table: ScopeTable): void {
  const m = tablesByScheduler.get(ctx);
  if (m !== undefined && m.get(scope) === table) m.delete(scope);
}

/**
 * The table of `scope` if its server runs on the scheduler of `ctx` and is the process
 * registered under the scope's name right now (a killed server leaves its table behind:
 * it is ignored once the name is gone or taken by a new server).
 */
export function tableOnThisScheduler(ctx: Context, scope: string, registered: Pid | undefined): ScopeTable | undefined {
  if (registered === undefined) return undefined;
  const t = tablesByScheduler.get(ctx)?.get(scope);
  return t !== undefined && pidEquals(t.server, registered) ? t : undefined;
}
