/**
 * SPSC ring: a lock-free single-producer / single-consumer queue of variable-length byte
 * records in a SharedArrayBuffer. The multi-thread layer keeps one ring per ordered pair
 * of threads (A -> B and B -> A are two rings), so every ring has exactly one writer
 * thread and one reader thread and needs no lock and no compare-and-swap.
 *
 * Shared layout (byte offsets from the ring's `byteOffset` in its SharedArrayBuffer):
 *
 *    0   +------------+------------+---------------------------------------------+
 *        | kMagic     | kCapacity  |  (unused)        config line, read-only      |
 *  128   +------------+------------+---------------------------------------------+
 *        | kHead      |  (unused)                     consumer-owned line          |
 *  256   +------------+------------+---------------------------------------------+
 *        | kTail      | kFullEvents|  (unused)        producer-owned line          |
 *  384   +------------+------------+---------------------------------------------+
 *        | data: `capacity` bytes (a power of two, >= kMinCapacity)              |
 *        |                                                                       |
 *        |  [len|payload...pad][len|payload.....pad][len|p.pad]  ...  [kSkip.....]|
 *        |   ^ head & mask                                ^ tail & mask           |
 *        +-----------------------------------------------------------------------+
 *
 * Head and tail live on separate 128-byte lines (two 64-byte lines: x86's adjacent-line
 * prefetcher pairs lines, and some ARM cores have 128-byte lines), so the producer's
 * stores to the tail never invalidate the line the consumer stores the head into.
 *
 * Positions. `head` and `tail` are free-running 32-bit byte counters that wrap at 2^32;
 * the byte index in the data area is `pos & (capacity - 1)`, and the number of bytes in
 * use is `(tail - head) | 0`, which is right across the 2^32 wrap because the capacity is
 * at most 2^30. The producer alone writes `tail`, the consumer alone writes `head`.
 *
 * Records. A record is a little-endian-on-this-machine u32 length word followed by the
 * payload, padded so that the next record starts on an 8-byte boundary:
 *
 *     +--------+----------------------+-----+
 *     | len u32| payload (len bytes)  | pad |      size = align8(4 + len)
 *     +--------+----------------------+-----+
 *
 * A record never wraps. When it does not fit between the write position and the end of
 * the data area, the producer writes `kSkipMarker` in the length word there and starts the
 * record at data offset 0; the consumer, on reading `kSkipMarker`, jumps to offset 0. The
 * skipped tail of the area counts as used until the consumer passes it. Since positions
 * are 8-aligned, at least 8 bytes remain before the end, so the marker always fits.
 *
 * Largest record. A record may use at most half the data area (`maxPayloadBytes` =
 * capacity / 2 - 4). In an empty ring whose position is `p`, a record of `size` bytes fits
 * either before the end (size <= capacity - p) or after a skip (size <= p); one of the two
 * is always >= capacity / 2, so a record of at most half the ring always fits once the
 * consumer has caught up. A larger one could wait forever; it is rejected with BadArgError.
 *
 * Protocol (both sides do no allocation per record):
 *
 *   Producer
 *     1. `tryReserve(len)`: compute the space needed (with a skip if the record would
 *        wrap) against a cached `head`; only if the cache says "full" re-load the shared
 *        head. Still full: count a full event and return -1 (backpressure: the caller
 *        keeps the message and retries later; nothing is lost, nothing is buffered here).
 *     2. Write the length word (and the skip marker) and return the payload's offset in
 *        `bytes` / `view`, so a codec can encode in place. `trimLast` shrinks the last
 *        reservation, `cancelLast` drops it, both before `commit`.
 *     3. Repeat 1-2 for as many records as the slice produced.
 *     4. `commit()`: ONE store of the tail publishes every record reserved since the last
 *        commit, together with their bytes.
 *   Consumer
 *     5. `next()`: return the payload offset of the next record (length in `recordLength`),
 *        or -1. Only when it has read everything up to its cached tail does it re-load
 *        the shared tail.
 *     6. Process the records; their bytes stay valid (the producer cannot overwrite them)
 *        until `release()`.
 *     7. `release()`: ONE store of the head hands all records read since the last release
 *        back to the producer.
 *
 * Memory ordering. JavaScript's `Atomics` operations are sequentially consistent, which
 * is stronger than the release/acquire pairs this protocol needs: a thread's ordinary
 * writes before an `Atomics.store` are visible to any thread whose `Atomics.load` reads
 * that stored value (ECMAScript memory model: the store synchronizes-with the load). The
 * comments at each Atomics call say what that store or load makes visible to whom.
 */

