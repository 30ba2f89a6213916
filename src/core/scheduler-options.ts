/**
 * Scheduler options and spawn options: their defaults and their validation (with the one
 * option validator, options.ts), so every bad option reads
 *   `new Scheduler: option "budget" must be ...`   /   `spawn: option "link" must be ...`
 *   `new Scheduler: unknown option "x"`             /   `spawn: unknown option "x"`
 * and throws InvalidOptionError naming the option.
 */
import { kDefaultMaxReductionsPerMessage } from './reductions.ts';
import {
  checkOptions, isInteger, mustBeBoolean, mustBeNonNegativeInteger, mustBePositiveInteger, type OptionChecks,
} from './options.ts';
import type { SpawnOptions } from './types.ts';

export interface SchedulerOptions {
  /** Reductions per slice (the BEAM uses 4000). */
  readonly budget: number;
  /** Hard limit of reductions for one message of synchronous instrumented code. */
  readonly maxReductionsPerMessage: number;
  /** Default heap limit in bytes for every actor (0 = none). */
  readonly maxHeapSize: number;
  /** Milliseconds the event-loop driver runs before yielding to I/O. */
  readonly maxBusyMs: number;
  /** Clock in milliseconds (default: performance.now). */
  readonly clock: (() => number) | null;
  /** This scheduler's index on the node, and the number of pid-owning endpoints. */
  readonly index: number;
  readonly stride: number;
}

export const defaultSchedulerOptions: SchedulerOptions = Object.freeze({
  budget: 4000,
  maxReductionsPerMessage: kDefaultMaxReductionsPerMessage,
  maxHeapSize: 0,
  maxBusyMs: 5,
  clock: null,
  index: 0,
  stride: 1,
});

const schedulerChecks: OptionChecks = {
  budget: (v) => (isInteger(v) && v >= 1 && v <= 1e9 ? null : 'must be an integer from 1 to 1e9'),
  maxReductionsPerMessage: mustBePositiveInteger,
  maxHeapSize: (v) => (isInteger(v) && v >= 0 ? null : 'must be a non-negative integer (bytes; 0 = none)'),
  maxBusyMs: (v) => (typeof v === 'number' && v > 0 && v <= 1000 ? null : 'must be a number of milliseconds in (0, 1000]'),
  clock: (v) => (v === null || typeof v === 'function' ? null : 'must be a function returning milliseconds'),
  index: mustBeNonNegativeInteger,
  stride: mustBePositiveInteger,
};

/** Check scheduler options and merge them with the defaults. */
export function validateSchedulerOptions(opts: Partial<SchedulerOptions> | undefined): SchedulerOptions {
  if (opts === undefined) return defaultSchedulerOptions;
  checkOptions('new Scheduler', schedulerChecks, opts);
  const out: Record<string, unknown> = { ...defaultSchedulerOptions };
  for (const k of Object.keys(opts)) {
    const v = (opts as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v; // undefined means the default
  }
  return Object.freeze(out as unknown as SchedulerOptions);
}

const spawnChecks: OptionChecks = {
  link: mustBeBoolean,
  trapExit: mustBeBoolean,
  priority: (v) => (v === 'high' || v === 'normal' || v === 'low' ? null : "must be 'high', 'normal' or 'low'"),
  maxHeapSize: (v) => (isInteger(v) && v >= 0 ? null : 'must be a non-negative integer (bytes)'),
  maxMailbox: (v) => (isInteger(v) && v >= 1 ? null : 'must be a positive integer (messages)'),
  mailboxPolicy: (v) => (v === 'drop-newest' || v === 'kill' ? null : "must be 'drop-newest' or 'kill'"),
  maxReductionsPerMessage: mustBePositiveInteger,
  name: (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a non-empty string'),
  scheduler: (v) => (isInteger(v) && v >= 0 ? null : 'must be a scheduler index'),
};

export function validateSpawnOptions(opts: SpawnOptions | undefined): void {
  checkOptions('spawn', spawnChecks, opts);
}
