/**
 * FrameReader: the receiving half of a node connection's channel (frames:
 * channel-frames.ts). It takes the connection's bytes as they come, split anywhere (one
 * byte at a time, several frames in one chunk), and calls its handler once per tick,
 * control frame and whole message; fragmented messages are reassembled per stream.
 *
 * Reading, frame by frame:
 *   1. the length word (4 bytes): 0 is 'truncated' (no kind byte), above maxFrameBytes
 *      'too_large', before a byte of the body is kept;
 *   2. the kind byte: unknown is 'bad_kind'; a length too short for the kind's header is
 *      'truncated'; a tick with a body, or a credit that is not one u32, 'bad_length'; a
 *      credit goes to the handler's onCredit (fragmentBytesRead counts what credit is for);
 *   3. the rest of the header (stream, total); a fragment is checked against its stream's
 *      reassembly before its chunk is read (see below), a whole message against
 *      maxMessageBytes;
 *   4. the body: a kMessage or kControl body that lies whole in the pushed chunk is handed
 *      out as a view of it (subarray, no copy); one that crosses chunks is copied into a
 *      buffer of its size, allocated once; a fragment's chunk is copied straight into its
 *      message's reassembly buffer.
 * Reassembly of stream s: kFragFirst (s not in progress; total <= maxMessageBytes; fewer
 * than maxPartialStreams in progress; the totals in progress stay <= maxPartialBytes; a
 * non-empty chunk smaller than the total) allocates the whole message; kFragNext (s in
 * progress, non-empty, still short of the total) and kFragLast (s in progress, completes
 * the total exactly) fill it; kFragLast hands it out. Anything else is 'bad_fragment'.
 *
 * Errors: every malformed input is a FrameError (frame-errors.ts) with its `failure`;
 * afterwards the reader is dead: its buffers are dropped, and every push throws a
 * FrameError 'dead' whose `cause` is the first error (the connection is to be closed). A
 * handler that throws kills the reader the same way (the rest of the chunk is not read).
 *
 * Payloads handed out are views of the pushed chunk when they can be: the caller must not
 * reuse a chunk's memory after pushing it (socket 'data' chunks are fresh each time).
 * Handlers must not push into the reader they are called from.
 *
 * Memory: bufferedBytes (header bytes held, the buffer of a body that crosses chunks, the
 * totals of the messages in reassembly) never exceeds
 * kFragFirstHeaderBytes + maxFrameBytes + maxPartialBytes.
 */
import { checkOptions, isInteger } from '../core/options.ts';
import {
  kControl, kDefaultMaxFrameBytes, kDefaultMaxMessageBytes, kDefaultMaxPartialBytes, kDefaultMaxPartialStreams, kFragFirst,
  kFragFirstHeaderBytes, kFragLast, kFragNext, kFrameHeaderBytes, kFrameLengthBytes, kHeaderBytesByKind, kMaxFrameLength,
  kCredit, kCreditFrameBytes, kMessage, kTick, frameKindName, readFragTotal, readStream, readU32,
} from './channel-frames.ts';
import { FrameError } from './frame-errors.ts';

export interface FrameHandler {
  onTick(): void;
  /** The peer read `bytes` more of our fragments (kCredit); optional. */
  onCredit?(bytes: number): void;
  onControl(body: Uint8Array): void;
  onMessage(stream: number, payload: Uint8Array): void;
}

export interface FrameReaderLimits {
  /** The largest length word accepted (kind + body bytes; default 1 MiB). */
  readonly maxFrameBytes?: number;
  /** The largest message, whole or reassembled (default 1 GiB). */
  readonly maxMessageBytes?: number;
  /** Fragmented messages in reassembly at once (default 256). */
  readonly maxPartialStreams?: number;
  /** Sum of the totals of the messages in reassembly (default 2 GiB, at least maxMessageBytes). */
  readonly maxPartialBytes?: number;
}

const mustBeFrameBytes = (v: unknown): string | null =>
  isInteger(v) && v >= 1 && v <= kMaxFrameLength ? null : `must be an integer in 1..${kMaxFrameLength}`;
