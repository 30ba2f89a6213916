/**
 * TraceRing: the fixed-capacity event buffer of one thread's timeline trace.
 *
 * Every event is one row of parallel preallocated columns (typed arrays, plus one plain
 * array for an object reference), so writing an event stores numbers and never allocates:
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

export type RingVisitor<R> = (kind: number, t0: number, t1: number, a: number, b: number, c: number, ref: R | null) => void;

export class TraceRing<R extends object> {
  readonly capacity: number;
  private readonly kinds: Uint8Array;
  private readonly t0: Float64Array;
  private readonly t1: Float64Array;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly c: Float64Array;
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
    this.kinds = new Uint8Array(capacity);
    this.t0 = new Float64Array(capacity);
    this.t1 = new Float64Array(capacity);
    this.a = new Float64Array(capacity);
    this.b = new Float64Array(capacity);
    this.c = new Float64Array(capacity);
    this.refs = new Array<R | null>(capacity).fill(null);
  }

  /** Step 1. */
  push(kind: number, t0: number, t1: number, a: number, b: number, c: number, ref: R | null): void {
    const i = this.next;
    this.kinds[i] = kind;
    this.t0[i] = t0;
    this.t1[i] = t1;
    this.a[i] = a;
    this.b[i] = b;
    this.c[i] = c;
    this.refs[i] = ref;
    this.last = i;
    this.next = i + 1 === this.capacity ? 0 : i + 1;
    if (this.size < this.capacity) this.size++;
    else this.dropped++;
  }

  /** Step 2. */
  setT1(row: number, ms: number): void {
    this.t1[row] = ms;
  }

  /** Whether `row` holds a slice whose end was not read. */
  endPending(row: number): boolean {
    return row >= 0 && this.kinds[row] === kEventSlice && this.t1[row] !== this.t1[row];
  }

  /** Step 3. */
  forEach(visit: RingVisitor<R>): void {
    const first = this.size < this.capacity ? 0 : this.next;
    for (let n = 0; n < this.size; n++) {
      const i = (first + n) % this.capacity;
      visit(this.kinds[i]!, this.t0[i]!, this.t1[i]!, this.a[i]!, this.b[i]!, this.c[i]!, this.refs[i]!);
    }
  }
}
