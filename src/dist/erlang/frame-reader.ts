/**
 * ErlangFrameReader: the receiving half of a connected Erlang distribution channel. It
 * takes the connection's bytes as they come (split anywhere) and calls its handler once
 * per tick and once per whole message, split into its control message and payload; the
 * terms themselves are not decoded (the ETF codec does that, resolving ATOM_CACHE_REF i
 * through `message.atoms[i]`).
 *
 * Reading, packet by packet:
 *   1. the 4-byte length; 0 is a tick (onTick); above maxPacketBytes is 'too_large';
 *   2. the body, gathered (a body inside one pushed chunk is a view of it; one that
 *      crosses chunks is joined once it is whole);
 *   3. by its first bytes:
 *      - 131 68: the distribution header (dist-header.ts: atom cache refs, the
 *        connection's cache updated), then the message;
 *      - 131 69: the first fragment of sequence `seq` with `frag` fragments: its refs are
 *        read (and the cache updated) now, its data kept; frag 1 is a whole message;
 *      - 131 70: the next fragment of `seq`: its frag must be the previous one minus 1;
 *        frag 1 completes the message, which is joined and handed out;
 *      - 112: pass-through (no header: neither DIST_HDR_ATOM_CACHE nor FRAGMENTS in
 *        use): the control term and the payload each start with the version byte 131;
 *      (both forms are read whatever was negotiated: being lenient costs nothing here)
 *      - anything else is 'bad_header';
 *   4. the message: the control term's end is found with skipTerm (term-skipper.ts);
 *      the rest, if any, is the payload. Both are handed out without a version byte.
 * Reassembly bounds: maxPartialSequences messages at once ('too_much_buffered'), their
 * bytes together maxPartialBytes ('too_much_buffered'), one message maxMessageBytes
 * ('too_large'); a fragment of an unknown sequence, one out of order, or a first
 * fragment for a sequence in progress is 'bad_fragment'. Nothing is allocated ahead for
 * a length the peer claims: bytes are held as they arrive.
 *
 * Errors: every malformed input is an ErlangFrameError; afterwards the reader is dead:
 * its buffers are dropped and every push throws 'dead' with the first error as `cause`.
 * A handler that throws kills the reader the same way. Views handed out point into the
 * pushed chunks: do not reuse a chunk's memory after pushing it. A fragment's data is
 * kept as a view too, so the memory held can exceed bufferedBytes by the rest of the
 * chunks those views point into (at most one socket chunk per fragment).
 */
import { checkOptions, isInteger } from '../../core/options.ts';
import { ErlangAtomCache } from './atom-cache.ts';
import {
  kDistFragFirst, kDistFragNext, kDistHeader, kFragmentHeaderBytes, kPassThrough, kVersionMagic, readAtomRefs,
} from './dist-header.ts';
import { ErlangFrameError } from './errors.ts';
import { skipTerm } from './term-skipper.ts';

export interface ErlangMessage {
  /** The atoms of the header's refs: ATOM_CACHE_REF i is atoms[i] (empty without a header). */
  readonly atoms: readonly string[];
  /** The control message: one term, no version byte. */
  readonly control: Uint8Array;
  /** What follows the control message (the message of a SEND, an exit reason ...), no version byte; null if nothing. */
  readonly payload: Uint8Array | null;
}

export interface ErlangFrameHandler {
  onTick(): void;
  onMessage(message: ErlangMessage): void;
}

export interface ErlangFrameReaderLimits {
  /** The largest packet (default 1 GiB: a peer without FRAGMENTS sends a message in one packet). */
  readonly maxPacketBytes?: number;
  /** The largest message, whole or reassembled (default 1 GiB). */
  readonly maxMessageBytes?: number;
  /** Fragmented messages in reassembly at once (default 256). */
  readonly maxPartialSequences?: number;
  /** Bytes of the messages in reassembly together (default 2 GiB, at least maxMessageBytes). */
  readonly maxPartialBytes?: number;
}

const kGiB = 1024 * 1024 * 1024;
const mustBePositive = (v: unknown): string | null => (isInteger(v) && v >= 1 ? null : 'must be a positive integer');
const mustBePacketBytes = (v: unknown): string | null => (isInteger(v) && v >= 1 && v <= 0xffffffff ? null : 'must be an integer in 1..4294967295');

class Partial {
  readonly parts: Uint8Array[] = [];
  bytes = 0;
  constructor(readonly seq: bigint, public next: bigint, readonly atoms: readonly string[]) {}
}