import { BadArgError } from '../core/errors.ts';

/** Bytes per header line: head and tail each get their own. */
export const kCacheLineBytes = 128;
/** Header size in bytes; the data area starts here (8-aligned). */
export const kRingHeaderBytes = 3 * kCacheLineBytes;

// Header fields, as Int32Array indices from the ring's byteOffset.
const kMagicIndex = 0;
const kCapacityIndex = 1;
const kHeadIndex = kCacheLineBytes / 4; // consumer-owned line
const kTailIndex = (2 * kCacheLineBytes) / 4; // producer-owned line
const kFullEventsIndex = kTailIndex + 1; // producer-owned line, read by profilers

/** "SPSC" in ASCII; marks an initialized ring header (and its layout version). */
const kMagic = 0x53505343;
/** Length word that means "the rest of the data area is padding; continue at 0". */
const kSkipMarker = -1; // 0xFFFFFFFF as a u32
const kRecordHeaderBytes = 4;
const kRecordAlign = 8;

export const kMinCapacity = 64;
export const kMaxCapacity = 1 << 30;

/** Size of a record with `len` payload bytes: length word + payload, rounded up to 8. */
export function spscRecordBytes(len: number): number {
  return (len + kRecordHeaderBytes + kRecordAlign - 1) & ~(kRecordAlign - 1);
}

/** Bytes a ring with a `capacity`-byte data area takes in a SharedArrayBuffer. */
export function spscRingByteLength(capacity: number): number {
  checkCapacity(capacity);
  return kRingHeaderBytes + capacity;
}

/**
 * Write a fresh ring header at `byteOffset` in `sab` (8-aligned; the region must be
 * `spscRingByteLength(capacity)` bytes). Do this once, before any thread attaches.
 */
export function initSpscRing(sab: SharedArrayBuffer, byteOffset: number, capacity: number): void {
  const total = spscRingByteLength(capacity);
  if (byteOffset % kRecordAlign !== 0 || byteOffset < 0 || byteOffset + total > sab.byteLength) {
    throw new BadArgError(`spsc ring: region [${byteOffset}, ${byteOffset + total}) does not fit an 8-aligned slot of a ${sab.byteLength}-byte SharedArrayBuffer`);
  }
  const header = new Int32Array(sab, byteOffset, kRingHeaderBytes / 4);
  header.fill(0);
  header[kCapacityIndex] = capacity;
  // Publishes the zeroed head/tail and the capacity to any thread that later sees the
  // magic with Atomics.load (the constructors below check it that way). In practice the
  // buffer reaches other threads through postMessage, which orders this as well.
  Atomics.store(header, kMagicIndex, kMagic);
}

/** Allocate a SharedArrayBuffer holding one initialized ring with a `capacity`-byte data area. */
export function createSpscRing(capacity: number): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(spscRingByteLength(capacity));
  initSpscRing(sab, 0, capacity);
  return sab;
}

function checkCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < kMinCapacity || capacity > kMaxCapacity || (capacity & (capacity - 1)) !== 0) {
    throw new BadArgError(`spsc ring: capacity must be a power of two in [${kMinCapacity}, ${kMaxCapacity}], got ${capacity}`);
  }
}

