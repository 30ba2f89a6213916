/**
 * Dirty pool: where `ctx.dirty(module, exportName, args)` runs CPU-heavy or blocking work,
 * off the scheduler threads, so they keep running actors meanwhile. One piscina pool per
 * node, created on the first dirty task (a node that never uses it starts no extra
 * thread), destroyed by the node's `stop()`.
 *
 * Protocol on a ThreadedNode (the pool lives in the embedding thread, next to the gateway):
 *   1. The actor calls `ctx.dirty(...)`: its scheduler makes a ref, remembers it, and writes
 *      a DIRTY record `pid.id pid.serial ref.n | { module, export, args }` into its ring to
 *      the gateway (worker-host.ts). The actor goes on at once with the ref.
 *   2. The gateway hands the task to `DirtyPool.run` (dirty-worker.mjs imports the module
 *      in a pool thread, through Switchboard's module hooks, and calls the export).
 *   3. When it settles, the gateway writes a DIRTY record back to the actor's scheduler:
 *      `pid.id pid.serial ref.n | { ok: true, value }` or `{ ok: false, error }` where
 *      error = `{ name, message, code? }` (a value that cannot be encoded becomes an error
 *      too). The scheduler delivers `{ type: '$dirty', ref, ok, value | error }` with the
 *      very ref object `dirty` returned; an actor that died meanwhile gets nothing.
 *   4. `stop()` destroys the pool: tasks still running are abandoned (their actors are
 *      gone by then) and no thread or handle is left behind.
 * Microstates (dirty-msacc.ts, dirty-thread-msacc.ts): the pool owns a microstate area
 * with one block per possible thread, sampled like the schedulers' from the pool's
 * creation; each pool thread claims a block when it starts and marks actor / housekeeping
 * / idle / parked around its tasks, and counts its GC; piscina's 'workerDestroy' frees
 * the block. `stats().threads` has one entry per block.
 * On a LocalNode (one scheduler in the calling thread; src/core does not depend on this
 * layer, so it has no pool by itself): `attachDirtyPool(localNode)` gives its scheduler a
 * pool that runs tasks directly and delivers the same message; destroy it after `stop()`.
 */

import { availableParallelism } from 'node:os';
import type { Piscina as PiscinaPool } from 'piscina';
import { NotRunningError, SwitchboardError } from '../core/errors.ts';
import type { DirtyRunner } from '../core/context.ts';
import type { Pid, Ref } from '../core/pid.ts';
import type { Scheduler } from '../core/scheduler.ts';
import { workerLoader } from './worker-loader.ts';
import { kDefaultMsaccIntervalMs } from '../core/msacc/node-msacc.ts';
import { DirtyMsacc, type DirtyThreadStats } from './dirty-msacc.ts';

const kFromSource = import.meta.url.endsWith('.ts');
const kThreadMsaccUrl = new URL(kFromSource ? './dirty-thread-msacc.ts' : './dirty-thread-msacc.js', import.meta.url).href;

export interface DirtyTask {
  readonly module: string;
  readonly export: string;
  readonly args: readonly unknown[];
}

/** What comes back for a task (the body of the DIRTY reply record). */
export type DirtyOutcome = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string; code?: string } };

/** What node.stats().dirty reports: tasks run, running now, and their wall time (measured here, exactly). */
export interface DirtyPoolStats {
  readonly maxThreads: number;
  /** Pool threads alive now. */
  readonly liveThreads: number;
  /** One entry per possible thread (maxThreads): which thread holds it and its microstates. */
  readonly threads: DirtyThreadStats[];
  readonly tasks: number;
  readonly running: number;
  readonly busyMs: number;
}

export class DirtyPool {
  private pool: Promise<PiscinaPool> | null = null;
  private started: PiscinaPool | null = null;
  private destroyed = false;
  private readonly maxThreads: number;
  private tasks = 0;
  private running = 0;
  private busyMs = 0;
  private readonly msacc: DirtyMsacc;

