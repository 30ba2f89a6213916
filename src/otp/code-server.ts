/**
 * The code server: hot code reload of behaviour modules on a running node, with the BEAM's
 * rules — at most two versions of a module (*current* and *old*), actors move to the new
 * version at a message boundary with `codeChange(oldVsn, state, extra)`, loading a third
 * version kills the actors still on the oldest, purge / soft purge.
 *
 * API (every function returns a promise; `target` is a Node of any kind (src/core/node.ts),
 * or a core Scheduler — the per-scheduler variant, on the calling thread, for unit tests):
 *   CodeServer.load(target, moduleUrl, { extra? })  -> { module, vsn, oldVsn, killed }
 *       load a new version of the module from its file as it is now and make it current
 *       on every scheduler; `killed` counts the actors that were still on the version
 *       before the previous one. Rejects with CodeLoadError (nothing switched) if the
 *       module cannot be imported on some scheduler.
 *   CodeServer.purge(target, moduleUrl)      -> number of actors killed on the old version
 *   CodeServer.softPurge(target, moduleUrl)  -> true (old version dropped) | false (some
 *       actor still runs it; nothing done)
 *   CodeServer.versions(target, moduleUrl)   -> { module, current, old, oldActors,
 *       currentActors } summed over the schedulers, or null if never loaded
 * `moduleUrl` names the module as `defineActor(import.meta.url, ...)` did (a query or
 * fragment is ignored).
 *
 * Protocol of a load (two phases, like code:prepare_loading + code:finish_loading):
 *   1. Take the process-wide next load number n (never reused, so `?v=n` is a URL no
 *      thread has imported: Node's ESM cache and vitest's module runner evaluate the file
 *      afresh). Loads of one module are serialised.
 *   2. Prepare on every scheduler (on its own thread: `node.applyOnSchedulers`; directly
 *      for a Scheduler): import version n (code-table.ts step 1).
 *      If any scheduler fails, the others forget the prepared version and the load
 *      rejects with CodeLoadError: no scheduler switched.
 *   3. Commit on every scheduler (code-table.ts step 2): purge the old version (its actors
 *      die with { kind: 'purged', module, vsn }), mark the current version's behaviours
 *      as superseded by version n, make n current, and wake idle handler-style actors so
 *      they move at once.
 *   4. Each handler-style actor moves at the start of its next slice (core scheduler):
 *      its behaviour is resolved by export name in version n and
 *      `newBehaviour.handler.codeChange?.(oldVsn, state, extra, ctx)` turns its state
 *      ({ ok: state } | { error: reason }; an error or a throw kills it with
 *      { kind: 'codeChange', module, export, oldVsn, error }). A GenServer's handler
 *      wrapper forwards to the user's codeChange. A missing export kills it the same way.
 *
 * What does not move: process-style (generator) actors stay on the version they started
 * on until they end (a generator's frames cannot be swapped — like a BEAM process that
 * never makes a fully qualified call), and are killed by the load after next or a purge.
 * A Behaviour that its module does not export is invisible to the code server.
 *
 * sys-style upgrade of a GenServer without losing a message: `Sys.suspend` (the server
 * queues what arrives), `CodeServer.load`, `Sys.resume` (the queue is replayed, in order,
 * on the new version). A server that is not suspended also loses nothing: it switches
 * between two messages.
 *
 * Files: code-table.ts (one thread's version table), code-errors.ts (CodeLoadError).
 */
import type { Node } from '../core/node.ts';
import { Scheduler } from '../core/scheduler.ts';
import { BadArgError, SwitchboardError } from '../core/errors.ts';
import { checkOptions, type OptionChecks } from '../core/options.ts';
import { CodeLoadError } from './code-errors.ts';
import {
  abortVersion, commitVersion, countOld, moduleKey, prepareVersion, purgeVersion, softPurgeVersion, versionsOf,
  type CommitOutcome, type ModuleVersions,
} from './code-table.ts';

/** Where code is loaded: every scheduler of a node, or one Scheduler (unit tests). */
export type CodeTarget = Node | Scheduler;

export interface LoadOptions {
  /** Passed to every codeChange as `extra`. */
  extra?: unknown;
}

const loadOptionChecks: OptionChecks = {
  extra: () => null,
};

export const defaultLoadOptions: LoadOptions = Object.freeze({ extra: undefined });

export interface LoadResult {
  /** The module (URL without query). */
  readonly module: string;
  readonly vsn: unknown;
  readonly oldVsn: unknown;
  /** Actors killed because they were still on the version before `oldVsn`. */
  readonly killed: number;
}

export type { ModuleVersions, PurgedReason } from './code-table.ts';

// -------------------------------------------------------------------------------------
// API
// -------------------------------------------------------------------------------------

export const CodeServer = {
  load,
  purge,
  softPurge,
  versions,
};

async function load(target: CodeTarget, moduleUrl: string, opts?: LoadOptions): Promise<LoadResult> {
  const o = validateLoadOptions(opts);
  const key = moduleKey(moduleUrl);
  const where = resolveTarget(target);
  return serialise(key, async () => {
    const n = ++loadSerial;
    try {
      await onEvery(where, 'schedulerPrepare', [key, n]);
    } catch (e) {
      await onEvery(where, 'schedulerAbort', [key, n]).catch(() => undefined);
      throw asCodeError(key, e);
    }
    const outcomes = (await onEvery(where, 'schedulerCommit', [key, n, o.extra])) as CommitOutcome[];
    let killed = 0;
    for (const c of outcomes) killed += c.killed;
    const told = outcomes.find((c) => c.certain) ?? outcomes[0]!;
    return { module: key, vsn: told.vsn, oldVsn: told.oldVsn, killed };
  });
}

