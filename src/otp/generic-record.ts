/**
 * GenericRecord: the part of a GenServer's and a GenStatem's loop record (their handler
 * state) that the sys protocol (sys.ts) and both generic loops share — the parent, the
 * suspension queue, the tracer, and the flags that decide whether terminate runs. Each
 * behaviour's record extends it with its callback state and says how a message is
 * handled, what a status shows, how its code moves and how it terminates.
 *
 * Suspension (sys.ts `suspend` / `resume`):
 *   1. suspend: `suspended` is set; the loop `enqueue`s every message but system calls.
 *   2. resume: the queue is taken and replayed in arrival order through `handleQueued`.
 * Stop (sys.ts `stop`): `prepareStop` marks the exit as the process's own decision,
 * runs terminate once, and the system request handler then replies and exits.
 */
import type { CodeChangeResult } from '../core/behaviour.ts';
import type { Context } from '../core/context.ts';
import { BadArgError } from '../core/errors.ts';
import type { Pid } from '../core/pid.ts';
import { describeReason } from './errors.ts';
import type { SystemServer, SystemStatus } from './sys.ts';

export abstract class GenericRecord implements SystemServer {
  /** The starter of a start/startLink (its EXIT ends the process), else null. */
  readonly parent: Pid | null;
  suspended = false;
  /** Messages that arrived while suspended, in order (null: none). */
  queue: unknown[] | null = null;
  tracer: Pid | null = null;
  /** A user callback is running: an exception escaping it is a crash (terminate runs). */
  inCallback = false;
  /** Exiting by its own decision (stop result, parent EXIT, Sys.terminate). */
  stopping = false;
  terminated = false;

  constructor(parent: Pid | null) {
    this.parent = parent;
  }

  /** Handle `msg` as the generic loop does (resume replays the queue through it). */
  protected abstract handleQueued(msg: unknown, ctx: Context): void;
  /** The behaviour's label when the process has none ('gen_server', 'gen_statem'). */
  protected abstract readonly kind: string;
  /** What a status shows as the state. */
  protected abstract statusState(): unknown;
  protected abstract isHibernated(): boolean;
  /** Move to another version of the behaviour's code (its handler's codeChange). */
  protected abstract moveCode(oldVsn: unknown, extra: unknown): CodeChangeResult<unknown>;
  /** Run the user's terminate callback, if any. */
  protected abstract runTerminate(reason: unknown, ctx: Context): void;

  abstract getState(): unknown;
  abstract replaceState(state: unknown): void;

  enqueue(msg: unknown): void {
    (this.queue ??= []).push(msg);
  }

  getStatus(ctx: Context): SystemStatus {
    const info = ctx.processInfo(ctx.self);
    return {
      pid: ctx.self,
      status: this.suspended ? 'suspended' : 'running',
      behaviour: info?.behaviour ?? this.kind,
      state: this.statusState(),
      queued: this.queue === null ? 0 : this.queue.length,
      hibernated: this.isHibernated(),
      parent: this.parent,
    };
  }

  suspend(): void {
    this.suspended = true;
  }

  resume(ctx: Context): void {
    if (!this.suspended) return;
    this.suspended = false;
    const q = this.queue;
    this.queue = null;
    if (q !== null) for (let i = 0; i < q.length; i++) this.handleQueued(q[i], ctx);
  }

  setTracer(tracer: Pid | null): void {
    this.tracer = tracer;
  }

  changeCode(oldVsn: unknown, extra: unknown): void {
    const r = this.moveCode(oldVsn, extra);
    if ('error' in r) throw new BadArgError(`codeChange failed: ${describeReason(r.error)}`);
  }

  prepareStop(reason: unknown, ctx: Context): void {
    this.stopping = true;
    this.terminated = true;
    this.runTerminate(reason, ctx);
  }
}
