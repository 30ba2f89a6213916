/**
 * ErlangFrameWriter: the sending half of a connected Erlang distribution channel. It
 * queues ticks and messages (a control term and an optional payload term, both without
 * the version byte: the caller's ETF encoder must not use ATOM_CACHE_REF, since we send
 * headers with no atom cache refs) and on flush() hands the sink batches of packets.
 *
 * Packets (4-byte length first):
 *   tick:              | 0 0 0 0 |
 *   with the header:   | len | 131 68 0 | control | payload |
 *   fragmented:        | len | 131 69 seq frag=N 0 | control | payload part |,
 *                      | len | 131 70 seq frag=N-1 | payload part |, ... down to frag 1
 *   pass-through:      | len | 112 | 131 control | 131 payload |
 * The header is used when DIST_HDR_ATOM_CACHE or FRAGMENTS is in use (erts expects it
 * then: with FRAGMENTS alone it is a header with no refs), fragments when FRAGMENTS is,
 * pass-through when neither is.
 *
 * A flush, batch by batch, while something is pending and the sink has not said false:
 *   1. every queued tick first (a tick never waits behind a large message);
 *   2. then the streams with queued messages, round-robin, one packet each per turn: a
 *      whole message, or the next fragment of a large one (the first fragment carries
 *      the whole control message and payload up to fragmentBytes, at least the control;
 *      each next one fragmentBytes of payload), so a small message on another stream, or
 *      a tick queued meanwhile, waits behind at most one fragment; a stream's messages go
 *      strictly in order (put a sender's messages on one stream: Erlang orders signals
 *      per pair of processes);
 *   3. a batch ends at maxBatchBytes (at least one packet); it is one sink.write(chunks):
 *      small pieces copied together, payload slices of 4 KiB or more passed as views;
 *   4. sink.write returning false (the socket's buffer is full: wait for its 'drain',
 *      then flush() again) ends the flush; the writer's state stands after the batch.
 * Sequence ids are a per-writer counter (unique per connection, which is all the peer needs).
 */
import { BadArgError } from '../../core/errors.ts';
import { checkOptions, isInteger } from '../../core/options.ts';
import { DFLAG_DIST_HDR_ATOM_CACHE, DFLAG_FRAGMENTS } from './flags.ts';
import { kEmptyDistHeader, kFragmentHeaderBytes, kPassThrough, kVersionMagic, writeFragmentHeader } from './dist-header.ts';

/** Where packets go: false means "full: wait for 'drain', then flush()". */
export interface ErlangFrameSink {
  write(chunks: Uint8Array[]): boolean;
}

export interface ErlangFrameWriterOptions {
  /** The flags in use on the connection (ErlangPeer.flags): they choose the packet forms. */
  readonly flags: bigint;
  /** Payload bytes per fragment (default 64 KiB, as erts). */
  readonly fragmentBytes?: number;
  /** A batch ends once it holds this many bytes (default 256 KiB). */
  readonly maxBatchBytes?: number;
}

export const kDefaultErlangFragmentBytes = 64 * 1024;
const kDefaultMaxBatchBytes = 256 * 1024;
const kViewFromBytes = 4096;
const kTickPacket = new Uint8Array(4);

const mustBePositive = (v: unknown): string | null => (isInteger(v) && v >= 1 ? null : 'must be a positive integer');
const mustBeFlags = (v: unknown): string | null => (typeof v === 'bigint' && v >= 0n ? null : 'must be a non-negative bigint');

interface Queued {
  readonly control: Uint8Array;
  readonly payload: Uint8Array;
  /** Bytes of control + payload already written (fragments). */
  sent: number;
  /** Fragment id of the next fragment (0: not fragmented / not started). */
  frag: bigint;
  seq: bigint;
}

class Stream {
  readonly items: Queued[] = [];
  head = 0;
  constructor(readonly id: number) {}
  get empty(): boolean { return this.head === this.items.length; }
  shift(): void {
    this.head++;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
  }
}

const kEmpty = new Uint8Array(0);

