/**
 * FrameWriter: the sending half of a node connection's channel (frames: channel-frames.ts).
 * It queues ticks, control bodies and the messages of each stream, and on flush() hands
 * the sink batches of frames in the order that keeps a tick or a small message from
 * waiting behind a large one.
 *
 * A flush, batch by batch, while something is pending and the sink has not said false:
 *   1. every queued tick, the credit granted to the peer (one kCredit frame for all of it),
 *      then every queued control frame (FIFO): they jump the queue;
 *   2. then the streams with queued data, round-robin, one frame each per turn: a whole
 *      message when it fits fragmentBytes, else its next fragment (kFragFirst with the
 *      total, kFragNext..., kFragLast), so whatever is queued on another stream waits
 *      behind at most one fragment of a large message; a stream's messages go strictly
 *      in order, all fragments of one before the next;
 *   2b. with a window (windowBytes > 0: the peer grants credit), a fragment is written only
 *      while fewer than windowBytes of fragment chunks are uncredited; a stream whose head
 *      needs fragments waits its turn out, and the others go on; credit(n) from the peer's
 *      kCredit frees n bytes of the window (the owner flushes again);
 *   3. the batch ends when it holds maxBatchBytes (at least one frame) or nothing is left
 *      that may be written now (no empty batch is written);
 *      it is one sink.write(chunks) call: headers and small bodies copied together into
 *      one coalesced chunk, bodies of kCopyBelowBytes or more given as views of the
 *      payload (a fragment is a subarray: no copy);
 *   4. sink.write returning false (the socket's buffer is full: wait for 'drain') ends the
 *      flush; the batch was taken, and the writer's state already stands after it, so the
 *      next flush() goes on exactly where this one stopped.
 *
 * Memory: the sink may hold on to the chunks until they are written (net.Socket does),
 * so coalesced bytes are never overwritten: they are carved from a slab, front to back,
 * and a full slab is replaced by a new one (the old one lives as long as the sink holds
 * its views). Per message nothing is allocated but its ring slot (rings grow, and keep
 * their size); per batch one chunk array and the views in it.
 *
 *   streams (circular list of those with data, `cursor` = next turn)
 *     +-----------+    +-----------+    +-----------+
 *  -> | stream 7  | -> | stream 9  | -> | stream 12 | -> (back to 7)
 *     | ring: m1  |    | ring: m1  |    | ring: m1  |
 *     |  m2 m3    |    | sentBytes |    |   m2      |
 *     +-----------+    +-----------+    +-----------+
 */
import { BadArgError } from '../core/errors.ts';
import { checkOptions, isInteger } from '../core/options.ts';
import {
  kDefaultFragmentBytes, kDefaultMaxBatchBytes, kFragFirstHeaderBytes, kFragLast, kFragNext, kFrameHeaderBytes,
  kControl, kCredit, kCreditFrameBytes, kFrameLengthBytes, kMaxFragmentBytes, kMaxFrameLength, kMessage, kStreamHeaderBytes, kTick,
  writeFragFirstHeader, writeFrameHeader, writeStreamHeader, writeU32,
} from './channel-frames.ts';

/** Where the frames go: `write` takes the chunks (and keeps them as long as it needs);
 *  false: it is full, wait for its 'drain', then flush() again. */
export interface FrameSink { write(chunks: Uint8Array[]): boolean }

export interface FrameWriterOptions {
  /** Messages above this are cut into fragments of this size (default 64 KiB). */
  readonly fragmentBytes?: number;
  /** A batch (one sink.write) ends once it holds this many bytes (default 256 KiB). */
  readonly maxBatchBytes?: number;
  /** Fragment bytes in flight without the peer's credit (step 2b); 0 (default): no window. */
  readonly windowBytes?: number;
}

/** Bodies at least this long go to the sink as views, shorter ones are copied (coalesced). */
export const kCopyBelowBytes = 4096;
/** The size of a coalescing slab (a larger one when a batch's copied run needs it). */
const kSlabBytes = 64 * 1024;
/** Streams kept for reuse once their queue empties. */
const kStreamPoolSize = 64;

