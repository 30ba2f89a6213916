/**
 * Channel frames: the frames of the one TCP connection between two nodes, after the
 * handshake. Everything on the connection is one of these (FrameWriter makes them,
 * FrameReader takes them apart). All integers are big-endian.
 *
 * Every frame: a 4-byte length (of the bytes after it: the kind byte and the body),
 * then the kind byte, then the body of that kind:
 *
 *   0          4        5
 *   +----------+--------+------------------------------------------+
 *   | Len u32  | Kind u8| Body (Len - 1 bytes)                     |   Len >= 1
 *   +----------+--------+------------------------------------------+
 *
 *   kTick 1       no body (Len = 1): a heartbeat
 *   +----------+---+
 *   | 1        | 1 |
 *   +----------+---+
 *
 *   kControl 2    node-level control bytes, opaque here (e.g. the mesh's nodes list)
 *   +----------+---+------------------+
 *   | 1 + N    | 2 | Control (N)      |
 *   +----------+---+------------------+
 *
 *   kMessage 3    a whole message of one stream (a sender)
 *   +----------+---+------------+------------------+
 *   | 5 + N    | 3 | Stream u32 | Payload (N)      |
 *   +----------+---+------------+------------------+
 *
 *   kFragFirst 4  the first fragment of a larger message: its total size (u64 as two u32)
 *   +----------+---+------------+------------+------------+------------------+
 *   | 13 + N   | 4 | Stream u32 | Total hi   | Total lo   | Chunk (N)        |
 *   +----------+---+------------+------------+------------+------------------+
 *
 *   kFragNext 5 / kFragLast 6   the following fragments / the one that completes it
 *   +----------+---+------------+------------------+
 *   | 5 + N    | 5 | Stream u32 | Chunk (N)        |      N >= 1 for every fragment
 *   +----------+---+------------+------------------+
 *
 *   kCredit 7     the reader read this many more bytes of fragments (a priority frame)
 *   +----------+---+------------+
 *   | 5        | 7 | Bytes u32  |
 *   +----------+---+------------+
 *
 * The protocol of a stream, in order:
 *   1. a message of at most the writer's fragmentBytes is one kMessage frame;
 *   2. a larger one is kFragFirst (carrying the total, so the reader allocates once and
 *      refuses a message above its maxMessageBytes before allocating), then zero or more
 *      kFragNext, then kFragLast, whose chunks add up exactly to the total;
 *   3. a stream's messages are strictly sequential: all fragments of one before anything
 *      of the next on that stream, so a fragment names only its stream. Frames of
 *      different streams, ticks and control frames interleave freely between them.
 *
 * Credit (both peers offer kFlagCredit in the handshake): the writer keeps at most its
 * window (kDefaultWindowBytes) of fragment chunk bytes written and not yet credited; the
 * reader sends kCredit for what it read, every kCreditEveryBytes. A large message then
 * never fills the kernel's socket buffers (megabytes on loopback) ahead of a tick or a
 * small message, which wait behind at most a window of it; whole messages, ticks and
 * control frames are never held by the window.
 */

/** The length word in front of every frame. */
export const kFrameLengthBytes = 4;
/** Length word + kind byte: the header of every frame (a tick is only this). */
export const kFrameHeaderBytes = 5;

export const kTick = 1;
export const kControl = 2;
export const kMessage = 3;
export const kFragFirst = 4;
export const kFragNext = 5;
export const kFragLast = 6;
export const kCredit = 7;

/** Header bytes (length word, kind, fixed fields) of a kMessage / kFragNext / kFragLast frame. */
export const kStreamHeaderBytes = 9;
/** Header bytes of a kFragFirst frame (the stream and the u64 total besides). */
export const kFragFirstHeaderBytes = 17;
/** The largest value of a length word. */
export const kMaxFrameLength = 0xffff_ffff;

/** A kCredit frame, all header. */
export const kCreditFrameBytes = 9;
/** Header bytes of each kind (index = kind; 0 = not a kind). */
export const kHeaderBytesByKind: readonly number[] = [0, kFrameHeaderBytes, kFrameHeaderBytes, kStreamHeaderBytes, kFragFirstHeaderBytes, kStreamHeaderBytes, kStreamHeaderBytes, kCreditFrameBytes];