  /** `msaccIntervalMs`: the node's microstate sampling period, null with `msacc: false`. */
  constructor(maxThreads = Math.max(1, availableParallelism()), msaccIntervalMs: number | null = kDefaultMsaccIntervalMs) {
    this.maxThreads = maxThreads;
    this.msacc = new DirtyMsacc(maxThreads, msaccIntervalMs);
  }

  /** Run a task; resolves with its outcome (never rejects). */
  async run(task: DirtyTask): Promise<DirtyOutcome> {
    try {
      if (this.destroyed) throw new NotRunningError('the dirty pool was destroyed');
      const pool = await this.get();
      this.started = pool;
      this.tasks++;
      this.running++;
      const t0 = performance.now();
      try {
        const value = await pool.run({ module: task.module, export: task.export, args: task.args });
        return { ok: true, value };
      } finally {
        this.running--;
        this.busyMs += performance.now() - t0;
      }
    } catch (e) {
      return { ok: false, error: errorInfo(e) };
    }
  }

  /** Counters for node.stats() (a task's wall time runs from its hand-off to its outcome). */
  stats(): DirtyPoolStats {
    return { maxThreads: this.maxThreads, liveThreads: this.started?.threads.length ?? 0, threads: this.msacc.report(), tasks: this.tasks, running: this.running, busyMs: this.busyMs };
  }

  /** Ends every pool thread (idempotent). */
  async destroy(): Promise<void> {
    this.destroyed = true;
    this.msacc.stop();
    const p = this.pool;
    this.pool = null;
    if (p === null) return;
    try {
      await (await p).destroy();
    } catch {
      // a pool that failed to start has nothing to destroy
    }
  }

  private get(): Promise<PiscinaPool> {
    this.pool ??= (async () => {
      const [{ Piscina }, loader] = await Promise.all([import('piscina'), workerLoader()]);
      const pool = new Piscina({
        filename: new URL('./dirty-worker.mjs', import.meta.url).href,
        // The thread imports its microstate side by this URL (as worker-entry.mjs its host):
        // from the sources the .ts, from the build the .js entry the build makes beside it.
        workerData: { loader: loader?.specifier ?? null, loaderData: loader?.data ?? {}, msacc: this.msacc.share, msaccUrl: kThreadMsaccUrl },
        minThreads: 0,
        maxThreads: this.maxThreads,
        idleTimeout: 1000,
        // A thread waits for its next task in its event loop (Atomics.waitAsync), not in a
        // blocking Atomics.wait: its GC entries reach its microstates then (and a task's
        // unawaited callbacks still run).
        atomics: 'async',
      });
      pool.on('workerDestroy', (w: { id: number }) => this.msacc.release(w.id));
      return pool;
    })();
    return this.pool;
  }
}

export function errorInfo(e: unknown): { name: string; message: string; code?: string } {
  if (e instanceof Error) {
    const code = e instanceof SwitchboardError ? e.code : (e as { code?: unknown }).code;
    return typeof code === 'string' ? { name: e.name, message: e.message, code } : { name: e.name, message: e.message };
  }
  return { name: 'Error', message: String(e) };
}

/**
 * A DirtyRunner for a scheduler in the calling thread (LocalNode): runs on `pool` and
 * delivers the `$dirty` message with `send` (the scheduler's send from outside any actor).
 */
export function localDirtyRunner(pool: DirtyPool, send: (to: Pid, msg: unknown) => void): DirtyRunner {
  return (pid: Pid, ref: Ref, module: string, exportName: string, args: readonly unknown[]) => {
    void pool.run({ module, export: exportName, args: args.slice() }).then((out) => {
      send(pid, Object.freeze({ type: '$dirty', ref, ...out }));
    });
  };
}

/**
 * Give a single-scheduler node (LocalNode, or any `{ scheduler }`) a dirty pool for
 * `ctx.dirty`. Returns the pool: `await pool.destroy()` after the node's `stop()`.
 */
export function attachDirtyPool(node: { readonly scheduler: Scheduler }, maxThreads?: number): DirtyPool {
  const pool = new DirtyPool(maxThreads);
  const s = node.scheduler;
  s.ctx.dirtyRunner = localDirtyRunner(pool, (to, msg) => s.send(to, msg));
  return pool;
}
