/**
 * TraceRing: the fixed-capacity event buffer of one thread's timeline trace.
 *
 * Each event is a kind (slice, parked, gc), a start and an end (performance.now() ms of
 * the recording thread), two numbers (a slice: reductions and messages sent; gc: the GC
 * kind and 0) and, for a
 * slice, the Actor that ran (kept by reference; its name is read when the trace is
 * collected). Storage is preallocated at construction: typed arrays for the numbers, a
 * plain array filled with null for the actors, so `push` never allocates.
 *
 * Protocol:
 *   1. `push` writes at `next`, advances it modulo capacity; once full, each push
 *      overwrites the oldest event and counts it in `dropped`.
 *   2. `forEach` visits the events kept, oldest first.
 * Erlang mapping: the bounded trace buffer of `ttb`/`dbg` (`{size, N}` wrap logs) in memory.
 */
import type { Actor } from '../../core/actor.ts';

export const kEventSlice = 0;
export const kEventParked = 1;
export const kEventGc = 2;

export class TraceRing {
  readonly capacity: number;
  private readonly kinds: Uint8Array;
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly values: Float64Array;
  private readonly values2: Float64Array;
  private readonly actors: (Actor | null)[];
  private next = 0;
  /** Events kept (at most capacity). */
  size = 0;
  /** Events overwritten because the ring was full. */
  dropped = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.kinds = new Uint8Array(capacity);
    this.starts = new Float64Array(capacity);
    this.ends = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.values2 = new Float64Array(capacity);
    this.actors = new Array<Actor | null>(capacity).fill(null);
  }

  /** Step 1. */
  push(kind: number, startMs: number, endMs: number, value: number, value2: number, actor: Actor | null): void {
    const i = this.next;
    this.kinds[i] = kind;
    this.starts[i] = startMs;
    this.ends[i] = endMs;
    this.values[i] = value;
    this.values2[i] = value2;
    this.actors[i] = actor;
    this.next = i + 1 === this.capacity ? 0 : i + 1;
    if (this.size < this.capacity) this.size++;
    else this.dropped++;
  }

  /** Step 2. */
  forEach(visit: (kind: number, startMs: number, endMs: number, value: number, value2: number, actor: Actor | null) => void): void {
    const first = this.size < this.capacity ? 0 : this.next;
    for (let n = 0; n < this.size; n++) {
      const i = (first + n) % this.capacity;
      visit(this.kinds[i]!, this.starts[i]!, this.ends[i]!, this.values[i]!, this.values2[i]!, this.actors[i]!);
    }
  }
}