function attachHeader(sab: SharedArrayBuffer, byteOffset: number): Int32Array {
  if (!(sab instanceof SharedArrayBuffer)) throw new BadArgError('spsc ring: expected a SharedArrayBuffer');
  if (byteOffset % kRecordAlign !== 0 || byteOffset < 0 || byteOffset + kRingHeaderBytes > sab.byteLength) {
    throw new BadArgError(`spsc ring: bad byteOffset ${byteOffset}`);
  }
  const header = new Int32Array(sab, byteOffset, kRingHeaderBytes / 4);
  // Acquire side of initSpscRing's store: seeing the magic makes the capacity and the
  // zeroed positions written before it visible to this thread.
  if (Atomics.load(header, kMagicIndex) !== kMagic) {
    throw new BadArgError(`spsc ring: no ring initialized at byteOffset ${byteOffset}`);
  }
  const capacity = header[kCapacityIndex]!;
  checkCapacity(capacity);
  if (byteOffset + kRingHeaderBytes + capacity > sab.byteLength) {
    throw new BadArgError('spsc ring: data area runs past the end of the SharedArrayBuffer');
  }
  return header;
}

/**
 * The writing end of a ring. Exactly one thread may hold a producer for a given ring.
 *
 *   const off = producer.tryReserve(n);      // -1: full, try again later
 *   if (off >= 0) { producer.bytes.set(src, off); ... }
 *   producer.commit();                       // once per batch
 */
export class SpscRingProducer {
  /** The data area. Payload offsets returned by `tryReserve` index into it. */
  readonly bytes: Uint8Array;
  /** The same data area, for codecs that write numbers in place. */
  readonly view: DataView;
  readonly capacity: number;
  /** Largest payload a single record may have (half the ring minus the length word). */
  readonly maxPayloadBytes: number;

  private readonly header: Int32Array;
  /** The data area as 32-bit words: length words live at 8-aligned offsets. */
  private readonly words: Int32Array;
  private readonly mask: number;
  /** Last tail published with `commit`. */
  private published: number;
  /** Tail including records reserved but not yet committed. */
  private pending: number;
  /** Last head loaded from shared memory; the real head is never behind it. */
  private headCache: number;
  /** Is there a reservation that trimLast / cancelLast may still change? */
  private hasLast = false;
  /** Free-running position of the last reservation, before its skip marker (for cancelLast). */
  private lastStart = 0;
  /** Free-running position of the last reservation's length word (for trimLast). */
  private lastRecord = 0;
  private fullEvents: number;

  constructor(sab: SharedArrayBuffer, byteOffset = 0) {
    const header = attachHeader(sab, byteOffset);
    const capacity = header[kCapacityIndex]!;
    this.header = header;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.maxPayloadBytes = capacity / 2 - kRecordHeaderBytes;
    const dataOffset = byteOffset + kRingHeaderBytes;
    this.bytes = new Uint8Array(sab, dataOffset, capacity);
    this.view = new DataView(sab, dataOffset, capacity);
    this.words = new Int32Array(sab, dataOffset, capacity / 4);
    // Our own field: only this thread writes it, the load just picks up where a previous
    // producer object for this ring (if any) stopped.
    this.published = this.pending = Atomics.load(header, kTailIndex);
    // Makes the consumer's progress so far visible to us (see tryReserve).
    this.headCache = Atomics.load(header, kHeadIndex);
    this.fullEvents = Atomics.load(header, kFullEventsIndex);
  }

  /**
   * Reserve a record with a `len`-byte payload. Returns the payload's offset in `bytes`
   * (and `view`), or -1 when the ring has no room for it now. The record becomes visible
   * to the consumer at the next `commit()`.
   * @throws BadArgError if `len` is not an integer in [0, maxPayloadBytes].
   */
  tryReserve(len: number): number {
    if (!(len >>> 0 === len && len <= this.maxPayloadBytes)) this.rejectLength(len);
    const capacity = this.capacity;
    const size = (len + kRecordHeaderBytes + kRecordAlign - 1) & ~(kRecordAlign - 1);
    let pos = this.pending;
    let at = pos & this.mask;
    const contiguous = capacity - at;
    const need = size <= contiguous ? size : contiguous + size;
    if (((pos - this.headCache) | 0) + need > capacity) {
      // Acquire: the consumer stored this head after it finished reading the records
      // before it, so the bytes below it are free for us to overwrite.
      this.headCache = Atomics.load(this.header, kHeadIndex);
      if (((pos - this.headCache) | 0) + need > capacity) {
        // Profilers (any thread) read the count of times this producer met a full ring;
        // it orders nothing else.
        Atomics.store(this.header, kFullEventsIndex, ++this.fullEvents);
        return -1;
      }
    }
    this.hasLast = true;
    this.lastStart = pos;
    if (size > contiguous) {
      this.words[at >> 2] = kSkipMarker;
      pos = (pos + contiguous) | 0;
      at = 0;
    }
    this.words[at >> 2] = len;
    this.lastRecord = pos;
    this.pending = (pos + size) | 0;
    return at + kRecordHeaderBytes;
  }

