/**
 * The module version table of one thread: for every module loaded through the code server,
 * at most two versions, *current* and *old*, as on the BEAM. Each thread (the embedding
 * thread of a LocalNode, each scheduler worker of a ThreadedNode) has its own table,
 * because each has its own ESM module cache; src/otp/code-server.ts runs the steps below
 * on every scheduler of a node.
 *
 * A version is one instance of the module: version 1 is the module as first imported
 * (`file:///x.ts`), version n > 1 is `file:///x.ts?v=n` — a URL Node's ESM cache (and
 * vitest's module runner) has never seen, so it evaluates the file again, fresh, while
 * the modules it imports (the runtime) stay shared. Both compiler hooks see the query-less
 * path, so a `'use switchboard';` module is instrumented in every version. Under Node the
 * new instance's `import.meta.url` keeps the query (`x.ts?v=n`, so its Behaviours carry it
 * and another thread imports that very version); vitest strips it — `moduleKey` drops it
 * either way. A version's behaviours are the
 * module's exports that are Behaviours of that module (re-exports from other modules are
 * not its own); `vsn` is the module's `vsn` export if it has one, else n.
 *
 * Steps (each runs on the thread that owns the table):
 *   1. prepare(key, n): import version 1 if this thread never did (so its behaviours can
 *      be marked below, even if nothing spawned them yet), then version n; keep it as
 *      *prepared*. Nothing changes for running actors. Fails (rejects) if an import does.
 *   2. commit(schedulers, key, n, extra):
 *      a. if an *old* version exists, purge it (step 3): actors still on it are killed;
 *      b. every behaviour of *current* gets `upgrade = { to: same export in n, module,
 *         oldVsn, extra }` (null `to` if n does not export it): handler-style actors move
 *         to `to` at their next slice (src/core/scheduler.ts switchCode), and a spawn of an
 *         old behaviour starts the new one;
 *      c. *current* becomes *old*, n becomes *current*;
 *      d. every waiting handler-style actor on the now-old version is made runnable, so an
 *         idle server moves at once instead of being killed by the next load. Actors that
 *         cannot move stay on *old*: process-style (generator) actors — a generator's
 *         frames cannot be swapped, like a BEAM process that never makes a fully
 *         qualified call — and actors whose switch waits for their turn.
 *   3. purge(schedulers, key): every actor on *old* ends with the untrappable reason
 *      `{ kind: 'purged', module, vsn }` (no terminate: its code is gone), and *old* is
 *      dropped. softPurge does it only if no actor runs *old* (else returns false).
 *
 * The table covers the schedulers passed in: on a thread with two LocalNodes, a load
 * through one does not kill the other's actors (their behaviours are marked all the same).
 * Node never frees a module instance: every load keeps its module in memory for the life
 * of the thread (a few KB per load of a typical module).
 */
import { Behaviour } from '../core/behaviour.ts';
import type { Scheduler } from '../core/scheduler.ts';
import { BadArgError } from '../core/errors.ts';
import { CodeLoadError } from './code-errors.ts';

/** One loaded instance of a module. */
export interface ModuleVersion {
  /** Load number: 1 for the module as first imported, then the code server's serial. */
  readonly n: number;
  /** The module's `vsn` export, else `n`. Passed to codeChange as `oldVsn`. */
  readonly vsn: unknown;
  /** The URL imported. */
  readonly url: string;
  /** Behaviour exports of this module, by export name. */
  readonly byExport: ReadonlyMap<string, Behaviour>;
  readonly behaviours: ReadonlySet<Behaviour>;
}

interface ModuleEntry {
  current: ModuleVersion;
  old: ModuleVersion | null;
  prepared: ModuleVersion | null;
  /** Loads committed on this thread (0: version 1 was imported by the pending prepare). */
  loads: number;
}

/** Exit reason of an actor killed because its version was purged. */
export interface PurgedReason {
  readonly kind: 'purged';
  readonly module: string;
  readonly vsn: unknown;
}

/** What one thread's table says about a module. */
export interface ModuleVersions {
  readonly module: string;
  readonly current: unknown;
  readonly old: unknown;
  /** Actors (on the schedulers asked) still running the old version. */
  readonly oldActors: number;
  /** Actors (on the schedulers asked) running the current version. */
  readonly currentActors: number;
}

const table = new Map<string, ModuleEntry>();

