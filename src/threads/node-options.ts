/**
 * startNode's options: what they are, how they are checked, their defaults, and which of
 * them a node of each kind takes.
 *
 *   schedulers: 0        one scheduler on the calling thread (LocalNode): budget,
 *                        maxReductionsPerMessage, maxHeapSize, quantumMs, callTimeoutMs
 *   schedulers: 1..1024  one scheduler per worker thread (ThreadedNode): all of them
 *
 * Checking, in order (messages from core/options.ts, prefixed `startNode:`):
 *   1. every key is known and every value meets its requirement;
 *   2. with `schedulers: 0`, an option that only scheduler threads have (ringBytes,
 *      spinUs, ...) is refused: `startNode: option "ringBytes" applies only with
 *      schedulers >= 1` — it would otherwise be silently ignored.
 * Both raise InvalidOptionError naming the option. An option set to `undefined` means its
 * default.
 */
import { availableParallelism } from 'node:os';
import { InvalidOptionError } from '../core/errors.ts';
import type { LocalNodeOptions } from '../core/local-node.ts';
import {
  checkOptions, isInteger, mustBeFunction, mustBeNonNegativeInteger, mustBePositiveInteger, mustBeTimeout, type OptionChecks,
} from '../core/options.ts';
import type { BalanceMode } from './migration.ts';
import { msaccInterval, msaccOptionCheck, type MsaccOption } from '../core/msacc/node-msacc.ts';
import type { SchedulerDownEvent } from './scheduler-down.ts';

export interface NodeOptions {
  /**
   * Scheduler threads, 0 to 1024 (default: os.availableParallelism()). 0 runs one
   * scheduler on the calling thread (a LocalNode).
   */
  schedulers?: number;
  /** Reductions per slice (default 4000). */
  budget?: number;
  maxReductionsPerMessage?: number;
  /** Default heap limit of every actor, bytes (0 = none). */
  maxHeapSize?: number;
  /** Milliseconds a scheduler runs before yielding to its thread's event loop (default 2; 5 with schedulers: 0). */
  quantumMs?: number;
  /** Default timeout of `call`, ms, or Infinity (default 5000). */
  callTimeoutMs?: number;
  /** Data bytes of each ring, a power of two (default 256 KiB). Threads only. */
  ringBytes?: number;
  /** Bound of each per-destination overflow, bytes (default 1 MiB). See endpoint.ts. Threads only. */
  overflowBytes?: number;
  /** Capacity of the node-wide name table (default 1024). Threads only. */
  maxNames?: number;
  /** Microseconds an idle scheduler polls its rings before parking (default 500: longer than a wake-up from a park takes on a busy machine, so two schedulers passing work back and forth do not fall into park/wake on every exchange). Threads only. */
  spinUs?: number;
  /** Milliseconds `stop()` waits for a worker to exit before terminating it (default 5000). Threads only. */
  stopTimeoutMs?: number;
  /** Called when a scheduler thread dies (also emitted as 'schedulerDown'). Threads only. */
  onSchedulerDown?: (event: SchedulerDownEvent) => void;
  /**
   * How load is balanced (default 'steal'): 'steal' keeps every spawn on its parent's
   * scheduler (as Erlang does) and lets an idle scheduler steal new spawns of busy ones,
   * pid and all (stealing.ts); 'migrate' does that and also moves running actors of a
   * scheduler that stays overloaded to a lighter one (migration.ts); 'spawn' places new
   * spawns of an overloaded scheduler elsewhere by load estimate (balancer.ts) and never
   * moves a running actor. Threads only.
   */
  balance?: BalanceMode;
  /**
   * Microstate accounting (profile/msacc): true (default) samples every thread's state
   * every 1 ms, `{ intervalMs }` at another period, false turns the sampler off.
   */
  msacc?: MsaccOption;
}

/** The options of a ThreadedNode with every default filled in. */
export interface ThreadedNodeConfig {
  readonly schedulers: number;
  readonly budget: number | undefined;
  readonly maxReductionsPerMessage: number | undefined;
  readonly maxHeapSize: number | undefined;
  readonly quantumMs: number;
  readonly callTimeoutMs: number;
  readonly ringBytes: number;
  readonly overflowBytes: number;
  readonly maxNames: number;
  readonly spinUs: number;
  readonly stopTimeoutMs: number;
  readonly onSchedulerDown: ((event: SchedulerDownEvent) => void) | undefined;
  readonly balance: BalanceMode;
  /** The microstate sampling period, ms, or null (off). */
  readonly msaccIntervalMs: number | null;
}

export const kMaxSchedulers = 1024;

const threadDefaults = {
  quantumMs: 2,
  callTimeoutMs: 5000,
  ringBytes: 1 << 18,
  overflowBytes: 1 << 20,
  maxNames: 1024,
  spinUs: 500,
  stopTimeoutMs: 5000,
  balance: 'steal' as BalanceMode,
};