const mustBePositive = (v: unknown): string | null => (isInteger(v) && v >= 1 ? null : 'must be a positive integer');

/** A message in reassembly. */
class Partial {
  constructor(
    readonly stream: number,
    readonly buf: Uint8Array,
    public received: number,
  ) {}
}

export class FrameReader {
  private readonly handler: FrameHandler;
  private readonly maxFrameBytes: number;
  private readonly maxMessageBytes: number;
  private readonly maxPartialStreams: number;
  private readonly maxPartialBytes: number;

  /** Header bytes of a frame whose header crosses chunks. */
  private readonly hdr = new Uint8Array(kFragFirstHeaderBytes);
  private hdrUsed = 0;
  /** The header size of the frame in `hdr` (0 until its kind byte is in). */
  private hdrNeed = 0;

  /** The body being read (bodyLeft > 0): where it goes, and what it is. */
  private bodyLeft = 0;
  private bodyKind = 0;
  private bodyStream = 0;
  private target: Uint8Array | null = null;
  private targetAt = 0;
  private partial: Partial | null = null;

  private readonly partials = new Map<number, Partial>();
  private partialBytes = 0;
  private dead: unknown = null;

  private framesIn = 0;
  private fragmentBytesIn = 0;
  private messagesIn = 0;
  private bytesIn = 0;

  constructor(handler: FrameHandler, limits?: FrameReaderLimits) {
    checkOptions('FrameReader', {
      maxFrameBytes: mustBeFrameBytes, maxMessageBytes: mustBePositive, maxPartialStreams: mustBePositive, maxPartialBytes: mustBePositive,
    }, limits);
    this.handler = handler;
    this.maxFrameBytes = limits?.maxFrameBytes ?? kDefaultMaxFrameBytes;
    this.maxMessageBytes = limits?.maxMessageBytes ?? kDefaultMaxMessageBytes;
    this.maxPartialStreams = limits?.maxPartialStreams ?? kDefaultMaxPartialStreams;
    this.maxPartialBytes = limits?.maxPartialBytes ?? Math.max(kDefaultMaxPartialBytes, this.maxMessageBytes);
  }

  /** Bytes held for frames and messages not yet complete (see the header). */
  get bufferedBytes(): number {
    const body = this.bodyLeft > 0 && this.partial === null ? this.target!.length : 0;
    return this.hdrUsed + body + this.partialBytes;
  }
  /** Fragmented messages in reassembly. */
  get partialStreams(): number { return this.partials.size; }
  get framesRead(): number { return this.framesIn; }
  /** Messages handed to onMessage. */
  get messagesRead(): number { return this.messagesIn; }
  /** Chunk bytes of fragment frames whose header was read (what credit is granted for). */
  get fragmentBytesRead(): number { return this.fragmentBytesIn; }
  get bytesRead(): number { return this.bytesIn; }
  /** The reader failed (every push throws). */
  get failed(): boolean { return this.dead !== null; }

  /** Read the bytes of `chunk`; throws FrameError on malformed input (then the reader is dead). */
  push(chunk: Uint8Array): void {
    if (this.dead !== null) {
      const first = this.dead;
      const why = first instanceof Error ? first.message : String(first);
      throw new FrameError('dead', `channel frame: the reader failed before: ${why}`, first);
    }
    try {
      this.consume(chunk);
    } catch (err) {
      this.dead = err;
      this.release();
      throw err;
    }
  }

