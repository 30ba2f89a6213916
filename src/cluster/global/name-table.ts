/**
 * NameTable: one global name server's copy of the cluster's names (the replicated table;
 * every node's server holds one, kept equal by the registrar's writes under the cluster
 * lock and by the merge at nodeup).
 *
 *   names   name -> { pid, method, seq }         what whereis answers
 *   owners  pid  -> { monitor ref, names }       one monitor per owner, however many names
 *   refs    monitor ref -> pid                   to find the owner of a DOWN
 *
 * Protocol (the server calls these while it runs, passing its ctx for the monitors):
 *   1. set(name, pid, method): the name now belongs to pid (an old owner loses it; the
 *      first name of a pid monitors it). Returns the change number `seq`.
 *   2. delete(name): the name is gone (the last name of an owner demonitors it).
 *   3. ownerDown(ref): a monitored owner died: every name it held is gone (returns them).
 *   4. removeNode(node): the node went down: every name owned by a pid of it is gone.
 *   5. ownerUnreachable(ref) / remonitor(pid): under Membership a lost connection is not a
 *      lost node (connections are trimmed and set up again on demand): the server keeps the
 *      names of an owner whose monitor said 'noconnection' while its node is a member, and
 *      monitors it again a little later (name-server.ts).
 * `seq` grows by one per change; replicas use it to apply changes in order (thread-replica.ts).
 *
 * Erlang mapping: the `global_names` ets table of global.erl and the monitors its server
 * keeps on the registered pids.
 */
import type { Context } from '../../core/context.ts';
import { nodeOf, nodeTable } from '../../core/node-table.ts';
import type { Pid, Ref } from '../../core/pid.ts';
import type { NameRow, ResolveMethod } from './protocol.ts';
import { addRow, removeRow } from './table-digest.ts';

export interface NameEntry {
  readonly pid: Pid;
  readonly method: ResolveMethod;
  readonly seq: number;
}

interface Owner {
  readonly pid: Pid;
  /** null: not monitored now (its monitor said 'noconnection'; a remonitor is due). */
  ref: Ref | null;
  readonly names: Set<string>;
}

/** The name of the node a pid lives on, as every node spells it. */
export function nodeNameOf(pid: Pid): string {
  return pid.node === 0 ? nodeTable.local.name : (nodeOf(pid)?.name ?? '');
}

export class NameTable {
  private readonly names = new Map<string, NameEntry>();
  private readonly owners = new Map<string, Owner>();
  private readonly refs = new Map<string, string>();
  /** The number of the last change. */
  seq = 0;
  /** The digest of every (name, owner) row (table-digest.ts): equal tables, equal digests. */
  digest = 0;

  get size(): number {
    return this.names.size;
  }

  get(name: string): NameEntry | undefined {
    return this.names.get(name);
  }

  /** Give `name` to `pid` (monitoring it if it is a new owner). Returns the change's seq. */
  set(ctx: Context, name: string, pid: Pid, method: ResolveMethod): number {
    const old = this.names.get(name);
    if (old !== undefined && old.pid.equals(pid)) {
      this.names.set(name, { pid, method, seq: old.seq });
      return old.seq;
    }
    if (old !== undefined) {
      this.digest = removeRow(this.digest, name, nodeNameOf(old.pid), old.pid);
      this.detach(ctx, name, old.pid);
    }
    const seq = ++this.seq;
    this.names.set(name, { pid, method, seq });
    this.digest = addRow(this.digest, name, nodeNameOf(pid), pid);
    const key = pid.toString();
    let owner = this.owners.get(key);
    if (owner === undefined) {
      const ref = ctx.monitor(pid);
      owner = { pid, ref, names: new Set() };
      this.owners.set(key, owner);
      this.refs.set(ref.toString(), key);
    }
    owner.names.add(name);
    return seq;
  }