const mustBeFragmentBytes = (v: unknown): string | null =>
  isInteger(v) && v >= 1 && v <= kMaxFragmentBytes ? null : `must be an integer in 1..${kMaxFragmentBytes}`;
const mustBeBatchBytes = (v: unknown): string | null => (isInteger(v) && v >= 1 ? null : 'must be a positive integer');
const mustBeWindowBytes = (v: unknown): string | null => (isInteger(v) && v >= 0 ? null : 'must be a non-negative integer');

/** One stream's queue: a ring of payloads, and how much of the head one has been sent. */
class StreamQueue {
  stream = 0;
  items: (Uint8Array | null)[] = new Array<Uint8Array | null>(4).fill(null);
  head = 0;
  count = 0;
  /** Bytes of the head payload already written (in fragments). */
  sentBytes = 0;
  next: StreamQueue | null = null;
  prev: StreamQueue | null = null;

  push(payload: Uint8Array): void {
    let cap = this.items.length;
    if (this.count === cap) {
      const grown = new Array<Uint8Array | null>(cap * 2).fill(null);
      for (let i = 0; i < this.count; i++) grown[i] = this.items[(this.head + i) & (cap - 1)]!;
      this.items = grown;
      this.head = 0;
      cap *= 2;
    }
    this.items[(this.head + this.count) & (cap - 1)] = payload;
    this.count++;
  }

  shift(): void {
    this.items[this.head] = null;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count--;
    this.sentBytes = 0;
  }
}

export class FrameWriter {
  private readonly sink: FrameSink;
  private readonly fragmentBytes: number;
  private readonly maxBatchBytes: number;
  private readonly windowBytes: number;
  /** Fragment chunk bytes written and not credited by the peer (step 2b). */
  private inFlight = 0;
  /** Credit to grant the peer at the next flush (step 1). */
  private grant = 0;

  private ticks = 0;
  private readonly controls: Uint8Array[] = [];
  private readonly streams = new Map<number, StreamQueue>();
  private readonly pool: StreamQueue[] = [];
  /** The stream whose turn is next (null: no stream has data). */
  private cursor: StreamQueue | null = null;

  private slab: Uint8Array = Buffer.allocUnsafeSlow(kSlabBytes);
  private slabUsed = 0;
  /** Start in the slab of the coalesced chunk being built. */
  private runStart = 0;
  private out: Uint8Array[] = [];
  private batchBytes = 0;
  private flushing = false;

  private queued = 0;
  private framesOut = 0;
  private bytesOut = 0;
  private batchesOut = 0;
  private fragmentsOut = 0;
  private ticksOut = 0;
  private messagesOut = 0;

  constructor(sink: FrameSink, opts?: FrameWriterOptions) {
    checkOptions('FrameWriter', { fragmentBytes: mustBeFragmentBytes, maxBatchBytes: mustBeBatchBytes, windowBytes: mustBeWindowBytes }, opts);
    this.sink = sink;
    this.fragmentBytes = opts?.fragmentBytes ?? kDefaultFragmentBytes;
    this.maxBatchBytes = opts?.maxBatchBytes ?? kDefaultMaxBatchBytes;
    this.windowBytes = opts?.windowBytes ?? 0;
  }

  /** Step 2b: the peer read `bytes` more of our fragments. */
  credit(bytes: number): void {
    this.inFlight = bytes >= this.inFlight ? 0 : this.inFlight - bytes;
  }

  /**
   * Queue a kCredit frame for `bytes` of the peer's fragments we read (step 1; summed). A
   * writer without a window ignores it: both come from the peer's kFlagCredit, which says
   * it grants credit and takes it.
   */
  grantCredit(bytes: number): void {
    if (this.windowBytes > 0) this.grant += bytes;
  }

  /** Fragment bytes written and not credited yet. */
  get uncreditedBytes(): number { return this.inFlight; }

