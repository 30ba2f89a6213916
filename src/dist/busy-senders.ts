/**
 * Busy connections (Erlang's busy_dist_port), on the node thread: above its bound of
 * unsent bytes the I/O thread reports a connection busy (kInBusy), and below half of it
 * not busy again (kInNotBusy). Meanwhile:
 *   1. an op for a busy connection is still written (nothing is dropped; the I/O thread
 *      keeps it in order) and its bytes are counted against its sender for this busy
 *      period; a sender past `allowanceBytes` (it keeps adding to the backlog) has its
 *      slice ended at once (reductions.left = 0) and is suspended, once, listed under the
 *      connection (the scheduler checks a suspension when it next picks the actor, so this
 *      is safe mid-slice). A sender of a few small messages (a pinger, a call) is not held:
 *      it adds nothing that matters, and holding it would only delay it behind the bulk
 *      (where Erlang's busy_dist_port suspends every sender);
 *   2. kInNotBusy (or the connection's nodedown) resumes every actor held for it.
 * Sends from outside any actor (the embedding thread) are written and counted, never held.
 * Ticks are not concerned: they are frames of the I/O thread's own.
 */
import type { Pid } from '../core/pid.ts';
import { reductions } from '../core/reductions.ts';

/** What holding needs of the scheduler (a LocalNode's, or a worker's): core/node.ts. */
export type { SenderControl } from '../core/node.ts';
import type { SenderControl } from '../core/node.ts';

export interface BusyStats {
  busyEvents: number;
  sendsWhileBusy: number;
  holds: number;
}

export class BusySenders {
  private readonly busy = new Set<number>();
  private readonly held = new Map<number, Pid[]>();
  /** Per busy connection: bytes each sender (by pid id) added during this busy period. */
  private readonly added = new Map<number, Map<number, number>>();
  private readonly allowanceBytes: number;
  private control: SenderControl | null = null;
  readonly stats: BusyStats = { busyEvents: 0, sendsWhileBusy: 0, holds: 0 };

  constructor(allowanceBytes = 256 * 1024) {
    this.allowanceBytes = allowanceBytes;
  }

  attach(control: SenderControl): void {
    this.control = control;
  }

  isBusy(conn: number): boolean {
    return this.busy.size !== 0 && this.busy.has(conn);
  }

  /** Step 1, for an op just written to busy connection `conn`. */
  wroteWhileBusy(conn: number, bytes: number): void {
    this.stats.sendsWhileBusy++;
    const c = this.control;
    const pid = c?.currentPid() ?? null;
    if (pid === null) return;
    let bySender = this.added.get(conn);
    if (bySender === undefined) this.added.set(conn, (bySender = new Map()));
    const sum = (bySender.get(pid.id) ?? 0) + bytes;
    bySender.set(pid.id, sum);
    if (sum <= this.allowanceBytes) return;
    reductions.left = 0;
    let list = this.held.get(conn);
    if (list === undefined) this.held.set(conn, (list = []));
    for (const p of list) if (p.equals(pid)) return;
    list.push(pid);
    c!.suspend(pid);
    this.stats.holds++;
  }

  setBusy(conn: number): void {
    if (this.busy.has(conn)) return;
    this.busy.add(conn);
    this.stats.busyEvents++;
  }

  /** Step 2. */
  clear(conn: number): void {
    this.busy.delete(conn);
    this.added.delete(conn);
    const list = this.held.get(conn);
    if (list === undefined) return;
    this.held.delete(conn);
    for (const pid of list) this.control?.resume(pid);
  }
}