export class ErlangFrameWriter {
  private readonly sink: ErlangFrameSink;
  private readonly header: boolean;
  private readonly fragment: boolean;
  private readonly fragmentBytes: number;
  private readonly maxBatchBytes: number;

  private ticks = 0;
  private readonly streams = new Map<number, Stream>();
  /** Streams with queued messages, in turn order. */
  private ring: Stream[] = [];
  private turn = 0;
  private nextSeq = 1n;
  private flushing = false;

  private out: Uint8Array[] = [];
  private small: Uint8Array[] = [];
  private smallBytes = 0;
  private batchBytes = 0;

  private queued = 0;
  private bytesOut = 0;
  private packetsOut = 0;
  private fragmentsOut = 0;
  private ticksOut = 0;
  private messagesOut = 0;

  constructor(sink: ErlangFrameSink, opts: ErlangFrameWriterOptions) {
    checkOptions('ErlangFrameWriter', { flags: mustBeFlags, fragmentBytes: mustBePositive, maxBatchBytes: mustBePositive }, opts);
    if (opts === undefined || typeof opts.flags !== 'bigint') throw new BadArgError('ErlangFrameWriter: option "flags" is required');
    this.sink = sink;
    this.header = (opts.flags & (DFLAG_DIST_HDR_ATOM_CACHE | DFLAG_FRAGMENTS)) !== 0n;
    this.fragment = (opts.flags & DFLAG_FRAGMENTS) !== 0n;
    this.fragmentBytes = opts.fragmentBytes ?? kDefaultErlangFragmentBytes;
    this.maxBatchBytes = opts.maxBatchBytes ?? kDefaultMaxBatchBytes;
  }

  /** Control and payload bytes accepted and not yet given to the sink. */
  get queuedBytes(): number { return this.queued; }
  get pending(): boolean { return this.ticks > 0 || this.ring.length > 0; }
  /** Bytes given to the sink, lengths and headers included (what a ticker watches). */
  get bytesWritten(): number { return this.bytesOut; }
  get packetsWritten(): number { return this.packetsOut; }
  get fragmentsWritten(): number { return this.fragmentsOut; }
  get ticksWritten(): number { return this.ticksOut; }
  get messagesWritten(): number { return this.messagesOut; }

  /** Queue a tick (a zero-length packet; goes before any message). */
  tick(): void {
    this.ticks++;
  }

  /**
   * Queue a message on `stream` (a u32: messages of one stream keep their order). The
   * writer owns `control` and `payload` from now on.
   */
  send(stream: number, control: Uint8Array, payload?: Uint8Array): void {
    if (stream >>> 0 !== stream) throw new BadArgError(`ErlangFrameWriter.send: stream must be a u32, got ${String(stream)}`);
    if (!(control instanceof Uint8Array) || control.length === 0) throw new BadArgError('ErlangFrameWriter.send: control must be a non-empty Uint8Array');
    if (payload !== undefined && !(payload instanceof Uint8Array)) throw new BadArgError('ErlangFrameWriter.send: payload must be a Uint8Array');
    const p = payload ?? kEmpty;
    // Unfragmented, a packet holds the message and 3 bytes of header.
    if (!this.fragment && control.length + p.length + 3 > 0xffffffff) {
      throw new BadArgError(`ErlangFrameWriter.send: a message of ${control.length + p.length} bytes does not fit one packet`);
    }
    let s = this.streams.get(stream);
    if (s === undefined) {
      s = new Stream(stream);
      this.streams.set(stream, s);
    }
    if (s.empty) this.ring.push(s);
    s.items.push({ control, payload: p, sent: 0, frag: 0n, seq: 0n });
    this.queued += control.length + p.length;
  }