  /** Remove `name` (only if it belongs to `pid`, when given). Returns the seq, or -1 if nothing changed. */
  delete(ctx: Context, name: string, pid: Pid | null = null): number {
    const old = this.names.get(name);
    if (old === undefined || (pid !== null && !old.pid.equals(pid))) return -1;
    this.names.delete(name);
    this.digest = removeRow(this.digest, name, nodeNameOf(old.pid), old.pid);
    this.detach(ctx, name, old.pid);
    return ++this.seq;
  }

  /** A DOWN of one of our monitors: the names its owner held (removed), [] if the ref is not ours. */
  ownerDown(ref: Ref): string[] {
    const key = this.refs.get(ref.toString());
    if (key === undefined) return [];
    this.refs.delete(ref.toString());
    const owner = this.owners.get(key)!;
    this.owners.delete(key);
    for (const n of owner.names) {
      this.names.delete(n);
      this.digest = removeRow(this.digest, n, nodeNameOf(owner.pid), owner.pid);
    }
    return [...owner.names];
  }

  /** The owner a monitor ref of this table watches. */
  ownerOf(ref: Ref): Pid | undefined {
    const key = this.refs.get(ref.toString());
    return key === undefined ? undefined : this.owners.get(key)?.pid;
  }

  /**
   * A 'noconnection' DOWN of an owner whose node is still a member: the names stay, the
   * owner is left unmonitored until `remonitor`. Returns the owner, undefined if the ref is not ours.
   */
  ownerUnreachable(ref: Ref): Pid | undefined {
    const key = this.refs.get(ref.toString());
    if (key === undefined) return undefined;
    this.refs.delete(ref.toString());
    const owner = this.owners.get(key)!;
    owner.ref = null;
    return owner.pid;
  }

  /** Monitor again an owner left unmonitored by ownerUnreachable (false: it owns nothing now, or is monitored). */
  remonitor(ctx: Context, pid: Pid): boolean {
    const owner = this.owners.get(pid.toString());
    if (owner === undefined || owner.ref !== null) return false;
    owner.ref = ctx.monitor(pid);
    this.refs.set(owner.ref.toString(), pid.toString());
    return true;
  }

  /** Whether a DOWN's ref is one of this table's owner monitors. */
  ownsRef(ref: Ref): boolean {
    return this.refs.has(ref.toString());
  }

  /** Every name whose owner lives on `node` (removed). */
  removeNode(ctx: Context, node: string): string[] {
    const gone: string[] = [];
    for (const owner of [...this.owners.values()]) {
      if (nodeNameOf(owner.pid) !== node) continue;
      for (const n of owner.names) {
        this.names.delete(n);
        this.digest = removeRow(this.digest, n, nodeNameOf(owner.pid), owner.pid);
        gone.push(n);
      }
      if (owner.ref !== null) {
        ctx.demonitor(owner.ref, { flush: true });
        this.refs.delete(owner.ref.toString());
      }
      this.owners.delete(owner.pid.toString());
    }
    return gone;
  }

  /** Bump the change number for a removal done by ownerDown/removeNode (one per name). */
  nextSeq(): number {
    return ++this.seq;
  }

  rows(): NameRow[] {
    const out: NameRow[] = [];
    for (const [n, e] of this.names) out.push([n, e.pid, e.method]);
    return out;
  }

  /** [name, pid, seq] of every name: what a replica's snapshot carries. */
  seqRows(): [string, Pid, number][] {
    const out: [string, Pid, number][] = [];
    for (const [n, e] of this.names) out.push([n, e.pid, e.seq]);
    return out;
  }

  allNames(): string[] {
    return [...this.names.keys()];
  }

  private detach(ctx: Context, name: string, pid: Pid): void {
    const key = pid.toString();
    const owner = this.owners.get(key);
    if (owner === undefined) return;
    owner.names.delete(name);
    if (owner.names.size > 0) return;
    if (owner.ref !== null) {
      ctx.demonitor(owner.ref, { flush: true });
      this.refs.delete(owner.ref.toString());
    }
    this.owners.delete(key);
  }
}
