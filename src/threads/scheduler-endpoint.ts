/**
 * SchedulerEndpoint: an Endpoint (endpoint.ts) that hosts a core Scheduler — a scheduler
 * thread (worker-host.ts) or the embedding thread's gateway (gateway.ts). It is what the
 * scheduler's thread transport writes through (worker-transport.ts): the scheduler, the
 * kill block, where a record for a pid goes, and how an exit reason that cannot be
 * encoded still crosses.
 *
 * A record addressed to a pid (`emitTo`):
 *   1. the pid's endpoint is another one: emit it there (false if that endpoint is down);
 *   2. it is this endpoint's own pid space: there is no ring to itself, so false — unless
 *      the subclass knows better (WorkerHost forwards to where a moved actor went).
 */
import type { Pid } from '../core/pid.ts';
import type { Scheduler } from '../core/scheduler.ts';
import { Endpoint } from './endpoint.ts';
import type { KillFlags } from './kill-flags.ts';

export abstract class SchedulerEndpoint extends Endpoint {
  /** The scheduler this endpoint hosts (answers 'noproc' for a peer that is down). */
  abstract readonly sched: Scheduler;
  /** The gateway's endpoint index (kills are not announced to it). */
  abstract readonly gateway: number;
  /** Kill announcements (kill-flags.ts) this endpoint writes. */
  abstract readonly kills: KillFlags;

  /** Run `fn` after the current slice, as if it had arrived as a record. */
  abstract later(fn: () => void): void;

  /** Emit a record (header `h[0..n)`) addressed to pid `to` (steps 1-2). */
  emitTo(to: Pid, n: number, value: unknown, hasValue: boolean): boolean {
    const dest = to.id % this.endpoints;
    return dest !== this.index && this.emit(dest, n, value, hasValue);
  }

  /**
   * Emit a record whose value is an exit reason. A reason that cannot be encoded (a
   * function inside, say) must not stop the signal, nor throw out of the scheduler's exit
   * processing: it crosses as `{ kind: 'unsendableReason', description }`.
   */
  emitSignal(to: Pid, n: number, reason: unknown): void {
    const saved = this.h.slice(0, n);
    try {
      this.emitTo(to, n, reason, true);
    } catch (e) {
      this.h.set(saved);
      const description = e instanceof Error ? e.message : String(e);
      this.emitTo(to, n, Object.freeze({ kind: 'unsendableReason', description }), true);
    }
  }
}
