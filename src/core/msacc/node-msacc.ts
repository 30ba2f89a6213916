/**
 * NodeMsacc: a node's microstate accounting, from the node's side (both node kinds own
 * one): it registers the node's microstate area with the process's sampler, observes GC
 * on the embedding thread, and turns the area into node.stats()'s msacc blocks and rates.
 *
 *   1. Constructed with the node: `intervalMs` null (`msacc: false`) registers nothing
 *      (every `report(t)` then reads samples 0, intervalMs 0); else sampleArea(...) (threads/msacc-sampler.ts, through
 *      setMicrostateSampler; none installed: not sampled) and, for the
 *      embedding thread's block, observeGc (gc-observer.ts). Scheduler threads observe
 *      their own GC (worker-loop.ts).
 *   2. `report(t)`: readMicrostates (core/microstate.ts) of thread t.
 *   3. `rates(t, now, counters)`: per-second rates over the last 1-2 s (rates.ts).
 *   4. `stop()` (the node's stop): unregister from the sampler and the GC observer.
 * Erlang mapping: `msacc:start/0` + `msacc:stats/0`, but always on (see sampler.ts).
 */
import { microstateSlots, readMicrostates, type MicrostateReport } from '../microstate.ts';
import { observeGc } from './gc-observer.ts';
import { RateWindow, type CounterRates, type CounterReading } from './rate-window.ts';

/** The sampling period of `msacc: true`, in ms. */
export const kDefaultMsaccIntervalMs = 1;

/**
 * The process's sampler (threads/msacc-sampler.ts registers it when loaded: it is a worker
 * thread, and core knows nothing of threads). Without one, areas are not sampled.
 */
export type SampleArea = (sab: SharedArrayBuffer, offset: number, threads: number, intervalMs: number) => () => void;
let sampleArea: SampleArea | null = null;

/** Install the process's sampler (once, by threads/msacc-sampler.ts). */
export function setMicrostateSampler(f: SampleArea): void {
  sampleArea = f;
}

/** The `msacc` node option: true (default: sample every 1 ms), false (off), or { intervalMs }. */
export type MsaccOption = boolean | { readonly intervalMs?: number };

/** The period in ms of a checked option (msaccOptionCheck), or null when off. */
export function msaccInterval(v: MsaccOption | undefined): number | null {
  if (v === undefined || v === true) return kDefaultMsaccIntervalMs;
  if (v === false) return null;
  return v.intervalMs ?? kDefaultMsaccIntervalMs;
}

/** The check for a checkOptions table (node-options.ts, local-node.ts). */
export function msaccOptionCheck(v: unknown): string | null {
  if (typeof v === 'boolean') return null;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be a boolean or { intervalMs }';
  const keys = Object.keys(v);
  if (keys.some((k) => k !== 'intervalMs')) return 'must be a boolean or { intervalMs }';
  const i = (v as { intervalMs?: unknown }).intervalMs;
  if (i !== undefined && !(typeof i === 'number' && i >= 0.1 && i <= 1000)) return 'must be a boolean or { intervalMs } with intervalMs a number of milliseconds from 0.1 to 1000';
  return null;
}

export class NodeMsacc {
  readonly intervalMs: number | null;
  private readonly sab: SharedArrayBuffer;
  private readonly offset: number;
  private readonly windows: RateWindow[] = [];
  private unsample: (() => void) | null = null;
  private unobserve: (() => void) | null = null;

  /** Step 1: `threads` blocks at `offset` of `sab`; `embedding` is the embedding thread's block. */
  constructor(sab: SharedArrayBuffer, offset: number, threads: number, embedding: number, intervalMs: number | null) {
    this.sab = sab;
    this.offset = offset;
    this.intervalMs = intervalMs;
    for (let t = 0; t < threads; t++) this.windows.push(new RateWindow());
    if (intervalMs === null) return;
    this.unsample = sampleArea !== null ? sampleArea(sab, offset, threads, intervalMs) : null;
    this.unobserve = observeGc(microstateSlots(sab, offset, embedding));
  }

  /** Step 2 (with `msacc: false` the area was never sampled: samples 0, intervalMs 0). */
  report(t: number): MicrostateReport {
    return readMicrostates(this.sab, this.offset, t);
  }

  /** Step 3. */
  rates(t: number, now: number, c: CounterReading): CounterRates {
    return this.windows[t]!.update(now, c);
  }

  /** Step 4 (idempotent). */
  stop(): void {
    this.unsample?.();
    this.unobserve?.();
    this.unsample = this.unobserve = null;
  }
}