/** Defaults of the writer and the reader (io-thread config may override them). */
export const kDefaultFragmentBytes = 64 * 1024;
export const kDefaultMaxBatchBytes = 256 * 1024;
export const kDefaultMaxFrameBytes = 1024 * 1024;
export const kDefaultMaxMessageBytes = 1024 * 1024 * 1024;
export const kDefaultMaxPartialStreams = 256;
export const kDefaultMaxPartialBytes = 2 * 1024 * 1024 * 1024;
/** Fragment bytes a writer keeps in flight uncredited, with a peer that grants credit. */
export const kDefaultWindowBytes = 1024 * 1024;
/** A reader grants credit once it has read this many fragment bytes since its last grant. */
export const kCreditEveryBytes = 128 * 1024;
/** The largest fragmentBytes a writer accepts (a frame's length must fit its u32 word). */
export const kMaxFragmentBytes = 1024 * 1024 * 1024;

/** The kind's name, for messages. */
export function frameKindName(kind: number): string {
  switch (kind) {
    case kTick: return 'tick';
    case kControl: return 'control';
    case kMessage: return 'message';
    case kFragFirst: return 'first fragment';
    case kFragNext: return 'next fragment';
    case kFragLast: return 'last fragment';
    case kCredit: return 'credit';
    default: return `kind ${kind}`;
  }
}

/**
 * The length word of the largest frame a writer with this fragmentBytes makes for stream
 * traffic (a kFragFirst with a full chunk): a reader's maxFrameBytes must be at least this
 * (and at least 1 + the largest control body).
 */
export function frameLengthForFragment(fragmentBytes: number): number {
  return kFragFirstHeaderBytes - kFrameLengthBytes + fragmentBytes;
}

export function readU32(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}

export function writeU32(buf: Uint8Array, at: number, v: number): void {
  buf[at] = v >>> 24;
  buf[at + 1] = v >>> 16;
  buf[at + 2] = v >>> 8;
  buf[at + 3] = v;
}

/** Write a frame's length word and kind at `at`; returns the offset after them. */
export function writeFrameHeader(buf: Uint8Array, at: number, length: number, kind: number): number {
  writeU32(buf, at, length);
  buf[at + 4] = kind;
  return at + kFrameHeaderBytes;
}

/** Write the header of a kMessage / kFragNext / kFragLast frame with a body of `bodyBytes`. */
export function writeStreamHeader(buf: Uint8Array, at: number, kind: number, stream: number, bodyBytes: number): number {
  writeFrameHeader(buf, at, kStreamHeaderBytes - kFrameLengthBytes + bodyBytes, kind);
  writeU32(buf, at + 5, stream);
  return at + kStreamHeaderBytes;
}

/** Write the header of a kFragFirst frame with a chunk of `chunkBytes` of a `totalBytes` message. */
export function writeFragFirstHeader(buf: Uint8Array, at: number, stream: number, chunkBytes: number, totalBytes: number): number {
  writeFrameHeader(buf, at, kFragFirstHeaderBytes - kFrameLengthBytes + chunkBytes, kFragFirst);
  writeU32(buf, at + 5, stream);
  writeU32(buf, at + 9, Math.floor(totalBytes / 0x1_0000_0000));
  writeU32(buf, at + 13, totalBytes >>> 0);
  return at + kFragFirstHeaderBytes;
}

/** The stream of a frame whose header starts at `at` (kinds 3..6). */
export function readStream(buf: Uint8Array, at: number): number {
  return readU32(buf, at + 5);
}

/**
 * The total size of a kFragFirst frame whose header starts at `at`. Above 2^53 it is not
 * exact, but still far above any maxMessageBytes, which is all a reader asks of it.
 */
export function readFragTotal(buf: Uint8Array, at: number): number {
  return readU32(buf, at + 9) * 0x1_0000_0000 + readU32(buf, at + 13);
}
