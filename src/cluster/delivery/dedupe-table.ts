/**
 * DedupeTable: the receiver's memory of idempotency keys already processed, bounded, and
 * optionally persisted to an append-only file (dedupe-file.ts) that is reloaded at start.
 * It lives in the receiving actor's state; `Delivery.processOnce` uses it.
 *
 *   new DedupeTable({ maxEntries, maxAgeMs, file, shared, sync, order, now })
 *
 * Bounds:
 *   - maxEntries (default 10,000): at most that many keys; recording one more evicts the
 *     least recently used (a key seen again — a duplicate — counts as used).
 *   - maxAgeMs (default Infinity): a key recorded more than maxAgeMs ago is forgotten
 *     (checked when it is looked up, and swept from the least recently used end when a key
 *     is recorded).
 * A forgotten key is processed again if it comes back: the bounds must cover the window in
 * which a sender may still resend (its retries × timeoutMs per target, summed over its
 * targets), and a sender's own restart if it reuses keys.
 *
 * Persistence (`file`): every recorded key is appended before `record` returns; at start
 * the file is read back (the newest maxEntries within maxAgeMs are kept). The file grows
 * by one line per key unless `compactAtStart` rewrites it at start. `shared: true`:
 * several receivers (processes) use the same file; on a miss, `has` first reads what the
 * others appended since it last looked, so a key one receiver processed is a duplicate for
 * the others. There is no lock between processes: two receivers handed the same key at the
 * same moment may both process it (the courier hands a key to the next target only after
 * the previous one timed out or went DOWN). The others' keys count against this table's
 * bounds too. `sync: true`: fsync each append.
 *
 * `order` — what a crash between processing a message and recording its key does:
 *   - 'process-first' (default): process, then record (with the processing's result, in
 *     the same line). A crash in between: processed but not recorded, so the resend is
 *     processed again — at-least-once processing. Nothing is lost.
 *   - 'record-first': record, then process. A crash in between: recorded but not
 *     processed, so the resend is acked as a duplicate — at-most-once processing: lost.
 *   Exactly-once needs the effect and the key to be one write: a processing whose effect IS
 *   the record (the result recorded with its key, 'process-first') has no window.
 *
 * Erlang mapping: an ETS set of seen ids with a size/age sweep; persisted, a disk_log or DETS
 * table reopened at start (Mnesia when the effect and the key must commit together).
 */
import { InvalidOptionError } from '../../core/errors.ts';
import { checkOptions, mustBeBoolean, mustBeFunction, mustBePositiveInteger, type OptionChecks } from '../../core/options.ts';
import { DedupeFile, type DedupeRecord } from './dedupe-file.ts';

export type DedupeOrder = 'process-first' | 'record-first';

export interface DedupeTableOptions {
  readonly maxEntries?: number;
  readonly maxAgeMs?: number;
  /** Persist to this append-only file (created if absent, reloaded at start). */
  readonly file?: string;
  /** The file is written by other receivers too: read their records on a miss. */
  readonly shared?: boolean;
  /** fsync after each append. */
  readonly sync?: boolean;
  readonly order?: DedupeOrder;
  /**
   * Rewrite the file at start with only the records kept (the newest maxEntries within
   * maxAgeMs), so it does not grow for ever. Off by default: the records' values (results)
   * of forgotten keys are dropped with them. Not with `shared`.
   */
  readonly compactAtStart?: boolean;
  /** The clock (ms), for tests. */
  readonly now?: () => number;
}

export const kDefaultMaxEntries = 10_000;