  private consume(chunk: Uint8Array): void {
    const n = chunk.length;
    this.bytesIn += n;
    let i = 0;
    while (i < n) {
      if (this.bodyLeft > 0) {
        const take = this.bodyLeft < n - i ? this.bodyLeft : n - i;
        this.target!.set(chunk.subarray(i, i + take), this.targetAt);
        this.targetAt += take;
        this.bodyLeft -= take;
        i += take;
        if (this.bodyLeft === 0) this.endBody();
        continue;
      }
      if (this.hdrUsed === 0 && n - i >= kFrameHeaderBytes) {
        // Fast path: the frame's header starts in this chunk; read it in place if it is whole.
        const need = this.checkKind(this.checkLength(readU32(chunk, i)), chunk[i + 4]!);
        if (n - i >= need) {
          i = this.startFrame(chunk, i, chunk, i + need);
          continue;
        }
        this.hdr.set(chunk.subarray(i, n), 0);
        this.hdrUsed = n - i;
        this.hdrNeed = need;
        return;
      }
      // Slow path: gather the header in `hdr`, checking the length and the kind as they come.
      const hdr = this.hdr;
      if (this.hdrNeed === 0) {
        while (i < n && this.hdrUsed < kFrameHeaderBytes) hdr[this.hdrUsed++] = chunk[i++]!;
        if (this.hdrUsed >= kFrameLengthBytes) this.checkLength(readU32(hdr, 0));
        if (this.hdrUsed < kFrameHeaderBytes) return;
        this.hdrNeed = this.checkKind(readU32(hdr, 0), hdr[4]!);
      }
      while (i < n && this.hdrUsed < this.hdrNeed) hdr[this.hdrUsed++] = chunk[i++]!;
      if (this.hdrUsed < this.hdrNeed) return;
      this.hdrUsed = 0;
      this.hdrNeed = 0;
      i = this.startFrame(hdr, 0, chunk, i);
    }
  }

  /** Step 1; returns the length. */
  private checkLength(length: number): number {
    if (length === 0) throw new FrameError('truncated', 'channel frame: zero-length frame (no kind byte)');
    if (length > this.maxFrameBytes) {
      throw new FrameError('too_large', `channel frame: frame length ${length} exceeds maxFrameBytes ${this.maxFrameBytes}`);
    }
    return length;
  }

  /** Step 2; returns the frame's header size. */
  private checkKind(length: number, kind: number): number {
    if (kind < kTick || kind > kCredit) throw new FrameError('bad_kind', `channel frame: unknown kind ${kind} (frame length ${length})`);
    if (kind === kTick && length !== 1) {
      throw new FrameError('bad_length', `channel frame: tick frame of length ${length} (a tick has no body)`);
    }
    if (kind === kCredit && length !== kCreditFrameBytes - kFrameLengthBytes) {
      throw new FrameError('bad_length', `channel frame: credit frame of length ${length} (a credit is one u32)`);
    }
    const need = kHeaderBytesByKind[kind]!;
    if (length < need - kFrameLengthBytes) {
      throw new FrameError('truncated', `channel frame: ${frameKindName(kind)} frame of length ${length} is shorter than its ${need - kFrameLengthBytes}-byte header`);
    }
    return need;
  }

  /**
   * Steps 3 and 4 for the frame whose whole header is at `src[at..]`; its body starts at
   * `chunk[i]`. Returns where reading goes on in `chunk`.
   */
  private startFrame(src: Uint8Array, at: number, chunk: Uint8Array, i: number): number {
    const length = readU32(src, at);
    const kind = src[at + 4]!;
    const bodyBytes = length + kFrameLengthBytes - kHeaderBytesByKind[kind]!;
    this.framesIn++;
    if (kind === kTick) {
      this.handler.onTick();
      return i;
    }
    if (kind === kCredit) {
      this.handler.onCredit?.(readU32(src, at + kFrameHeaderBytes));
      return i;
    }
    const stream = kind === kControl ? 0 : readStream(src, at);
    if (kind === kControl || kind === kMessage) {
      if (kind === kMessage && bodyBytes > this.maxMessageBytes) {
        throw new FrameError('too_large', `channel frame: message of ${bodyBytes} bytes on stream ${stream} exceeds maxMessageBytes ${this.maxMessageBytes}`);
      }
      if (chunk.length - i >= bodyBytes) {
        const body = chunk.subarray(i, i + bodyBytes);
        if (kind === kMessage) {
          this.messagesIn++;
          this.handler.onMessage(stream, body);
        } else {
          this.handler.onControl(body);
        }
        return i + bodyBytes;
      }
      this.beginBody(kind, stream, bodyBytes, Buffer.allocUnsafe(bodyBytes), 0, null);
      return i;
    }
    this.fragmentBytesIn += bodyBytes;
    let p = this.partials.get(stream);
    if (kind === kFragFirst) {
      const total = readFragTotal(src, at);
      this.checkFirst(stream, total, bodyBytes, p);
      p = new Partial(stream, Buffer.allocUnsafeSlow(total), 0);
      this.partials.set(stream, p);
      this.partialBytes += total;
    } else {
      this.checkNext(kind, stream, bodyBytes, p);
    }
    this.beginBody(kind, stream, bodyBytes, p!.buf, p!.received, p!);
    return i;
  }

