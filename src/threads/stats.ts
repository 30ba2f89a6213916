/**
 * Stats block: each scheduler publishes its counters into its own 256-byte block of the
 * node's SharedArrayBuffer; `node.stats()` (any thread, a profiler) reads them without
 * messaging anyone and without stopping anyone.
 *
 *   block k (256 bytes = 32 float64 slots)
 *   +------+-------+------+------+--------+--------+-----------+--------+---------+---
 *   | seq  | state | busy | spin | parked | runQ   | reductions| msgsIn | msgsOut | ...
 *   +------+-------+------+------+--------+--------+-----------+--------+---------+---
 *     slot 0 holds the Int32 sequence word (seqlock), slots 1.. the float64 fields below.
 *
 * Publishing (the scheduler's thread, a few times per millisecond at most: at the end of
 * each busy quantum and before parking): Atomics.add(seq, 1) (odd: writing), store the
 * fields, Atomics.add(seq, 1) (even: done). Reading: load seq (retry while odd), copy the
 * fields, load seq again; retry if it changed. Times are milliseconds of wall time spent
 * in each state since the scheduler started (the BEAM's scheduler wall time and
 * microstate accounting): busy = running actors and handling records, spin = polling for
 * work before parking, parked = asleep on the doorbell.
 */

import type { NodeSchedulerStats } from '../core/node.ts';
import type { MicrostateReport } from '../core/microstate.ts';

/** Bytes per scheduler block. */
export const kStatsBlockBytes = 256;
const kSlots = kStatsBlockBytes / 8;

// Field slots (float64 index in the block).
export const kStState = 1;
export const kStBusyMs = 2;
export const kStSpinMs = 3;
export const kStParkedMs = 4;
export const kStRunQueue = 5;
export const kStReductions = 6;
export const kStMsgsIn = 7;
export const kStMsgsOut = 8;
export const kStRecordsIn = 9;
export const kStRecordsOut = 10;
export const kStActors = 11;
export const kStSlices = 12;
export const kStParks = 13;
export const kStRingFull = 14;
export const kStOverflowBytes = 15;
export const kStHeldActors = 16;
export const kStBlockedWaits = 17;
export const kStSpawns = 18;
export const kStExits = 19;
export const kStUpdatedAt = 20;
export const kStHolds = 21;
export const kStMigrations = 22;
export const kStRemoteSpawns = 23;
export const kStMigrationsOut = 24;
export const kStMigrationsIn = 25;
export const kStGuests = 26;
export const kStForwarded = 27;
export const kStFields = 28;

/** Values of the state field. */
export const kStateStarting = 0;
export const kStateRunning = 1;
export const kStateSpinning = 2;
export const kStateParked = 3;
export const kStateStopped = 4;
export const kStateDown = 5;
export const kStateNames = ['starting', 'running', 'spinning', 'parked', 'stopped', 'down'] as const;
export type SchedulerState = (typeof kStateNames)[number];

/** One scheduler thread's counters: the Node report's fields (core/node.ts), and ring, park and migration counters. */
export interface SchedulerStats extends NodeSchedulerStats {
  scheduler: number;
  state: SchedulerState;
  busyMs: number;
  spinMs: number;
  parkedMs: number;
  /** busy / (busy + spin + parked). */
  utilisation: number;
  runQueue: number;
  reductions: number;
  messagesIn: number;
  messagesOut: number;
  /** Ring records received from / sent to other endpoints (messages and signals). */
  recordsIn: number;
  recordsOut: number;
  actors: number;
  slices: number;
  parks: number;
  /** Times a ring to another endpoint was found full (the record went to the overflow). */
  ringFull: number;
  overflowBytes: number;
  /** Actors held (descheduled) right now because their destination's ring was full. */
  heldActors: number;
  /** Times an actor was held so, in all. */
  holds: number;
  /** Times the thread had to wait for ring space (overflow at its bound). */
  blockedWaits: number;
  spawns: number;
  exits: number;
  /**
   * Spawns placed on another scheduler instead of this one, their parent's: stolen by an
   * idle scheduler (the default 'steal', stealing.ts) or shared by load (balance 'spawn',
   * balancer.ts). Live moves of running actors are counted in
   * `migrationsOut` / `migrationsIn`.
   */
  migrations: number;
  /** Actors spawned here by an actor of another scheduler (placement.ts). */
  remoteSpawns: number;
  /** Running actors this scheduler moved to another one (live migration, migration.ts). */
  migrationsOut: number;
  /** Actors of other schedulers that moved here (live migration). */
  migrationsIn: number;
  /** Guests running here right now (moved-in actors still alive). */
  guests: number;
  /** Ring records this scheduler forwarded to the host of a moved actor. */
  forwarded: number;
  /** performance.timeOrigin-based epoch ms of the last publish. */
  updatedAt: number;
  /** Microstates of the scheduler's thread (profile/msacc; samples 0 with `msacc: false`); set by node.stats(). */
  msacc?: MicrostateReport;
  /** Per second over the last 1-2 s of node.stats() readings (profile/msacc/rates.ts). */
  rates?: { readonly reductions: number; readonly messages: number; readonly spawns: number; readonly exits: number };
}