  /** Write batches until nothing is pending or the sink says false (see the header). */
  flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      let more = true;
      while (more && this.pending) {
        this.batchBytes = 0;
        for (; this.ticks > 0; this.ticks--) {
          this.pushSmall(kTickPacket);
          this.packetsOut++;
          this.ticksOut++;
        }
        while (this.ring.length > 0 && this.batchBytes < this.maxBatchBytes) {
          if (this.turn >= this.ring.length) this.turn = 0;
          const s = this.ring[this.turn]!;
          this.writeOne(s);
          if (s.empty) {
            this.ring.splice(this.turn, 1);
            this.streams.delete(s.id);
          } else {
            this.turn++;
          }
        }
        this.endSmall();
        const chunks = this.out;
        this.out = [];
        this.bytesOut += this.batchBytes;
        more = this.sink.write(chunks);
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Step 2: one packet of stream `s`'s head message. */
  private writeOne(s: Stream): void {
    const m = s.items[s.head]!;
    const total = m.control.length + m.payload.length;
    if (!this.header) {
      this.passThrough(m);
      this.queued -= total;
      this.done(s);
      return;
    }
    if (m.frag === 0n && (!this.fragment || total <= this.fragmentBytes)) {
      const len = kEmptyDistHeader.length + total;
      this.pushSmall(lengthPrefix(len, kEmptyDistHeader));
      this.body(m, 0, total);
      this.packetsOut++;
      this.queued -= total;
      this.done(s);
      return;
    }
    if (m.frag === 0n) {
      const firstTake = Math.max(this.fragmentBytes, m.control.length);
      const count = 1 + Math.ceil((total - firstTake) / this.fragmentBytes);
      m.seq = this.nextSeq++;
      m.frag = BigInt(count);
      const hdr = new Uint8Array(4 + kFragmentHeaderBytes + 1);
      writeFragmentHeader(hdr, 4, true, m.seq, m.frag);
      setU32(hdr, 0, kFragmentHeaderBytes + 1 + firstTake);
      this.pushSmall(hdr);
      this.body(m, 0, firstTake);
      m.sent = firstTake;
      this.queued -= firstTake;
    } else {
      const take = Math.min(this.fragmentBytes, total - m.sent);
      const hdr = new Uint8Array(4 + kFragmentHeaderBytes);
      writeFragmentHeader(hdr, 4, false, m.seq, m.frag);
      setU32(hdr, 0, kFragmentHeaderBytes + take);
      this.pushSmall(hdr);
      this.body(m, m.sent, m.sent + take);
      m.sent += take;
      this.queued -= take;
    }
    this.packetsOut++;
    this.fragmentsOut++;
    m.frag--;
    if (m.frag === 0n) this.done(s);
  }

  private done(s: Stream): void {
    this.messagesOut++;
    s.shift();
  }

  private passThrough(m: Queued): void {
    const hasPayload = m.payload.length > 0;
    const len = 1 + 1 + m.control.length + (hasPayload ? 1 + m.payload.length : 0);
    this.pushSmall(lengthPrefix(len, Uint8Array.of(kPassThrough, kVersionMagic)));
    this.piece(m.control);
    if (hasPayload) {
      this.pushSmall(Uint8Array.of(kVersionMagic));
      this.piece(m.payload);
    }
    this.packetsOut++;
  }

  /** Bytes [from, to) of control ++ payload. */
  private body(m: Queued, from: number, to: number): void {
    const c = m.control.length;
    if (from < c) this.piece(m.control.subarray(from, Math.min(to, c)));
    if (to > c) this.piece(m.payload.subarray(Math.max(from, c) - c, to - c));
  }

  private piece(b: Uint8Array): void {
    if (b.length === 0) return;
    if (b.length < kViewFromBytes) {
      this.pushSmall(b);
      return;
    }
    this.endSmall();
    this.out.push(b);
    this.batchBytes += b.length;
  }

  private pushSmall(b: Uint8Array): void {
    this.small.push(b);
    this.smallBytes += b.length;
    this.batchBytes += b.length;
  }

  private endSmall(): void {
    if (this.small.length === 0) return;
    this.out.push(this.small.length === 1 ? this.small[0]! : Buffer.concat(this.small, this.smallBytes));
    this.small = [];
    this.smallBytes = 0;
  }
}

function setU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}

/** | len u32 | head |: the start of a packet of `len` bytes. */
function lengthPrefix(len: number, head: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + head.length);
  setU32(out, 0, len);
  out.set(head, 4);
  return out;
}