  private checkFirst(stream: number, total: number, chunkBytes: number, inProgress: Partial | undefined): void {
    if (inProgress !== undefined) {
      throw new FrameError('bad_fragment', `channel frame: first fragment on stream ${stream} while a message of ${inProgress.buf.length} bytes is in progress on it`);
    }
    if (total > this.maxMessageBytes) {
      throw new FrameError('too_large', `channel frame: message of ${total} bytes on stream ${stream} exceeds maxMessageBytes ${this.maxMessageBytes}`);
    }
    if (chunkBytes === 0) throw new FrameError('bad_fragment', `channel frame: empty first fragment on stream ${stream}`);
    if (chunkBytes >= total) {
      throw new FrameError('bad_fragment', `channel frame: first fragment of ${chunkBytes} bytes on stream ${stream} leaves nothing of its ${total}-byte message to a last fragment`);
    }
    if (this.partials.size >= this.maxPartialStreams) {
      throw new FrameError('too_many_streams', `channel frame: first fragment on stream ${stream}: ${this.partials.size} fragmented messages already in progress (maxPartialStreams ${this.maxPartialStreams})`);
    }
    if (this.partialBytes + total > this.maxPartialBytes) {
      throw new FrameError('too_much_buffered', `channel frame: first fragment on stream ${stream}: its ${total} bytes and the ${this.partialBytes} of the messages in progress exceed maxPartialBytes ${this.maxPartialBytes}`);
    }
  }

  private checkNext(kind: number, stream: number, chunkBytes: number, p: Partial | undefined): void {
    const name = frameKindName(kind);
    if (p === undefined) throw new FrameError('bad_fragment', `channel frame: ${name} on stream ${stream} with no message in progress`);
    if (chunkBytes === 0) throw new FrameError('bad_fragment', `channel frame: empty ${name} on stream ${stream}`);
    const total = p.buf.length;
    const reached = p.received + chunkBytes;
    if (reached > total) {
      throw new FrameError('bad_fragment', `channel frame: ${name} of ${chunkBytes} bytes on stream ${stream} exceeds its message: ${p.received} of ${total} bytes received`);
    }
    if (kind === kFragNext && reached === total) {
      throw new FrameError('bad_fragment', `channel frame: next fragment on stream ${stream} completes its ${total}-byte message; only a last fragment may`);
    }
    if (kind === kFragLast && reached < total) {
      throw new FrameError('bad_fragment', `channel frame: last fragment on stream ${stream} ends its message at ${reached} of ${total} bytes`);
    }
  }

  private beginBody(kind: number, stream: number, bodyBytes: number, target: Uint8Array, at: number, p: Partial | null): void {
    this.bodyKind = kind;
    this.bodyStream = stream;
    this.bodyLeft = bodyBytes;
    this.target = target;
    this.targetAt = at;
    this.partial = p;
  }

  /** A body read to its end: hand out what is complete. */
  private endBody(): void {
    const target = this.target!;
    const p = this.partial;
    this.target = null;
    this.partial = null;
    if (p === null) {
      if (this.bodyKind === kMessage) {
        this.messagesIn++;
        this.handler.onMessage(this.bodyStream, target);
      } else {
        this.handler.onControl(target);
      }
      return;
    }
    p.received = this.targetAt;
    if (this.bodyKind === kFragLast) {
      this.partials.delete(p.stream);
      this.partialBytes -= p.buf.length;
      this.messagesIn++;
      this.handler.onMessage(p.stream, p.buf);
    }
  }

  /** Dead: drop everything held. */
  private release(): void {
    this.partials.clear();
    this.partialBytes = 0;
    this.target = null;
    this.partial = null;
    this.bodyLeft = 0;
    this.hdrUsed = 0;
    this.hdrNeed = 0;
  }
}