/** The writing side, in the scheduler's thread. Fill `fields`, then `publish()`. */
export class StatsWriter {
  readonly fields = new Float64Array(kSlots);
  private readonly shared: Float64Array;
  private readonly seq: Int32Array;

  constructor(sab: SharedArrayBuffer, byteOffset: number) {
    this.shared = new Float64Array(sab, byteOffset, kSlots);
    this.seq = new Int32Array(sab, byteOffset, 2);
  }

  publish(): void {
    this.fields[kStUpdatedAt] = performance.timeOrigin + performance.now();
    // Odd: readers retry. Sequentially consistent, so the field stores below are not
    // observed before it by a reader that then sees the even value after them.
    Atomics.add(this.seq, 0, 1);
    for (let i = 1; i < kStFields; i++) this.shared[i] = this.fields[i]!;
    // Even: a consistent snapshot is readable again.
    Atomics.add(this.seq, 0, 1);
  }

  /** Set only the state field (e.g. parked), cheaply, as its own snapshot. */
  setState(state: number): void {
    this.fields[kStState] = state;
    Atomics.add(this.seq, 0, 1);
    this.shared[kStState] = state;
    Atomics.add(this.seq, 0, 1);
  }
}

/** Read scheduler `k`'s block (any thread). */
export function readStats(sab: SharedArrayBuffer, byteOffset: number, k: number): SchedulerStats {
  const shared = new Float64Array(sab, byteOffset, kSlots);
  const seq = new Int32Array(sab, byteOffset, 2);
  const f = new Float64Array(kStFields);
  for (let attempt = 0; ; attempt++) {
    const s1 = Atomics.load(seq, 0);
    if ((s1 & 1) !== 0 && attempt < 1000) continue;
    for (let i = 1; i < kStFields; i++) f[i] = shared[i]!;
    if (Atomics.load(seq, 0) === s1 || attempt >= 1000) break;
  }
  const busy = f[kStBusyMs]!;
  const total = busy + f[kStSpinMs]! + f[kStParkedMs]!;
  return {
    scheduler: k,
    state: kStateNames[f[kStState]!] ?? 'starting',
    busyMs: busy,
    spinMs: f[kStSpinMs]!,
    parkedMs: f[kStParkedMs]!,
    utilisation: total > 0 ? busy / total : 0,
    runQueue: f[kStRunQueue]!,
    reductions: f[kStReductions]!,
    messagesIn: f[kStMsgsIn]!,
    messagesOut: f[kStMsgsOut]!,
    recordsIn: f[kStRecordsIn]!,
    recordsOut: f[kStRecordsOut]!,
    actors: f[kStActors]!,
    slices: f[kStSlices]!,
    parks: f[kStParks]!,
    ringFull: f[kStRingFull]!,
    overflowBytes: f[kStOverflowBytes]!,
    heldActors: f[kStHeldActors]!,
    holds: f[kStHolds]!,
    blockedWaits: f[kStBlockedWaits]!,
    spawns: f[kStSpawns]!,
    exits: f[kStExits]!,
    migrations: f[kStMigrations]!,
    remoteSpawns: f[kStRemoteSpawns]!,
    migrationsOut: f[kStMigrationsOut]!,
    migrationsIn: f[kStMigrationsIn]!,
    guests: f[kStGuests]!,
    forwarded: f[kStForwarded]!,
    updatedAt: f[kStUpdatedAt]!,
  };
}

/** Mark a block's state from another thread (the main thread, for a dead worker). */
export function markStatsState(sab: SharedArrayBuffer, byteOffset: number, state: number): void {
  const shared = new Float64Array(sab, byteOffset, kSlots);
  const seq = new Int32Array(sab, byteOffset, 2);
  Atomics.add(seq, 0, 1);
  shared[kStState] = state;
  Atomics.add(seq, 0, 1);
}