  /** Payload and control bytes accepted and not yet given to the sink (headers not counted). */
  get queuedBytes(): number { return this.queued; }
  /** Something is left to write. */
  get pending(): boolean { return this.ticks > 0 || this.grant > 0 || this.controls.length > 0 || this.cursor !== null; }
  /** Frames given to the sink (a fragment is a frame). */
  get framesWritten(): number { return this.framesOut; }
  /** Bytes given to the sink, headers included. */
  get bytesWritten(): number { return this.bytesOut; }
  /** sink.write calls. */
  get batches(): number { return this.batchesOut; }
  /** kFragFirst / kFragNext / kFragLast frames given to the sink. */
  get fragmentsWritten(): number { return this.fragmentsOut; }
  get ticksWritten(): number { return this.ticksOut; }
  /** Messages whose last byte was given to the sink. */
  get messagesWritten(): number { return this.messagesOut; }

  /** Queue a tick (goes before any stream data). */
  tick(): void {
    this.ticks++;
  }

  /** Queue a control frame (after the ticks, before any stream data; in order among controls). */
  control(body: Uint8Array): void {
    if (body.length >= kMaxFrameLength) throw new BadArgError(`FrameWriter.control: a body of ${body.length} bytes does not fit a frame`);
    this.controls.push(body);
    this.queued += body.length;
  }

  /** Queue a message on `stream` (a u32). The writer owns `payload` from now on: do not change it. */
  message(stream: number, payload: Uint8Array): void {
    if (stream >>> 0 !== stream) throw new BadArgError(`FrameWriter.message: stream must be a u32, got ${String(stream)}`);
    let q = this.streams.get(stream);
    if (q === undefined) {
      q = this.pool.pop() ?? new StreamQueue();
      q.stream = stream;
      this.streams.set(stream, q);
    }
    q.push(payload);
    this.queued += payload.length;
    if (q.count === 1) this.link(q);
  }