/** The code server's name for a module: its URL without query or fragment. */
export function moduleKey(url: string): string {
  if (typeof url !== 'string' || url.length === 0) throw new BadArgError('code server: module must be a non-empty URL string (e.g. import.meta.url or new URL(path, import.meta.url).href)');
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

async function importVersion(key: string, n: number): Promise<ModuleVersion> {
  const url = n === 1 ? key : `${key}?v=${n}`;
  let ns: Record<string, unknown>;
  try {
    ns = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    throw new CodeLoadError(key, `cannot load ${url}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const byExport = new Map<string, Behaviour>();
  for (const name of Object.keys(ns)) {
    const v = ns[name];
    if (!(v instanceof Behaviour) || v.module === null || moduleKey(v.module) !== key) continue;
    if (v.exportName === null) v.exportName = name;
    byExport.set(name, v);
  }
  return Object.freeze({ n, vsn: ns.vsn !== undefined ? ns.vsn : n, url, byExport, behaviours: new Set(byExport.values()) });
}

/** Step 1: import version `n` of module `key` on this thread. Resolves with its vsn. */
export async function prepareVersion(key: string, n: number): Promise<unknown> {
  if (!Number.isInteger(n) || n < 2) throw new BadArgError(`code server: version number must be an integer >= 2, got ${String(n)}`);
  let entry = table.get(key);
  if (entry === undefined) {
    const first = await importVersion(key, 1);
    entry = table.get(key); // another prepare may have raced this one
    if (entry === undefined) {
      entry = { current: first, old: null, prepared: null, loads: 0 };
      table.set(key, entry);
    }
  }
  if (n <= entry.current.n) throw new CodeLoadError(key, `version ${n} of ${key} is not newer than the current one (${entry.current.n})`);
  const v = await importVersion(key, n);
  entry.prepared = v;
  return v.vsn;
}

/** What a commit did on this thread. */
export interface CommitOutcome {
  readonly vsn: unknown;
  readonly oldVsn: unknown;
  /** Actors killed because they were still on the version before `oldVsn`. */
  readonly killed: number;
  /**
   * Whether `oldVsn` is known to be what ran here: a thread whose first load this is, and
   * that had no actor on version 1, may have imported version 1 only now — from the file
   * as rewritten (its ESM cache had no older copy). Harmless (no actor ran it), but its
   * `oldVsn` is then not the node's.
   */
  readonly certain: boolean;
}

/** Step 2: make the prepared version `n` current on this thread. */
export function commitVersion(schedulers: readonly Scheduler[], key: string, n: number, extra: unknown): CommitOutcome {
  const entry = table.get(key);
  const v = entry?.prepared;
  if (entry === undefined || v === null || v === undefined || v.n !== n) {
    throw new CodeLoadError(key, `version ${n} of ${key} was not prepared on this thread`);
  }
  const killed = entry.old === null ? 0 : purgeVersion(schedulers, key);
  const cur = entry.current;
  let onCurrent = 0;
  for (const s of schedulers) onCurrent += s.actorsRunning(cur.behaviours).length;
  const certain = entry.loads > 0 || onCurrent > 0;
  entry.loads++;
  for (const [name, b] of cur.byExport) {
    b.upgrade = Object.freeze({ to: v.byExport.get(name) ?? null, module: key, oldVsn: cur.vsn, extra });
  }
  entry.old = cur;
  entry.current = v;
  entry.prepared = null;
  for (const s of schedulers) for (const pid of s.actorsRunning(cur.behaviours)) s.runSoon(pid);
  return { vsn: v.vsn, oldVsn: cur.vsn, killed, certain };
}

/** Forget a prepared version (another scheduler failed to prepare it). */
export function abortVersion(key: string, n: number): void {
  const entry = table.get(key);
  if (entry !== undefined && entry.prepared !== null && entry.prepared.n === n) entry.prepared = null;
}

/** Step 3: kill the actors on the old version and drop it. Returns how many were killed. */
export function purgeVersion(schedulers: readonly Scheduler[], key: string): number {
  const entry = table.get(key);
  if (entry === undefined || entry.old === null) return 0;
  const old = entry.old;
  const reason: PurgedReason = Object.freeze({ kind: 'purged', module: key, vsn: old.vsn });
  let killed = 0;
  for (const s of schedulers) for (const pid of s.actorsRunning(old.behaviours)) if (s.kill(pid, reason)) killed++;
  entry.old = null;
  return killed;
}

/** Drop the old version only if no actor runs it. */
export function softPurgeVersion(schedulers: readonly Scheduler[], key: string): boolean {
  if (countOld(schedulers, key) > 0) return false;
  const entry = table.get(key);
  if (entry !== undefined) entry.old = null;
  return true;
}

/** Actors on the old version of `key`. */
export function countOld(schedulers: readonly Scheduler[], key: string): number {
  const old = table.get(key)?.old;
  if (old === null || old === undefined) return 0;
  let n = 0;
  for (const s of schedulers) n += s.actorsRunning(old.behaviours).length;
  return n;
}

/** What this thread knows of `key` (null if the code server never loaded it here). */
export function versionsOf(schedulers: readonly Scheduler[], key: string): ModuleVersions | null {
  const entry = table.get(key);
  if (entry === undefined) return null;
  let currentActors = 0;
  for (const s of schedulers) currentActors += s.actorsRunning(entry.current.behaviours).length;
  return {
    module: key,
    current: entry.current.vsn,
    old: entry.old === null ? null : entry.old.vsn,
    oldActors: countOld(schedulers, key),
    currentActors,
  };
}
