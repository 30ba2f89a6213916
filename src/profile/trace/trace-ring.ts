/**
 * TraceRing: the fixed-capacity event buffer of one thread's timeline trace.
 *
 * Every event is one row of six numbers in one preallocated Float64Array (row-major, so a
 * row written is one or two cache lines, not one per column) plus one slot of a plain
 * array for an object reference, so writing an event stores numbers and never allocates:
 *
 *   row i:  kind | t0 (ms)  | t1 (ms)  | a          | b       | c     | ref
 *   slice   0    | start|NaN| end|NaN  | reductions | sends   | taken | the Actor that ran
 *   parked  1    | start    | end      | 0          | 0       | 0     | null
 *   gc      2    | start    | end      | gc kind    | 0       | 0     | null
 *   send    3    | NaN      | NaN      | seq        | 0       | 0     | the target Actor
 *   sendOut 4    | NaN      | NaN      | target id  | serial  | 0     | null
 *
 * Times are performance.now() ms of the recording thread; a slice's NaN start means "the
 * previous slice's end" and a NaN end "not read: interpolate" (thread-recorder.ts). `taken`
 * is the actor's count of messages taken out of its mailbox after the slice (msgsIn -
 * mlen), `seq` the target's msgsIn just after the send delivered its message: a send's
 * message is handled in the first later slice of its target whose taken >= seq.
 * A send row is written inside the slice that sends, so it comes before that slice's row.
 *
 * Protocol:
 *   1. `push` writes at `next` and advances it modulo capacity; once full, each push
 *      overwrites the oldest row and counts it in `dropped`. `last` is the row just written.
 *   2. `setT1(row, ms)` fills in a time read later (the end of the last slice of a run).
 *   3. `forEach` visits the rows kept, oldest first.
 * Erlang mapping: the bounded trace buffer of `ttb`/`dbg` (`{size, N}` wrap logs) in memory.
 */
export const kEventSlice = 0;
export const kEventParked = 1;
export const kEventGc = 2;
export const kEventSend = 3;
export const kEventSendOut = 4;

const kStride = 6;

export type RingVisitor<R> = (kind: number, t0: number, t1: number, a: number, b: number, c: number, ref: R | null) => void;

export class TraceRing<R extends object> {
  readonly capacity: number;
  /** Row-major: row i is cols[i * kStride .. i * kStride + 5]: one cache line per row written. */
  private readonly cols: Float64Array;
  private readonly refs: (R | null)[];
  private next = 0;
  /** The row written last (-1: none yet). */
  last = -1;
  /** Events kept (at most capacity). */
  size = 0;
  /** Events overwritten because the ring was full. */
  dropped = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.cols = new Float64Array(capacity * kStride);
    this.refs = new Array<R | null>(capacity).fill(null);
  }

  /** Step 1. */
  push(kind: number, t0: number, t1: number, a: number, b: number, c: number, ref: R | null): void {
    const i = this.next;
    const cols = this.cols;
    const o = i * kStride;
    cols[o] = kind;
    cols[o + 1] = t0;
    cols[o + 2] = t1;
    cols[o + 3] = a;
    cols[o + 4] = b;
    cols[o + 5] = c;
    this.refs[i] = ref;
    this.last = i;
    this.next = i + 1 === this.capacity ? 0 : i + 1;
    if (this.size < this.capacity) this.size++;
    else this.dropped++;
  }

  /** Step 2. */
  setT1(row: number, ms: number): void {
    this.cols[row * kStride + 2] = ms;
  }

  /** Whether `row` holds a slice whose end was not read. */
  endPending(row: number): boolean {
    if (row < 0) return false;
    const t1 = this.cols[row * kStride + 2]!;
    return this.cols[row * kStride] === kEventSlice && t1 !== t1;
  }

  /** Step 3. */
  forEach(visit: RingVisitor<R>): void {
    const first = this.size < this.capacity ? 0 : this.next;
    const c = this.cols;
    for (let n = 0; n < this.size; n++) {
      const i = (first + n) % this.capacity;
      const o = i * kStride;
      visit(c[o]!, c[o + 1]!, c[o + 2]!, c[o + 3]!, c[o + 4]!, c[o + 5]!, this.refs[i]!);
    }
  }
}
