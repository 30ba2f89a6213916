/**
 * ThreadReplica: this thread's copy of the global name table, read synchronously by
 * `Global.whereis` / `Global.registered` and by core's `{ global: name }` destinations
 * (installed as the thread's GlobalNameResolver, core/global-name.ts). Module state: one
 * per thread (each worker thread has its own copy of this module).
 *
 * Who writes it (all on this thread):
 *   - the replica actor of this scheduler (replica-actor.ts), from the messages of the
 *     node's global name server: a snapshot, then one change per table change;
 *   - on a ThreadedNode's embedding thread, a 'message' listener of the node fed the same
 *     way through `node.pid` (global.ts);
 *   - the API, after its own register/unregister succeeded (read your own writes: the
 *     answer carries the server's change number, so this thread sees the change before
 *     the server's message about it arrives).
 *
 * Protocol: every slot carries the server's change number `seq`. A change or a snapshot row
 * is applied only if its seq is greater than the slot's, so the order in which the three
 * writers' messages arrive does not matter. A removal leaves a tombstone (pid null) so an
 * older change cannot bring the name back; tombstones at or below the highest seq seen
 * from the server's own stream are pruned (every later message of the stream is newer).
 * An `epoch` (the server's pid) starts a new numbering: a different epoch resets the table.
 *
 * Erlang mapping: the `global_names` ets table, which every process of a BEAM node reads
 * directly (whereis_name, {global, Name}); threads share no heap, so each keeps this copy.
 */
import type { Context } from '../../core/context.ts';
import { setGlobalNameResolver } from '../../core/global-name.ts';
import type { Pid } from '../../core/pid.ts';
import type { CallGen } from '../../otp/call.ts';
import { transactionFromActor } from './actor-transaction.ts';
import type { ServerCall } from './protocol.ts';
import { checkResolveMethod } from './resolve.ts';

interface Slot {
  pid: Pid | null;
  seq: number;
}

const kPruneAt = 256;

export class ThreadReplica {
  private readonly slots = new Map<string, Slot>();
  private epoch: string | null = null;
  private streamSeq = 0;
  private tombstones = 0;

  /** The server this replica follows (its pid as a string), null when none. */
  get serverEpoch(): string | null {
    return this.epoch;
  }

  whereis(name: string): Pid | undefined {
    return this.slots.get(name)?.pid ?? undefined;
  }

  names(): string[] {
    const out: string[] = [];
    for (const [n, s] of this.slots) if (s.pid !== null) out.push(n);
    return out.sort();
  }

  /**
   * GlobalNameResolver.register: take `name` for `pid` from the running actor (a
   * supervisor starting a child whose spec names it `{ global: name }`), default resolve
   * method. 'yes' | 'no'.
   */
  *register(ctx: Context, name: string, pid: Pid): CallGen<'yes' | 'no'> {
    const msg: ServerCall = { op: 'register', name, pid, method: checkResolveMethod('a { global } child name', undefined), force: false };
    return (yield* transactionFromActor(ctx, 'a { global } child name', msg, name, pid, this)).result as 'yes' | 'no';
  }

  /** Follow `epoch` (a new server resets the table) and install this thread's resolver. */
  follow(epoch: string): void {
    if (this.epoch === epoch) return;
    this.slots.clear();
    this.streamSeq = 0;
    this.tombstones = 0;
    this.epoch = epoch;
    setGlobalNameResolver(this);
  }

  /** Stop following `epoch` (its server stopped): empty, and no resolver on this thread. */
  drop(epoch: string): void {
    if (this.epoch !== epoch) return;
    this.slots.clear();
    this.epoch = null;
    setGlobalNameResolver(null);
  }

  /** One change; `fromStream` when it comes from the server's own message stream. */
  change(epoch: string, seq: number, name: string, pid: Pid | null, fromStream: boolean): void {
    if (epoch !== this.epoch) return;
    if (fromStream && seq > this.streamSeq) this.streamSeq = seq;
    const cur = this.slots.get(name);
    if (cur !== undefined && cur.seq >= seq) return;
    if (cur !== undefined && cur.pid === null) this.tombstones--;
    this.slots.set(name, { pid, seq });
    if (pid === null && ++this.tombstones > kPruneAt) this.prune();
  }

  /** The whole table at `seq`: rows newer than their slots win; names absent are gone. */
  snapshot(epoch: string, seq: number, rows: readonly (readonly [string, Pid, number])[]): void {
    this.follow(epoch);
    const present = new Set<string>();
    for (const [name, pid, rowSeq] of rows) {
      present.add(name);
      this.change(epoch, rowSeq, name, pid, false);
    }
    for (const [name, s] of this.slots) {
      if (!present.has(name) && s.pid !== null && s.seq <= seq) this.change(epoch, seq, name, null, false);
    }
    if (seq > this.streamSeq) this.streamSeq = seq;
  }

  private prune(): void {
    for (const [name, s] of this.slots) {
      if (s.pid === null && s.seq <= this.streamSeq) {
        this.slots.delete(name);
        this.tombstones--;
      }
    }
  }
}

/** This thread's replica. */
export const threadReplica = new ThreadReplica();