const checks: OptionChecks = {
  maxEntries: mustBePositiveInteger,
  maxAgeMs: (v) => (v === Infinity || (typeof v === 'number' && v > 0 && Number.isFinite(v)) ? null : 'must be a positive number of milliseconds or Infinity'),
  file: (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a file path'),
  shared: mustBeBoolean,
  sync: mustBeBoolean,
  order: (v) => (v === 'process-first' || v === 'record-first' ? null : "must be 'process-first' or 'record-first'"),
  compactAtStart: mustBeBoolean,
  now: mustBeFunction,
};

export interface DedupeStats {
  readonly size: number;
  /** Keys forgotten because of maxEntries. */
  readonly evictedBySize: number;
  /** Keys forgotten because of maxAgeMs. */
  readonly evictedByAge: number;
  /** Lookups that found the key (duplicates). */
  readonly hits: number;
  /** Records read from the file: at start, and when shared every one appended since (this table's own included). */
  readonly loaded: number;
}

export class DedupeTable {
  readonly maxEntries: number;
  readonly maxAgeMs: number;
  readonly order: DedupeOrder;
  /** Key -> when it was recorded; Map order is least recently used first. */
  private readonly keys = new Map<string, number>();
  private readonly file: DedupeFile | null;
  private readonly shared: boolean;
  private readonly now: () => number;
  private evictedBySize = 0;
  private evictedByAge = 0;
  private hits = 0;
  private loaded = 0;

  constructor(opts?: DedupeTableOptions) {
    checkOptions('DedupeTable', checks, opts);
    const o = opts ?? {};
    this.maxEntries = o.maxEntries ?? kDefaultMaxEntries;
    this.maxAgeMs = o.maxAgeMs ?? Infinity;
    this.order = o.order ?? 'process-first';
    this.shared = o.shared === true;
    this.now = o.now ?? Date.now;
    if (o.file === undefined) {
      for (const k of ['shared', 'sync', 'compactAtStart'] as const) {
        if (o[k] !== undefined) throw new InvalidOptionError(k, `DedupeTable: option "${k}" needs option "file"`);
      }
    }
    if (o.shared === true && o.compactAtStart === true) {
      throw new InvalidOptionError('compactAtStart', 'DedupeTable: option "compactAtStart" cannot be used with "shared" (the other writers\' appends would be lost)');
    }
    this.file = o.file === undefined ? null : new DedupeFile(o.file, o.sync === true);
    if (this.file !== null) {
      const records = this.file.load();
      this.take(records);
      if (o.compactAtStart === true && records.length > this.keys.size) {
        this.file.compact(records.filter((r) => this.keys.get(r.k) === r.t));
      }
    }
  }

  /** Has `key` been recorded (and not forgotten)? A hit counts as a use (LRU). */
  has(key: string): boolean {
    if (this.lookup(key)) return true;
    if (this.shared && this.file !== null) {
      this.take(this.file.readNew());
      return this.lookup(key);
    }
    return false;
  }

  /** Remember `key` (persisted first when there is a file; `value` is written with it). */
  record(key: string, value?: unknown): void {
    const t = this.now();
    this.file?.append(value === undefined ? { k: key, t } : { k: key, t, v: value });
    this.keys.delete(key);
    this.keys.set(key, t);
    this.sweep(t);
  }

  get size(): number {
    return this.keys.size;
  }

  stats(): DedupeStats {
    return { size: this.keys.size, evictedBySize: this.evictedBySize, evictedByAge: this.evictedByAge, hits: this.hits, loaded: this.loaded };
  }

  /** Close the file (the table forgets nothing it holds in memory). */
  close(): void {
    this.file?.close();
  }

  private lookup(key: string): boolean {
    const t = this.keys.get(key);
    if (t === undefined) return false;
    this.keys.delete(key);
    if (this.now() - t > this.maxAgeMs) {
      this.evictedByAge++;
      return false;
    }
    this.keys.set(key, t); // most recently used now
    this.hits++;
    return true;
  }

  /** Records read from the file, in file order (a key's first record counts); bounds applied. */
  private take(records: readonly DedupeRecord[]): void {
    const now = this.now();
    for (const r of records) {
      this.loaded++;
      if (now - r.t > this.maxAgeMs || this.keys.has(r.k)) continue;
      this.keys.set(r.k, r.t);
    }
    this.sweep(now);
  }

  private sweep(now: number): void {
    while (this.keys.size > this.maxEntries) {
      this.keys.delete(this.keys.keys().next().value as string);
      this.evictedBySize++;
    }
    if (this.maxAgeMs === Infinity) return;
    for (const [k, t] of this.keys) {
      if (now - t <= this.maxAgeMs) break;
      this.keys.delete(k);
      this.evictedByAge++;
    }
  }
}