  /**
   * Reserve and copy `src` in; returns false (copying nothing) when the ring is full.
   * Publish with `commit()`.
   */
  tryWrite(src: Uint8Array): boolean {
    const off = this.tryReserve(src.length);
    if (off < 0) return false;
    this.bytes.set(src, off);
    return true;
  }

  /**
   * Shrink the payload of the last reservation to `len` bytes (e.g. a codec reserved a
   * guess and wrote less). Only before `commit()`, only once per reservation.
   */
  trimLast(len: number): void {
    if (!this.hasLast) throw new BadArgError('spsc ring: trimLast without a reservation since the last commit/trim/cancel');
    const at = this.lastRecord & this.mask;
    if (!(len >>> 0 === len && len <= this.words[at >> 2]!)) {
      throw new BadArgError(`spsc ring: trimLast(${len}) larger than the reserved ${this.words[at >> 2]} bytes`);
    }
    this.words[at >> 2] = len;
    this.pending = (this.lastRecord + spscRecordBytes(len)) | 0;
    this.hasLast = false;
  }

  /** Drop the last reservation (and its skip marker, if it wrapped). Only before `commit()`. */
  cancelLast(): void {
    if (!this.hasLast) throw new BadArgError('spsc ring: cancelLast without a reservation since the last commit/trim/cancel');
    this.pending = this.lastStart;
    this.hasLast = false;
  }

  /**
   * Publish every record reserved since the last commit with one store of the tail.
   * Returns true if there was anything to publish (then ring the consumer's doorbell).
   */
  commit(): boolean {
    this.hasLast = false;
    const pending = this.pending;
    if (pending === this.published) return false;
    this.published = pending;
    // Release: makes the length words, skip markers and payload bytes of all records up
    // to `pending` visible to the consumer thread, which Atomics.loads the tail before
    // reading them. Sequentially consistent, so it is also ordered before a following
    // Atomics.load of the consumer's doorbell state (doorbell.ts step P2).
    Atomics.store(this.header, kTailIndex, pending);
    return true;
  }

  /** Times `tryReserve` found the ring full (also in the shared header, for profilers). */
  get fullEventCount(): number {
    return this.fullEvents;
  }

  /** Bytes reserved and not yet committed. */
  get uncommittedBytes(): number {
    return (this.pending - this.published) | 0;
  }

  /**
   * Would `tryReserve(len)` succeed now? Re-loads the head; for a producer that waits for
   * space on a doorbell, as the re-check before it sleeps.
   */
  hasRoomFor(len: number): boolean {
    const capacity = this.capacity;
    const size = spscRecordBytes(len);
    const pos = this.pending;
    const contiguous = capacity - (pos & this.mask);
    const need = size <= contiguous ? size : contiguous + size;
    // Acquire, as in tryReserve: a head we see here was stored after the consumer was
    // done with the bytes below it.
    this.headCache = Atomics.load(this.header, kHeadIndex);
    return ((pos - this.headCache) | 0) + need <= capacity;
  }

  private rejectLength(len: number): never {
    throw new BadArgError(
      `spsc ring: record payload of ${len} bytes; must be an integer in [0, ${this.maxPayloadBytes}] (half the ${this.capacity}-byte ring)`,
    );
  }
}

/** Called by `SpscRingConsumer.drain` for each record: its payload is `bytes[offset, offset + length)`. */
export type SpscRecordHandler = (bytes: Uint8Array, offset: number, length: number) => void;

/**
 * The reading end of a ring. Exactly one thread may hold a consumer for a given ring.
 *
 *   let off;
 *   while ((off = consumer.next()) >= 0) handle(consumer.bytes, off, consumer.recordLength);
 *   consumer.release();                      // once per batch
 */