const nodeOptionChecks: OptionChecks = {
  schedulers: (v) => (isInteger(v) && v >= 0 && v <= kMaxSchedulers ? null : `must be an integer from 0 to ${kMaxSchedulers}`),
  budget: (v) => (isInteger(v) && v >= 1 && v <= 1e9 ? null : 'must be an integer from 1 to 1e9'),
  maxReductionsPerMessage: mustBePositiveInteger,
  maxHeapSize: (v) => (isInteger(v) && v >= 0 ? null : 'must be a non-negative integer (bytes; 0 = none)'),
  quantumMs: (v) => (typeof v === 'number' && v > 0 && v <= 1000 ? null : 'must be a number of milliseconds in (0, 1000]'),
  callTimeoutMs: mustBeTimeout,
  ringBytes: (v) => (isInteger(v) && v >= 4096 && v <= 1 << 28 && (v & (v - 1)) === 0 ? null : 'must be a power of two from 4096 to 2^28'),
  overflowBytes: mustBeNonNegativeInteger,
  maxNames: (v) => (isInteger(v) && v >= 1 && v <= 1 << 20 ? null : 'must be an integer from 1 to 2^20'),
  spinUs: (v) => (typeof v === 'number' && v >= 0 && v <= 1e6 ? null : 'must be a number of microseconds from 0 to 1e6'),
  stopTimeoutMs: mustBeNonNegativeInteger,
  onSchedulerDown: mustBeFunction,
  balance: (v) => (v === 'steal' || v === 'spawn' || v === 'migrate' ? null : "must be 'steal', 'spawn' or 'migrate'"),
  msacc: msaccOptionCheck,
};

/** Options only scheduler threads have (step 2). */
const threadOnlyOptions = ['ringBytes', 'overflowBytes', 'maxNames', 'spinUs', 'stopTimeoutMs', 'onSchedulerDown', 'balance'] as const;

/** Steps 1-2; returns the number of schedulers the node gets. */
export function checkNodeOptions(opts: NodeOptions | undefined): number {
  checkOptions('startNode', nodeOptionChecks, opts);
  const schedulers = opts?.schedulers ?? Math.min(availableParallelism(), kMaxSchedulers);
  if (schedulers === 0) {
    for (const k of threadOnlyOptions) {
      if (opts![k] !== undefined) throw new InvalidOptionError(k, `startNode: option "${k}" applies only with schedulers >= 1`);
    }
  }
  return schedulers;
}

/** What a LocalNode takes of checked options (`schedulers: 0`): quantumMs is its scheduler's maxBusyMs. */
export function localNodeOptions(opts: NodeOptions | undefined): LocalNodeOptions {
  const out: Record<string, unknown> = {};
  if (opts === undefined) return out;
  if (opts.budget !== undefined) out['budget'] = opts.budget;
  if (opts.maxReductionsPerMessage !== undefined) out['maxReductionsPerMessage'] = opts.maxReductionsPerMessage;
  if (opts.maxHeapSize !== undefined) out['maxHeapSize'] = opts.maxHeapSize;
  if (opts.quantumMs !== undefined) out['maxBusyMs'] = opts.quantumMs;
  if (opts.callTimeoutMs !== undefined) out['callTimeoutMs'] = opts.callTimeoutMs;
  if (opts.msacc !== undefined) out['msacc'] = opts.msacc;
  return out as LocalNodeOptions;
}

/** A ThreadedNode's configuration from checked options and `schedulers` >= 1. */
export function threadedNodeConfig(opts: NodeOptions | undefined, schedulers: number): ThreadedNodeConfig {
  const o = opts ?? {};
  return {
    schedulers,
    budget: o.budget,
    maxReductionsPerMessage: o.maxReductionsPerMessage,
    maxHeapSize: o.maxHeapSize,
    quantumMs: o.quantumMs ?? threadDefaults.quantumMs,
    callTimeoutMs: o.callTimeoutMs ?? threadDefaults.callTimeoutMs,
    ringBytes: o.ringBytes ?? threadDefaults.ringBytes,
    overflowBytes: o.overflowBytes ?? threadDefaults.overflowBytes,
    maxNames: o.maxNames ?? threadDefaults.maxNames,
    spinUs: o.spinUs ?? threadDefaults.spinUs,
    stopTimeoutMs: o.stopTimeoutMs ?? threadDefaults.stopTimeoutMs,
    onSchedulerDown: o.onSchedulerDown,
    balance: o.balance ?? threadDefaults.balance,
    msaccIntervalMs: msaccInterval(o.msacc),
  };
}

/** The scheduler options every worker's Scheduler gets (those that were given). */
export function workerSchedulerOptions(c: ThreadedNodeConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (c.budget !== undefined) out['budget'] = c.budget;
  if (c.maxReductionsPerMessage !== undefined) out['maxReductionsPerMessage'] = c.maxReductionsPerMessage;
  if (c.maxHeapSize !== undefined) out['maxHeapSize'] = c.maxHeapSize;
  return out;
}