  /** Write batches until nothing is pending or the sink says false (see the header). */
  flush(): void {
    if (this.flushing) return; // a sink that calls back into flush: the running one goes on
    this.flushing = true;
    try {
      let more = true;
      while (more && this.pending) {
        this.batchBytes = 0;
        this.writePriority();
        let waited = 0;
        while (this.cursor !== null && this.batchBytes < this.maxBatchBytes) {
          const q = this.cursor;
          this.cursor = q.next;
          if (this.windowBytes > 0 && this.inFlight >= this.windowBytes && q.items[q.head]!.length > this.fragmentBytes) {
            // Step 2b: this stream's head needs fragments and the window is full.
            if (++waited >= this.streams.size) break;
            continue;
          }
          waited = 0;
          this.writeStreamFrame(q);
        }
        this.endRun();
        if (this.batchBytes === 0) break; // only window-held streams are left
        const chunks = this.out;
        this.out = [];
        this.batchesOut++;
        this.bytesOut += this.batchBytes;
        more = this.sink.write(chunks);
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Step 1: every tick, then every control frame. */
  private writePriority(): void {
    for (; this.ticks > 0; this.ticks--) {
      const at = this.reserve(kFrameHeaderBytes);
      this.slabUsed = writeFrameHeader(this.slab, at, 1, kTick);
      this.batchBytes += kFrameHeaderBytes;
      this.framesOut++;
      this.ticksOut++;
    }
    if (this.grant > 0) {
      const at = this.reserve(kCreditFrameBytes);
      writeFrameHeader(this.slab, at, kCreditFrameBytes - kFrameLengthBytes, kCredit);
      writeU32(this.slab, at + kFrameHeaderBytes, this.grant > 0xffff_ffff ? 0xffff_ffff : this.grant);
      this.grant = this.grant > 0xffff_ffff ? this.grant - 0xffff_ffff : 0;
      this.slabUsed = at + kCreditFrameBytes;
      this.batchBytes += kCreditFrameBytes;
      this.framesOut++;
    }
    const controls = this.controls;
    for (let i = 0; i < controls.length; i++) {
      const body = controls[i]!;
      const at = this.reserve(kFrameHeaderBytes + (body.length < kCopyBelowBytes ? body.length : 0));
      this.slabUsed = writeFrameHeader(this.slab, at, 1 + body.length, kControl);
      this.body(body, 0, body.length);
      this.batchBytes += kFrameHeaderBytes + body.length;
      this.queued -= body.length;
      this.framesOut++;
    }
    controls.length = 0;
  }

  /** Step 2: one frame of stream `q`'s head message. */
  private writeStreamFrame(q: StreamQueue): void {
    const payload = q.items[q.head]!;
    const from = q.sentBytes;
    const left = payload.length - from;
    const frag = this.fragmentBytes;
    const n = left <= frag ? left : frag;
    const copied = n < kCopyBelowBytes ? n : 0;
    let header: number;
    if (from === 0 && left <= frag) {
      const at = this.reserve(kStreamHeaderBytes + copied);
      this.slabUsed = writeStreamHeader(this.slab, at, kMessage, q.stream, n);
      header = kStreamHeaderBytes;
    } else if (from === 0) {
      const at = this.reserve(kFragFirstHeaderBytes + copied);
      this.slabUsed = writeFragFirstHeader(this.slab, at, q.stream, n, payload.length);
      header = kFragFirstHeaderBytes;
      this.fragmentsOut++;
    } else {
      const at = this.reserve(kStreamHeaderBytes + copied);
      this.slabUsed = writeStreamHeader(this.slab, at, left <= frag ? kFragLast : kFragNext, q.stream, n);
      header = kStreamHeaderBytes;
      this.fragmentsOut++;
    }
    this.body(payload, from, n);
    if (header === kFragFirstHeaderBytes || from !== 0) this.inFlight += n;
    this.batchBytes += header + n;
    this.queued -= n;
    this.framesOut++;
    if (left <= frag) {
      this.messagesOut++;
      q.shift();
      if (q.count === 0) this.retire(q);
    } else {
      q.sentBytes = from + n;
    }
  }

  /** Room for `bytes` at the end of the slab (a new slab if this one is full); returns where. */
  private reserve(bytes: number): number {
    if (this.slab.length - this.slabUsed < bytes) {
      this.endRun();
      this.slab = Buffer.allocUnsafeSlow(bytes > kSlabBytes ? bytes : kSlabBytes);
      this.slabUsed = 0;
      this.runStart = 0;
    }
    return this.slabUsed;
  }

  /** A body after its header: copied into the slab when small (room was reserved), else a view. */
  private body(src: Uint8Array, from: number, n: number): void {
    if (n === 0) return;
    if (n < kCopyBelowBytes) {
      const slab = this.slab;
      let at = this.slabUsed;
      if (n <= 32) {
        for (let i = from, end = from + n; i < end; i++) slab[at++] = src[i]!;
      } else {
        slab.set(from === 0 && n === src.length ? src : src.subarray(from, from + n), at);
        at += n;
      }
      this.slabUsed = at;
      return;
    }
    this.endRun();
    this.out.push(from === 0 && n === src.length ? src : src.subarray(from, from + n));
  }

  /** Close the coalesced chunk being built (if any) into the batch. */
  private endRun(): void {
    if (this.slabUsed > this.runStart) {
      this.out.push(this.slab.subarray(this.runStart, this.slabUsed));
      this.runStart = this.slabUsed;
    }
  }

  /** Put `q` (which just got data) in the round-robin, just before the cursor (last turn). */
  private link(q: StreamQueue): void {
    const c = this.cursor;
    if (c === null) {
      q.next = q;
      q.prev = q;
      this.cursor = q;
      return;
    }
    const last = c.prev!;
    last.next = q;
    q.prev = last;
    q.next = c;
    c.prev = q;
  }

  /** `q` has no data left: out of the round-robin and the map, into the pool. */
  private retire(q: StreamQueue): void {
    if (q.next === q) {
      this.cursor = null;
    } else {
      q.prev!.next = q.next;
      q.next!.prev = q.prev;
      if (this.cursor === q) this.cursor = q.next;
    }
    q.next = null;
    q.prev = null;
    this.streams.delete(q.stream);
    if (this.pool.length < kStreamPoolSize) this.pool.push(q);
  }
}
