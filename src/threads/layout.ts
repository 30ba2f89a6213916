/**
 * Node layout: where everything the threads of one node share lives, in ONE
 * SharedArrayBuffer. Every thread computes the same layout from the same parameters
 * (`computeLayout`), so only the buffer and the parameters cross `postMessage`, once, at
 * start.
 *
 * Endpoints. A node with N schedulers has E = N + 1 endpoints: the schedulers 0..N-1, each
 * pinned to its worker thread, and the gateway N, in the thread that called `startNode`.
 * Pids are partitioned by endpoint: endpoint k owns the ids `id % E === k` (the
 * Scheduler's `{ index: k, stride: E }`), so any thread routes a pid with one modulo. The
 * gateway owns exactly one pid, `<0.N.0>`, which call replies and DOWN messages for the
 * embedding's calls are addressed to.
 *
 *   offset 0  +--------------------------------------------------------------------+
 *             | control: Int32 words                                               |
 *             |   [0] kMagic  [1] E  [2..2+E) alive[e] (1 running, 0 down/stopped)  |
 *             |   [kSpaceBase + r] spaceWanted[r], one per ring r                   |
 *             |   [killBase + k*(1+2E)] kill block of scheduler k (kill-flags.ts):   |
 *             |       any, then per sender endpoint j: (target id + 1, serial)     |
 *             |   [slotBase + k] next fresh actor slot of scheduler k (placement.ts)|
 *             |   [stealBase + k] want of scheduler k: spawns it would steal        |
 *             |       (stealing.ts)                                                |
 *             +--------------------------------------------------------------------+
 *             | doorbells: E x kDoorbellBytes (doorbell.ts), endpoint e's at e      |
 *             +--------------------------------------------------------------------+
 *             | stats: N x kStatsBlockBytes (stats.ts), scheduler k's at k          |
 *             +--------------------------------------------------------------------+
 *             | msacc: microstate area of E threads (core/microstate.ts), e's at e  |
 *             +--------------------------------------------------------------------+
 *             | names: the node-wide registry (shared-registry.ts)                 |
 *             +--------------------------------------------------------------------+
 *             | rings: E x (E - 1) SPSC rings (spsc-ring.ts), one per ordered pair  |
 *             |   ring(from, to) = from * (E - 1) + (to < from ? to : to - 1)       |
 *             +--------------------------------------------------------------------+
 *
 * Every region starts on a 128-byte line. `alive[e]` is cleared by the main thread when
 * endpoint e's worker died (and by the worker itself when it stops): producers then drop
 * what they would write to e instead of waiting for room forever. `spaceWanted[r]` is the
 * producer-side doorbell flag for ring r: a producer holding records in its overflow sets
 * it; the consumer, after releasing space, clears it and rings the producer's doorbell.
 */

import { kDoorbellBytes } from './doorbell.ts';
import { kRingHeaderBytes } from './spsc-ring.ts';
import { sharedRegistryBytes } from './shared-registry.ts';
import { kStatsBlockBytes } from './stats.ts';
import { msaccBytes } from '../core/microstate.ts';

export const kLayoutMagic = 0x53424e44; // "SBND"
export const kCtlMagic = 0;
export const kCtlEndpoints = 1;
export const kCtlAliveBase = 2;

export interface LayoutParams {
  /** Number of schedulers (worker threads). */
  readonly schedulers: number;
  /** Data bytes of each ring (a power of two). */
  readonly ringBytes: number;
  /** Capacity of the node-wide name table. */
  readonly maxNames: number;
}

export interface NodeLayout extends LayoutParams {
  readonly endpoints: number;
  readonly gateway: number;
  readonly totalBytes: number;
  readonly controlWords: number;
  /** Index (in control words) of spaceWanted[0]. */
  readonly spaceBase: number;
  /** Index (in control words) of scheduler 0's kill block (kill-flags.ts). */
  readonly killBase: number;
  /** Words of one scheduler's kill block: 1 + 2 * endpoints. */
  readonly killStride: number;
  /** Index (in control words) of scheduler 0's next-fresh-slot counter (placement.ts). */
  readonly slotBase: number;
  /** Index (in control words) of scheduler 0's want counter (stealing.ts). */
  readonly stealBase: number;
  readonly doorbellOffset: number;
  readonly statsOffset: number;
  /** The microstate area (core/microstate.ts): one block per endpoint's thread, the gateway's last. */
  readonly msaccOffset: number;
  readonly registryOffset: number;
  readonly ringsOffset: number;
  readonly ringStride: number;
}

const align = (n: number, a = 128): number => Math.ceil(n / a) * a;

export function computeLayout(p: LayoutParams): NodeLayout {
  const E = p.schedulers + 1;
  const rings = E * (E - 1);
  const spaceBase = kCtlAliveBase + E;
  const killBase = spaceBase + rings;
  const killStride = 1 + 2 * E;
  const slotBase = killBase + p.schedulers * killStride;
  const stealBase = slotBase + p.schedulers;
  const controlWords = stealBase + p.schedulers;
  const doorbellOffset = align(controlWords * 4);
  const statsOffset = align(doorbellOffset + E * kDoorbellBytes);
  const msaccOffset = align(statsOffset + p.schedulers * kStatsBlockBytes);
  const registryOffset = align(msaccOffset + msaccBytes(E));
  const ringsOffset = align(registryOffset + sharedRegistryBytes(p.maxNames));
  const ringStride = align(kRingHeaderBytes + p.ringBytes);
  return {
    ...p,
    endpoints: E,
    gateway: p.schedulers,
    controlWords,
    spaceBase,
    killBase,
    killStride,
    slotBase,
    stealBase,
    doorbellOffset,
    statsOffset,
    msaccOffset,
    registryOffset,
    ringsOffset,
    ringStride,
    totalBytes: ringsOffset + rings * ringStride,
  };
}

export function ringIndex(l: NodeLayout, from: number, to: number): number {
  return from * (l.endpoints - 1) + (to < from ? to : to - 1);
}

export function ringOffset(l: NodeLayout, from: number, to: number): number {
  return l.ringsOffset + ringIndex(l, from, to) * l.ringStride;
}

export function doorbellOffset(l: NodeLayout, endpoint: number): number {
  return l.doorbellOffset + endpoint * kDoorbellBytes;
}

export function statsOffset(l: NodeLayout, scheduler: number): number {
  return l.statsOffset + scheduler * kStatsBlockBytes;
}