function join(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u64(b: Uint8Array, at: number): bigint {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(at);
}

export class ErlangFrameReader {
  /** The connection's inbound atom cache (what the refs of later headers read). */
  readonly atomCache = new ErlangAtomCache();
  private readonly handler: ErlangFrameHandler;
  private readonly maxPacketBytes: number;
  private readonly maxMessageBytes: number;
  private readonly maxPartialSequences: number;
  private readonly maxPartialBytes: number;

  private readonly len = new Uint8Array(4);
  private lenUsed = 0;
  /** Bytes of the current packet's body still to come (0: reading a length). */
  private need = 0;
  private parts: Uint8Array[] = [];
  private partsBytes = 0;

  private readonly partials = new Map<bigint, Partial>();
  private partialBytes = 0;
  private dead: unknown = null;

  private bytesIn = 0;
  private packetsIn = 0;
  private ticksIn = 0;
  private messagesIn = 0;
  private fragmentsIn = 0;
  private passThroughIn = 0;

  constructor(handler: ErlangFrameHandler, limits?: ErlangFrameReaderLimits) {
    checkOptions('ErlangFrameReader', {
      maxPacketBytes: mustBePacketBytes, maxMessageBytes: mustBePositive, maxPartialSequences: mustBePositive, maxPartialBytes: mustBePositive,
    }, limits);
    this.handler = handler;
    this.maxPacketBytes = limits?.maxPacketBytes ?? kGiB;
    this.maxMessageBytes = limits?.maxMessageBytes ?? kGiB;
    this.maxPartialSequences = limits?.maxPartialSequences ?? 256;
    this.maxPartialBytes = limits?.maxPartialBytes ?? Math.max(2 * kGiB, this.maxMessageBytes);
  }

  /** Bytes pushed so far (what a ticker watches). */
  get bytesRead(): number { return this.bytesIn; }
  get packetsRead(): number { return this.packetsIn; }
  get ticksRead(): number { return this.ticksIn; }
  get messagesRead(): number { return this.messagesIn; }
  /** Packets with a fragment header (131 69 / 131 70). */
  get fragmentsRead(): number { return this.fragmentsIn; }
  /** Packets in the pass-through form (112, no header). */
  get passThroughRead(): number { return this.passThroughIn; }
  /** Bytes held: the packet being read and the messages in reassembly. */
  get bufferedBytes(): number { return this.lenUsed + this.partsBytes + this.partialBytes; }
  get partialSequences(): number { return this.partials.size; }
  get failed(): boolean { return this.dead !== null; }

  /** Read `chunk`; throws ErlangFrameError on malformed input (then the reader is dead). */
  push(chunk: Uint8Array): void {
    if (this.dead !== null) {
      const first = this.dead;
      throw new ErlangFrameError('dead', `Erlang channel: the reader failed before: ${first instanceof Error ? first.message : String(first)}`, first);
    }
    try {
      this.consume(chunk);
    } catch (err) {
      this.dead = err;
      this.parts = [];
      this.partsBytes = 0;
      this.partials.clear();
      this.partialBytes = 0;
      throw err;
    }
  }

  private consume(chunk: Uint8Array): void {
    const n = chunk.length;
    this.bytesIn += n;
    let i = 0;
    while (i < n) {
      if (this.need === 0) {
        // Step 1: the length (fast path: whole in this chunk).
        let length: number;
        if (this.lenUsed === 0 && n - i >= 4) {
          length = ((chunk[i]! << 24) >>> 0) + ((chunk[i + 1]! << 16) | (chunk[i + 2]! << 8) | chunk[i + 3]!);
          i += 4;
        } else {
          while (i < n && this.lenUsed < 4) this.len[this.lenUsed++] = chunk[i++]!;
          if (this.lenUsed < 4) return;
          const l = this.len;
          length = ((l[0]! << 24) >>> 0) + ((l[1]! << 16) | (l[2]! << 8) | l[3]!);
          this.lenUsed = 0;
        }
        this.packetsIn++;
        if (length === 0) {
          this.ticksIn++;
          this.handler.onTick();
          continue;
        }
        if (length > this.maxPacketBytes) {
          throw new ErlangFrameError('too_large', `Erlang channel: a packet of ${length} bytes exceeds maxPacketBytes ${this.maxPacketBytes}`);
        }
        this.need = length;
        continue;
      }
      // Step 2: the body.
      const take = this.need < n - i ? this.need : n - i;
      const piece = chunk.subarray(i, i + take);
      i += take;
      this.need -= take;
      if (this.need === 0 && this.parts.length === 0) {
        this.packet(piece);
        continue;
      }
      this.parts.push(piece);
      this.partsBytes += take;
      if (this.need === 0) {
        const body = join(this.parts, this.partsBytes);
        this.parts = [];
        this.partsBytes = 0;
        this.packet(body);
      }
    }
  }

  /** Step 3. */
  private packet(p: Uint8Array): void {
    const first = p[0]!;
    if (first === kPassThrough) {
      this.passThrough(p);
      return;
    }
    if (first !== kVersionMagic || p.length < 2) {
      throw new ErlangFrameError('bad_header', `Erlang channel: a packet that starts with byte ${first} (expected 131 or 112)`);
    }
    const kind = p[1]!;
    if (kind === kDistHeader) {
      const refs = readAtomRefs(p, 2, this.atomCache);
      this.deliver(p.subarray(refs.end), refs.atoms);
      return;
    }
    if (kind !== kDistFragFirst && kind !== kDistFragNext) {
      throw new ErlangFrameError('bad_header', `Erlang channel: distribution header kind ${kind} (expected 68, 69 or 70)`);
    }
    if (p.length < kFragmentHeaderBytes) throw new ErlangFrameError('bad_header', `Erlang channel: a fragment header cut short (${p.length} bytes)`);
    const seq = u64(p, 2);
    const frag = u64(p, 10);
    this.fragmentsIn++;
    if (frag === 0n) throw new ErlangFrameError('bad_fragment', `Erlang channel: fragment id 0 in sequence ${seq}`);
    let partial = this.partials.get(seq);
    if (kind === kDistFragFirst) {
      if (partial !== undefined) throw new ErlangFrameError('bad_fragment', `Erlang channel: a first fragment for sequence ${seq}, which is in progress`);
      const refs = readAtomRefs(p, kFragmentHeaderBytes, this.atomCache);
      const data = p.subarray(refs.end);
      if (frag === 1n) {
        this.deliver(data, refs.atoms);
        return;
      }
      if (this.partials.size >= this.maxPartialSequences) {
        throw new ErlangFrameError('too_much_buffered', `Erlang channel: sequence ${seq}: ${this.partials.size} fragmented messages already in reassembly (maxPartialSequences ${this.maxPartialSequences})`);
      }
      partial = new Partial(seq, frag - 1n, refs.atoms);
      this.partials.set(seq, partial);
      this.add(partial, data);
      return;
    }
    if (partial === undefined) throw new ErlangFrameError('bad_fragment', `Erlang channel: fragment ${frag} of sequence ${seq}, which is not in progress`);
    if (frag !== partial.next) throw new ErlangFrameError('bad_fragment', `Erlang channel: fragment ${frag} of sequence ${seq} where ${partial.next} was due`);
    this.add(partial, p.subarray(kFragmentHeaderBytes));
    if (frag === 1n) {
      this.partials.delete(seq);
      this.partialBytes -= partial.bytes;
      this.deliver(join(partial.parts, partial.bytes), partial.atoms);
      return;
    }
    partial.next = frag - 1n;
  }

  private add(partial: Partial, data: Uint8Array): void {
    if (partial.bytes + data.length > this.maxMessageBytes) {
      throw new ErlangFrameError('too_large', `Erlang channel: sequence ${partial.seq} grows past maxMessageBytes ${this.maxMessageBytes}`);
    }
    if (this.partialBytes + data.length > this.maxPartialBytes) {
      throw new ErlangFrameError('too_much_buffered', `Erlang channel: sequence ${partial.seq}: the messages in reassembly would hold more than maxPartialBytes ${this.maxPartialBytes}`);
    }
    if (data.length > 0) partial.parts.push(data);
    partial.bytes += data.length;
    this.partialBytes += data.length;
  }

  private passThrough(p: Uint8Array): void {
    this.passThroughIn++;
    if (p.length < 2 || p[1] !== kVersionMagic) throw new ErlangFrameError('bad_term', 'Erlang channel: a pass-through control message without its version byte 131');
    const end = skipTerm(p, 2);
    let payload: Uint8Array | null = null;
    if (end < p.length) {
      if (p[end] !== kVersionMagic) throw new ErlangFrameError('bad_term', 'Erlang channel: a pass-through payload without its version byte 131');
      payload = p.subarray(end + 1);
    }
    this.emit({ atoms: [], control: p.subarray(2, end), payload });
  }

  /** Step 4. */
  private deliver(body: Uint8Array, atoms: readonly string[]): void {
    if (body.length > this.maxMessageBytes) {
      throw new ErlangFrameError('too_large', `Erlang channel: a message of ${body.length} bytes exceeds maxMessageBytes ${this.maxMessageBytes}`);
    }
    const end = skipTerm(body, 0);
    this.emit({ atoms, control: body.subarray(0, end), payload: end < body.length ? body.subarray(end) : null });
  }

  private emit(m: ErlangMessage): void {
    this.messagesIn++;
    this.handler.onMessage(m);
  }
}
