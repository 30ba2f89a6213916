/**
 * Microstate area: the shared memory through which a node's threads say what they are
 * doing right now (one Int32 "current microstate" word per thread) and a sampler thread
 * (src/profile/msacc/sampler.ts) counts how often it found each thread in each state.
 *
 *   area (msaccBytes(T) bytes, 8-byte aligned, in the node's SharedArrayBuffer or its own)
 *   +-------------------------------- header, 64 bytes ------------------------------------+
 *   | Int32 seq (sampler's seqlock) | pad | f64 ticks | f64 elapsedMs | f64 intervalMs | ... |
 *   +------------------------- thread t at 64 + t * 192 bytes ----------------------------+
 *   | Int32 state word | pad | f64 gcMs | f64 gcCount | f64 count[0..kMsStates) | f64 ms[0..kMsStates) |
 *   +---------------------------------------------------------------------------------------+
 *
 * Protocol:
 *   1. The thread that owns block t does a plain Int32 store of its new state into the
 *      word at each transition (`ms[0] = kMsActor`): no clock read, no atomic RMW (~1 ns).
 *      Nested states (the codec inside an actor's send) save the word, store theirs and
 *      put the saved one back.
 *   2. The sampler, every `intervalMs`: Atomics.add(seq, 1) (odd), for each thread
 *      Atomics.load its word, add 1 to count[state] and the wall time since its
 *      last tick (dt) to ms[state]; ticks += 1, elapsedMs += dt; Atomics.add(seq, 1) (even). It is the only writer of the
 *      counts, ticks and elapsedMs.
 *   3. The owning thread adds every GC pause's duration (PerformanceObserver 'gc',
 *      profile/msacc/gc-observer.ts) to gcMs and 1 to gcCount: exact, not sampled.
 *   4. A reader (node.stats(), any thread) copies under the seqlock and turns counts into
 *      the report: ms[s] as summed (monotonic: a Prometheus counter), the
 *      shares count[s] / ticks (readMicrostates). The time since the last tick goes to the
 *      state seen at this one: with dt about intervalMs, that is the sampling estimate.
 *
 * Erlang mapping (erts msacc states): actor = emulator, gc = gc, ring = port/check_io
 * (moving data between threads), timers = timers, housekeeping = aux/other (exits,
 * migration, pending work), spin = busy_wait, parked = sleep; codec has no state of its
 * own in erts (term_to_binary runs in emulator); idle (the thread's event loop, outside
 * the scheduler) has none either: a BEAM scheduler never leaves its loop.
 */

export const kMsIdle = 0;
export const kMsActor = 1;
export const kMsCodec = 2;
export const kMsRing = 3;
export const kMsTimers = 4;
export const kMsHousekeeping = 5;
export const kMsSpin = 6;
export const kMsParked = 7;
export const kMsStates = 8;
export const kMsStateNames = ['idle', 'actor', 'codec', 'ring', 'timers', 'housekeeping', 'spin', 'parked'] as const;
export type Microstate = (typeof kMsStateNames)[number];

const kHeaderBytes = 64;
const kThreadBytes = 192;
// Float64 slots.
const kHdrTicks = 1;
const kHdrElapsed = 2;
const kHdrInterval = 3;
export const kMsGcMs = 1;
export const kMsGcCount = 2;
const kMsCount0 = 3;
const kMsTime0 = kMsCount0 + kMsStates;

/** Bytes of an area for `threads` threads. */
export function msaccBytes(threads: number): number {
  return kHeaderBytes + threads * kThreadBytes;
}

/** Thread t's state word (a one-element view: `word[0] = state`). */
export function microstateWord(sab: SharedArrayBuffer, areaOffset: number, t: number): Int32Array {
  return new Int32Array(sab, areaOffset + kHeaderBytes + t * kThreadBytes, 1);
}

/** Thread t's float64 slots (gcMs, gcCount: written by that thread only). */
export function microstateSlots(sab: SharedArrayBuffer, areaOffset: number, t: number): Float64Array {
  return new Float64Array(sab, areaOffset + kHeaderBytes + t * kThreadBytes, kThreadBytes / 8);
}

/** A word nobody samples: the default of a scheduler with no area (unit tests, `msacc: false`). */
export function unsampledWord(): Int32Array {
  return new Int32Array(1);
}

/** One thread's accounting, as node.stats() reports it. */
export interface MicrostateReport {
  /** Sampled ticks the figures rest on; relative error of a state's share is about 1 / sqrt(its count). */
  readonly samples: number;
  /** The sampling period asked for, ms. */
  readonly intervalMs: number;
  /** Wall time covered by the samples, ms. */
  readonly elapsedMs: number;
  /** Estimated wall ms per state (each tick's dt to the state it saw; sums to elapsedMs). */
  readonly ms: Readonly<Record<Microstate, number>>;
  /** Share of samples per state (sums to 1 when samples > 0). */
  readonly fractions: Readonly<Record<Microstate, number>>;
  /** Exact GC pause time of this thread (PerformanceObserver 'gc'), ms, and pauses; it overlaps the sampled states. */
  readonly gcMs: number;
  readonly gcCount: number;
}

/** Step 4 for thread t. */
export function readMicrostates(sab: SharedArrayBuffer, areaOffset: number, t: number): MicrostateReport {
  const seq = new Int32Array(sab, areaOffset, 1);
  const hdr = new Float64Array(sab, areaOffset, 4);
  const th = microstateSlots(sab, areaOffset, t);
  const counts = new Float64Array(kMsStates);
  const times = new Float64Array(kMsStates);
  let ticks = 0;
  let elapsed = 0;
  for (let attempt = 0; ; attempt++) {
    const s1 = Atomics.load(seq, 0);
    if ((s1 & 1) !== 0 && attempt < 1000) continue;
    ticks = hdr[kHdrTicks]!;
    elapsed = hdr[kHdrElapsed]!;
    for (let i = 0; i < kMsStates; i++) {
      counts[i] = th[kMsCount0 + i]!;
      times[i] = th[kMsTime0 + i]!;
    }
    if (Atomics.load(seq, 0) === s1 || attempt >= 1000) break;
  }
  const ms = {} as Record<Microstate, number>;
  const fractions = {} as Record<Microstate, number>;
  for (let i = 0; i < kMsStates; i++) {
    const name = kMsStateNames[i]!;
    ms[name] = times[i]!;
    fractions[name] = ticks > 0 ? counts[i]! / ticks : 0;
  }
  return { samples: ticks, intervalMs: hdr[kHdrInterval]!, elapsedMs: elapsed, ms, fractions, gcMs: th[kMsGcMs]!, gcCount: th[kMsGcCount]! };
}

/** Header and count slots, for the sampler (step 2). */
export const kMsaccLayout = { headerBytes: kHeaderBytes, threadBytes: kThreadBytes, ticks: kHdrTicks, elapsed: kHdrElapsed, interval: kHdrInterval, count0: kMsCount0, time0: kMsTime0 } as const;