async function purge(target: CodeTarget, moduleUrl: string): Promise<number> {
  const key = moduleKey(moduleUrl);
  const where = resolveTarget(target);
  return serialise(key, async () => {
    const killed = (await onEvery(where, 'schedulerPurge', [key])) as number[];
    return killed.reduce((a, b) => a + b, 0);
  });
}

async function softPurge(target: CodeTarget, moduleUrl: string): Promise<boolean> {
  const key = moduleKey(moduleUrl);
  const where = resolveTarget(target);
  return serialise(key, async () => {
    // Actors only ever leave the old version (spawns start the current one), so once every
    // scheduler counted none, none can appear before the drop.
    const counts = (await onEvery(where, 'schedulerCountOld', [key])) as number[];
    if (counts.some((c) => c > 0)) return false;
    const done = (await onEvery(where, 'schedulerSoftPurge', [key])) as boolean[];
    return done.every((d) => d);
  });
}

async function versions(target: CodeTarget, moduleUrl: string): Promise<ModuleVersions | null> {
  const key = moduleKey(moduleUrl);
  const all = (await onEvery(resolveTarget(target), 'schedulerVersions', [key])) as (ModuleVersions | null)[];
  const known = all.filter((v): v is ModuleVersions => v !== null);
  if (known.length === 0) return null;
  let oldActors = 0;
  let currentActors = 0;
  for (const v of known) {
    oldActors += v.oldActors;
    currentActors += v.currentActors;
  }
  // A thread where the module ran is the one to believe about `old` (see CommitOutcome.certain).
  const told = known.find((v) => v.oldActors + v.currentActors > 0) ?? known[0]!;
  return { module: key, current: told.current, old: told.old, oldActors, currentActors };
}

// -------------------------------------------------------------------------------------
// Run on each scheduler's thread (node.applyOnSchedulers calls these by name)
// -------------------------------------------------------------------------------------

export function schedulerPrepare(_s: Scheduler, key: string, n: number): Promise<unknown> {
  return prepareVersion(key, n);
}

export function schedulerAbort(_s: Scheduler, key: string, n: number): void {
  abortVersion(key, n);
}

export function schedulerCommit(s: Scheduler, key: string, n: number, extra: unknown): CommitOutcome {
  return commitVersion([s], key, n, extra);
}

export function schedulerPurge(s: Scheduler, key: string): number {
  return purgeVersion([s], key);
}

export function schedulerCountOld(s: Scheduler, key: string): number {
  return countOld([s], key);
}

export function schedulerSoftPurge(s: Scheduler, key: string): boolean {
  return softPurgeVersion([s], key);
}

export function schedulerVersions(s: Scheduler, key: string): ModuleVersions | null {
  return versionsOf([s], key);
}

// -------------------------------------------------------------------------------------
// Internal helpers
// -------------------------------------------------------------------------------------

/** Process-wide load number: `?v=n` is never imported twice by any thread of the process. */
let loadSerial = 1;
const queues = new Map<string, Promise<unknown>>();

type Where = { kind: 'scheduler'; scheduler: Scheduler } | { kind: 'node'; node: Node };

const perScheduler = {
  schedulerPrepare, schedulerAbort, schedulerCommit, schedulerPurge, schedulerCountOld, schedulerSoftPurge, schedulerVersions,
} as const;

function resolveTarget(target: CodeTarget): Where {
  if (target instanceof Scheduler) return { kind: 'scheduler', scheduler: target };
  if (typeof target === 'object' && target !== null && typeof (target as Node).applyOnSchedulers === 'function') {
    return { kind: 'node', node: target };
  }
  throw new BadArgError('code server: target must be a node (startNode) or a Scheduler');
}

/** Run one per-scheduler step on every scheduler; results in scheduler order. */
async function onEvery(where: Where, step: keyof typeof perScheduler, args: unknown[]): Promise<unknown[]> {
  if (where.kind === 'scheduler') {
    const fn = perScheduler[step] as (s: Scheduler, ...a: unknown[]) => unknown;
    return [await fn(where.scheduler, ...args)];
  }
  return where.node.applyOnSchedulers({ module: import.meta.url, export: step }, args);
}

/** Loads and purges of one module run one at a time, in call order. */
function serialise<T>(key: string, job: () => Promise<T>): Promise<T> {
  const prev = queues.get(key) ?? Promise.resolve();
  const run = prev.then(job, job);
  const tail = run.then(() => undefined, () => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

function asCodeError(key: string, e: unknown): Error {
  if (e instanceof CodeLoadError) return e;
  if (e instanceof SwitchboardError && e.code === 'ERR_SB_CODE_LOAD') return new CodeLoadError(key, e.message);
  return new CodeLoadError(key, `cannot load ${key}: ${e instanceof Error ? e.message : String(e)}`);
}

function validateLoadOptions(opts: LoadOptions | undefined): LoadOptions {
  checkOptions('CodeServer.load', loadOptionChecks, opts);
  return opts === undefined ? defaultLoadOptions : { ...defaultLoadOptions, ...opts };
}