export class SpscRingConsumer {
  /** The data area. Offsets returned by `next` index into it. */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly capacity: number;
  /** Payload length of the record last returned by `next()`. */
  recordLength = 0;

  private readonly header: Int32Array;
  private readonly words: Int32Array;
  private readonly mask: number;
  private readonly maxPayloadBytes: number;
  /** Last head published with `release`. */
  private released: number;
  /** Position of the next record to read. */
  private readPos: number;
  /** Last tail loaded from shared memory; the real tail is never behind it. */
  private tailCache: number;

  constructor(sab: SharedArrayBuffer, byteOffset = 0) {
    const header = attachHeader(sab, byteOffset);
    const capacity = header[kCapacityIndex]!;
    this.header = header;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.maxPayloadBytes = capacity / 2 - kRecordHeaderBytes;
    const dataOffset = byteOffset + kRingHeaderBytes;
    this.bytes = new Uint8Array(sab, dataOffset, capacity);
    this.view = new DataView(sab, dataOffset, capacity);
    this.words = new Int32Array(sab, dataOffset, capacity / 4);
    // Our own field; resumes where a previous consumer object for this ring stopped.
    this.released = this.readPos = Atomics.load(header, kHeadIndex);
    // Acquire: records up to this tail (and their bytes) are visible to us.
    this.tailCache = Atomics.load(header, kTailIndex);
  }

  /**
   * The payload offset of the next record (its length is then in `recordLength`), or -1
   * when no committed record is left. The record's bytes stay valid until `release()`.
   */
  next(): number {
    let pos = this.readPos;
    if (pos === this.tailCache) {
      // Acquire: pairs with the producer's commit(); every record before the tail we
      // read here has its length word and payload visible to this thread.
      const tail = Atomics.load(this.header, kTailIndex);
      if (tail === pos) return -1;
      this.tailCache = tail;
    }
    let at = pos & this.mask;
    let len = this.words[at >> 2]!;
    if (len === kSkipMarker) {
      // The producer wrote the skip and the record after it in one reservation and
      // published both with one commit, so a record follows at offset 0.
      pos = (pos + this.capacity - at) | 0;
      at = 0;
      len = this.words[0]!;
    }
    if (len >>> 0 > this.maxPayloadBytes) {
      throw new RangeError(`spsc ring corrupted: record length ${len >>> 0} at data offset ${at}`);
    }
    this.recordLength = len;
    this.readPos = (pos + ((len + kRecordHeaderBytes + kRecordAlign - 1) & ~(kRecordAlign - 1))) | 0;
    return at + kRecordHeaderBytes;
  }

  /**
   * Hand the space of every record read since the last release back to the producer,
   * with one store of the head. Returns true if anything was released (a producer that
   * may be waiting for space can then be woken).
   */
  release(): boolean {
    const pos = this.readPos;
    if (pos === this.released) return false;
    this.released = pos;
    // Release: our reads of the records before `pos` are complete; a producer that
    // Atomics.loads this head may overwrite those bytes. Sequentially consistent, so it
    // is also ordered before a following load of the producer's doorbell state.
    Atomics.store(this.header, kHeadIndex, pos);
    return true;
  }

  /**
   * Is there a committed record not yet returned by `next()`? Re-loads the tail; for a
   * consumer about to park, as the re-check after announcing it (doorbell.ts step C2).
   */
  hasRecords(): boolean {
    if (this.readPos !== this.tailCache) return true;
    // Acquire (as in next); being sequentially consistent, this load is ordered after
    // the consumer's doorbell store of "parked", which is what the doorbell relies on.
    this.tailCache = Atomics.load(this.header, kTailIndex);
    return this.readPos !== this.tailCache;
  }

  /**
   * Call `handler` for up to `maxRecords` records, then release them all with one store.
   * Returns how many records were handled. Allocates nothing if `handler` doesn't.
   */
  drain(handler: SpscRecordHandler, maxRecords = 0x7fffffff): number {
    let n = 0;
    let off: number;
    while (n < maxRecords && (off = this.next()) >= 0) {
      handler(this.bytes, off, this.recordLength);
      n++;
    }
    this.release();
    return n;
  }
}
