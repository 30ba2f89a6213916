/**
 * The I/O link: both ends of the record protocol of io-protocol.ts between a node thread
 * and its distribution I/O thread, over two SPSC rings, two doorbells and one MessagePort.
 *
 *     side 'node'                                               side 'io'
 *   +----------------+   toIo: [link header | SpscRing]     +----------------+
 *   | producer ------|------------------------------------->|----- consumer  |
 *   | consumer <-----|<-------------------------------------|------ producer |
 *   |                |   fromIo: [link header | SpscRing]   |                |
 *   | sleeper nodeBell <------ rung by the io side          |                |
 *   |                |          rung by the node side ----->| ioBell sleeper |
 *   | port  <========|====== { seq, bytes } (large) =======>|========  port  |
 *   +----------------+                                      +----------------+
 *
 * Layout of each direction's SharedArrayBuffer (toIo, fromIo):
 *
 *    0   +-------------+---------------------------------------------------------+
 *        | kWantRoom   |  (unused)   link header line: 1 = the writer has records |
 *        |             |             waiting in its overflow queue for room       |
 *   64   +-------------+---------------------------------------------------------+
 *        | kTaken      |  (unused)   bytes of records the reader has handed on, |
 *        |             |             mod 2^32 (only the reader adds to it)        |
 *  128   +-------------+---------------------------------------------------------+
 *        | SpscRing (spsc-ring.ts layout), `capacity` bytes of data              |
 *        +-----------------------------------------------------------------------+
 *
 * Records are io-protocol.ts's: `kind u8 | pad | conn u32 | stream u32 | payload`.
 *
 * Protocol
 *   Writing (write + flush)
 *     W1. A message whose payload is over the inline limit (kMaxInlinePayload, or less in
 *         a small ring) is posted on the port now as { seq, bytes } (its ArrayBuffer is
 *         transferred when the payload view covers all of a non-shared buffer, else the
 *         bytes are copied into a fresh one that is transferred); the ring gets the marker
 *         record kOutLarge / kInLarge with payload `u32 seq`, seq counting 0, 1, 2, ...
 *     W2. The record is reserved and copied into the ring; if the ring is full, or older
 *         records already wait, it is copied into the overflow queue instead (in order;
 *         counted in stats.overflowed). Nothing is dropped.
 *     W3. flush(): move what fits of the overflow queue into the ring, commit (one store
 *         of the tail), ring the other side's doorbell.
 *     W4. Records still waiting: store kWantRoom = 1, then re-check the room (a load of
 *         the ring's head); room now: go back to W3. The reader, after releasing space,
 *         loads kWantRoom and, seeing 1, clears it and rings our doorbell (see R4), so
 *         our onReadable loop runs drain(), which retries W3.
 *   Reading (drain)
 *     R1. Take the next ring record. A large marker: its bytes are the port message with
 *         that seq. Arrived: hand it over as the message kind (kOutMessage / kInMessage)
 *         with the port's bytes (which the handler owns and may keep). Not arrived yet:
 *         remember the marker and stop; the port's 'message' event rings our own bell,
 *         so the onReadable loop drains again and goes on from the marker. Records after
 *         it wait: order holds across inline and large records.
 *     R2. An inline record: hand over a view into the ring (valid only during the call).
 *     R3. Release the ring space (one store of the head).
 *     R4. Load the other writer's kWantRoom; 1: store 0 and ring its doorbell.
 *   Backlog (what the writer knows the reader has not taken yet)
     B1. The writer counts the bytes of every record it writes (inline: header + payload;
         large: the port payload), mod 2^32, in its own memory.
     B2. The reader, at the end of each drain, adds the bytes of the records it handed on
         to kTaken (one Atomics.add per drain, not per record).
     B3. backlogBytes = written - load(kTaken), mod 2^32: what is in the ring, in the
         overflow queue and on the port, not handed on yet. The I/O thread stops reading
         its sockets while the node thread's backlog is too large (io-service.ts).
   Waiting (onReadable)
 *     S1. parkAsync on our own bell with the re-check "ring has records, or the stalled
 *         marker's bytes arrived, or our overflow queue has room now".
 *     S2. Woken (or work found): call the callback (which drains), then S1 again, after a
 *         setImmediate so that a callback that drains only part never starves the loop.
 *
 * Why no wake-up is lost in W4/R4. Atomics are sequentially consistent. The writer does
 * (a) store kWantRoom = 1, (b) load head; the reader does (c) store head, (d) load
 * kWantRoom. If (b) misses (c), then (a) < (b) < (c) < (d), so (d) sees 1 and rings. The
 * ring itself follows doorbell.ts: our parked re-check S1 loads the head too.
 *
 * Hot path: write and drain allocate nothing per inline record (except a copy when a
 * record must wait in the overflow queue); large records allocate their port message.
 */

import { MessagePort } from 'node:worker_threads';
import { BadArgError } from '../core/errors.ts';
import { DoorbellRinger, DoorbellSleeper, createDoorbell } from '../threads/doorbell.ts';
import { SpscRingConsumer, SpscRingProducer, initSpscRing, spscRingByteLength } from '../threads/spsc-ring.ts';
import { IoLinkError } from './io-errors.ts';
import {
  kInLarge, kInMessage, kIoRingCapacity, kMaxInlinePayload, kOutLarge, kOutMessage, kRecConn, kRecHeaderBytes, kRecKind, kRecStream,
} from './io-protocol.ts';

/** The shared memory of one link (created by the node side, posted to the I/O thread). */

export interface IoLinkBuffers {
  readonly toIo: SharedArrayBuffer;
  readonly fromIo: SharedArrayBuffer;
  readonly ioBell: SharedArrayBuffer;
  readonly nodeBell: SharedArrayBuffer;
}

/**
 * Called for each record by `drain`; an inline payload is valid only during the call.
 * Returning false stops the drain after this record (the reader is behind downstream).
 */
export type IoRecordHandler = (kind: number, conn: number, stream: number, payload: Uint8Array) => void | boolean;

export interface IoLinkStats {
  recordsOut: number;
  recordsIn: number;
  /** Records that waited in the overflow queue because the ring was full. */
  overflowed: number;
  largeOut: number;
  largeIn: number;
}

/** Bytes before the ring in each direction's buffer: one line for kWantRoom. */
const kLinkHeaderBytes = 128;
const kWantRoomIndex = 0;
/** kTaken, in Int32 units: its own cache line, apart from kWantRoom. */
const kTakenIndex = 16;

/** Allocate a link's rings (each `capacity` bytes of data) and doorbells. */
export function createIoLinkBuffers(capacity: number = kIoRingCapacity): IoLinkBuffers {
  const ring = (): SharedArrayBuffer => {
    const sab = new SharedArrayBuffer(kLinkHeaderBytes + spscRingByteLength(capacity));
    initSpscRing(sab, kLinkHeaderBytes, capacity);
    return sab;
  };
  return { toIo: ring(), fromIo: ring(), ioBell: createDoorbell(), nodeBell: createDoorbell() };
}

/** A record that waits for room in the ring (its payload copied). */
interface Overflowed {
  readonly kind: number;
  readonly conn: number;
  readonly stream: number;
  readonly payload: Uint8Array;
}

/** A port payload of a large record. */
interface LargeMessage {
  readonly seq: number;
  readonly bytes: Uint8Array;
}

export class IoLinkEnd {
  readonly stats: IoLinkStats = { recordsOut: 0, recordsIn: 0, overflowed: 0, largeOut: 0, largeIn: 0 };

  private readonly producer: SpscRingProducer;
  private readonly consumer: SpscRingConsumer;
  /** kWantRoom of the ring we write (we set it) and of the ring we read (we clear it). */
  private readonly ownWant: Int32Array;
  private readonly peerWant: Int32Array;
  /** kTaken of the ring we write (B3: we load it) and of the ring we read (B2: we add to it). */
  private readonly ownTaken: Int32Array;
  private readonly peerTaken: Int32Array;
  /** B1: bytes written, mod 2^32. */
  private written = 0;
  private readonly sleeper: DoorbellSleeper;
  private readonly selfRinger: DoorbellRinger;
  private readonly peerRinger: DoorbellRinger;
  private readonly port: MessagePort;
  /** Kinds as this side writes and reads them. */
  private readonly outMessage: number;
  private readonly outLarge: number;
  private readonly inMessage: number;
  private readonly inLarge: number;
  private readonly inlineLimit: number;

  private readonly overflow: Overflowed[] = [];
  private overflowHead = 0;
  private readonly marker = new Uint8Array(4);
  private readonly markerView = new DataView(this.marker.buffer);
  private outSeq = 0;
  private inSeq = 0;
  /** Port payloads that arrived before (or with) their markers, in seq order. */
  private readonly arrived: LargeMessage[] = [];
  private arrivedHead = 0;
  /** A marker read from the ring whose port payload has not arrived: conn, stream, seq. */
  private stalled = false;
  private stalledConn = 0;
  private stalledStream = 0;
  private stalledSeq = 0;

  private readableCb: (() => void) | null = null;
  /** holdReading(): records waiting do not wake the callback (S1) until resumeReading(). */
  private held = false;
  private parking = false;
  private closed = false;
  private readonly hasWork: () => boolean;
  private readonly onParked: () => void;

  private readonly runReadable: () => void;

  constructor(buffers: IoLinkBuffers, side: 'node' | 'io', port: MessagePort) {
    if (side !== 'node' && side !== 'io') throw new BadArgError(`IoLinkEnd: side must be 'node' or 'io', got ${String(side)}`);
    const out = side === 'node' ? buffers.toIo : buffers.fromIo;
    const inn = side === 'node' ? buffers.fromIo : buffers.toIo;
    this.producer = new SpscRingProducer(out, kLinkHeaderBytes);
    this.consumer = new SpscRingConsumer(inn, kLinkHeaderBytes);
    this.ownWant = new Int32Array(out, 0, 1);
    this.peerWant = new Int32Array(inn, 0, 1);
    this.ownTaken = new Int32Array(out, 0, kTakenIndex + 1);
    this.peerTaken = new Int32Array(inn, 0, kTakenIndex + 1);
    this.sleeper = new DoorbellSleeper(side === 'node' ? buffers.nodeBell : buffers.ioBell);
    this.selfRinger = new DoorbellRinger(side === 'node' ? buffers.nodeBell : buffers.ioBell);
    this.peerRinger = new DoorbellRinger(side === 'node' ? buffers.ioBell : buffers.nodeBell);
    this.outMessage = side === 'node' ? kOutMessage : kInMessage;
    this.outLarge = side === 'node' ? kOutLarge : kInLarge;
    this.inMessage = side === 'node' ? kInMessage : kOutMessage;
    this.inLarge = side === 'node' ? kInLarge : kOutLarge;
    this.inlineLimit = Math.min(kMaxInlinePayload, this.producer.maxPayloadBytes - kRecHeaderBytes);
    this.port = port;
    port.on('message', (m: LargeMessage) => this.onPortMessage(m));
    this.hasWork = () => (!this.held && this.readable()) || this.overflowFits();
    this.runReadable = () => {
      if (this.closed) return;
      this.readableCb?.();
      this.park();
    };
    // Woken: hand the records over in this turn (a further setImmediate cost a loop turn
    // on every wake-up: ~40 us of a 160 us round trip between two nodes).
    this.onParked = () => {
      this.parking = false;
      if (!this.closed) this.runReadable();
    };
  }

  /**
   * Queue a record (W1, W2); it is published at the next flush(). Never drops. A message
   * payload over the inline limit goes over the port: its buffer is transferred (so the
   * caller's view is detached) when the view covers all of a non-shared ArrayBuffer.
   * @throws IoLinkError 'closed' after close(); 'bad_large' for a non-message kind whose
   *   payload is over the inline limit. BadArgError for the large-marker kind itself.
   */
  write(kind: number, conn: number, stream: number, payload: Uint8Array): void {
    if (this.closed) throw new IoLinkError('closed', 'IoLinkEnd.write: the link is closed');
    if (kind === this.outLarge) throw new BadArgError(`IoLinkEnd.write: kind ${kind} is the link's own large marker; write the message kind`);
    this.stats.recordsOut++;
    if (payload.length > this.inlineLimit) {
      if (kind !== this.outMessage) {
        throw new IoLinkError('bad_large', `IoLinkEnd.write: a record of kind ${kind} with ${payload.length} payload bytes (over ${this.inlineLimit}); only messages may be large`);
      }
      this.written = (this.written + payload.length) | 0; // B1 (before postLarge detaches it)
      this.postLarge(payload);
      this.markerView.setUint32(0, this.outSeq++, true);
      this.put(this.outLarge, conn, stream, this.marker);
      return;
    }
    this.written = (this.written + kRecHeaderBytes + payload.length) | 0; // B1
    this.put(kind, conn, stream, payload);
  }

  /** B3: bytes written and not yet handed on by the reader (ring, overflow queue, port). */
  get backlogBytes(): number {
    // Seq-cst load: sees every drain's add that happened before it.
    return (this.written - Atomics.load(this.ownTaken, kTakenIndex)) >>> 0;
  }

  /** W3 + W4: publish what was written and ring the other side. */
  flush(): void {
    if (this.closed) return;
    this.moveOverflow();
    if (this.producer.commit()) this.peerRinger.ring();
    if (this.overflowHead < this.overflow.length) this.wantRoom();
  }

  /**
   * R1-R4: hand up to `max` records to `handler`, in order; returns how many. Also retries
   * the overflow queue (W3), as the reader rings us when it made room.
   */
  drain(handler: IoRecordHandler, max = 0x7fffffff): number {
    if (this.closed) return 0;
    if (this.overflowHead < this.overflow.length) this.flush();
    let n = 0;
    let taken = 0;
    if (this.stalled) {
      const bytes = this.takeArrived(this.stalledSeq);
      if (bytes === null) return 0;
      this.stalled = false;
      this.stats.recordsIn++;
      this.stats.largeIn++;
      n++;
      taken += bytes.length;
      if (handler(this.inMessage, this.stalledConn, this.stalledStream, bytes) === false) max = n;
    }
    const c = this.consumer;
    const ring = c.bytes;
    const view = c.view;
    let off: number;
    while (n < max && !this.closed && (off = c.next()) >= 0) {
      const len = c.recordLength;
      if (len < kRecHeaderBytes) throw new IoLinkError('bad_record', `IoLinkEnd.drain: a ${len}-byte record (the header alone is ${kRecHeaderBytes})`);
      const kind = ring[off + kRecKind]!;
      const conn = view.getUint32(off + kRecConn, true);
      const stream = view.getUint32(off + kRecStream, true);
      n++;
      if (kind === this.inLarge) {
        if (len !== kRecHeaderBytes + 4) throw new IoLinkError('bad_record', `IoLinkEnd.drain: a large marker of ${len} bytes`);
        const seq = view.getUint32(off + kRecHeaderBytes, true);
        const bytes = this.takeArrived(seq);
        if (bytes === null) {
          // R1: wait for the port message; this record is consumed, remembered here.
          this.stalled = true;
          this.stalledConn = conn;
          this.stalledStream = stream;
          this.stalledSeq = seq;
          n--;
          break;
        }
        this.stats.recordsIn++;
        this.stats.largeIn++;
        taken += bytes.length;
        if (handler(this.inMessage, conn, stream, bytes) === false) break;
      } else {
        this.stats.recordsIn++;
        taken += len;
        if (handler(kind, conn, stream, ring.subarray(off + kRecHeaderBytes, off + len)) === false) break;
      }
    }
    // B2: visible to the writer's next backlogBytes load (seq-cst).
    if (taken !== 0) Atomics.add(this.peerTaken, kTakenIndex, taken);
    // R3 + R4. The load comes after release()'s store of the head in the total order, so
    // a writer whose re-check (W4) missed that head has its flag = 1 visible to us here.
    if (c.release() && Atomics.load(this.peerWant, kWantRoomIndex) === 1) {
      // The other writer waits for room: clear its flag (visible to it before the wake:
      // it sets the flag again if it still lacks room), then wake it.
      Atomics.store(this.peerWant, kWantRoomIndex, 0);
      this.peerRinger.ring();
    }
    return n;
  }

  /**
   * The reader is behind downstream: records waiting no longer wake the callback (only
   * room for our overflow does), so a callback that leaves them undrained does not loop.
   */
  holdReading(): void {
    this.held = true;
  }

  /** Records wake the callback again; ring our own bell so a parked S1 re-checks now. */
  resumeReading(): void {
    if (!this.held) return;
    this.held = false;
    this.selfRinger.ring();
  }

  /**
   * S1-S2: call `cb` whenever records (or a port payload, or room for our overflow)
   * arrive; the callback drains. One callback per end; a later call replaces it.
   */
  onReadable(cb: () => void): void {
    this.readableCb = cb;
    this.park();
  }

  /** Stop: close the port and end the park (the callback is not called again). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.readableCb = null;
    this.port.close();
    // Ends our own pending parkAsync: its promise settles and sees `closed`.
    this.selfRinger.ring();
  }

  /** Records waiting for room in the ring. */
  get overflowLength(): number {
    return this.overflow.length - this.overflowHead;
  }

  /**
   * Wait for records on the doorbell (no CPU while idle). Polling instead for a while after
   * work (once per event-loop turn) was tried: with four threads on two cores (two nodes,
   * each a node thread and an I/O thread) the pollers starve each other, 5x slower.
   */
  private park(): void {
    if (this.parking || this.closed || this.readableCb === null) return;
    this.parking = true;
    void this.sleeper.parkAsync(this.hasWork).then(this.onParked);
  }

  /** Is there something to hand over (S1's re-check, part 1)? */
  private readable(): boolean {
    if (this.stalled) return this.arrivedHead < this.arrived.length;
    return this.consumer.hasRecords();
  }

  /** Part 2: has the ring room for the first overflowed record now? */
  private overflowFits(): boolean {
    if (this.overflowHead >= this.overflow.length) return false;
    return this.producer.hasRoomFor(kRecHeaderBytes + this.overflow[this.overflowHead]!.payload.length);
  }

  private put(kind: number, conn: number, stream: number, payload: Uint8Array): void {
    if (this.overflowHead === this.overflow.length) {
      const p = this.producer;
      const off = p.tryReserve(kRecHeaderBytes + payload.length);
      if (off >= 0) {
        writeRecord(p, off, kind, conn, stream, payload);
        return;
      }
    }
    this.stats.overflowed++;
    this.overflow.push({ kind, conn, stream, payload: payload.slice() });
  }

  private moveOverflow(): void {
    const q = this.overflow;
    const p = this.producer;
    while (this.overflowHead < q.length) {
      const r = q[this.overflowHead]!;
      const off = p.tryReserve(kRecHeaderBytes + r.payload.length);
      if (off < 0) break;
      writeRecord(p, off, r.kind, r.conn, r.stream, r.payload);
      q[this.overflowHead++] = undefined as unknown as Overflowed;
    }
    if (this.overflowHead === q.length) {
      q.length = 0;
      this.overflowHead = 0;
    } else if (this.overflowHead > 1024 && this.overflowHead * 2 > q.length) {
      q.splice(0, this.overflowHead);
      this.overflowHead = 0;
    }
  }

  /** W4: announce that we wait for room, then re-check; room: publish now. */
  private wantRoom(): void {
    // Makes "waiting" visible to the reader's R4 load, which follows its head store.
    Atomics.store(this.ownWant, kWantRoomIndex, 1);
    // overflowFits loads the head after the store above (see the header's argument).
    if (this.overflowFits()) {
      // We found room ourselves: withdraw the request, so the reader does not ring for it.
      Atomics.store(this.ownWant, kWantRoomIndex, 0);
      this.flush();
    }
  }

  private postLarge(payload: Uint8Array): void {
    const buf = payload.buffer;
    const owns = !(buf instanceof SharedArrayBuffer) && payload.byteOffset === 0 && payload.byteLength === buf.byteLength;
    const bytes = owns ? payload : payload.slice();
    this.stats.largeOut++;
    this.port.postMessage({ seq: this.outSeq, bytes }, [bytes.buffer as ArrayBuffer]);
  }

  private onPortMessage(m: LargeMessage): void {
    if (this.closed) return;
    this.arrived.push(m);
    // Wakes our own onReadable park (S1): a stalled marker may now go on.
    this.selfRinger.ring();
  }

  /** The port payload with `seq`, or null if it has not arrived. */
  private takeArrived(seq: number): Uint8Array | null {
    if (this.arrivedHead >= this.arrived.length) return null;
    const m = this.arrived[this.arrivedHead]!;
    if (m.seq !== seq || seq !== this.inSeq) {
      throw new IoLinkError('bad_large', `IoLinkEnd.drain: a large record with seq ${seq}, but the port's next payload has seq ${m.seq} (expected ${this.inSeq})`);
    }
    this.inSeq = (this.inSeq + 1) >>> 0;
    this.arrived[this.arrivedHead++] = undefined as unknown as LargeMessage;
    if (this.arrivedHead === this.arrived.length) {
      this.arrived.length = 0;
      this.arrivedHead = 0;
    }
    return m.bytes instanceof Uint8Array ? m.bytes : new Uint8Array(m.bytes as ArrayBuffer);
  }
}

function writeRecord(p: SpscRingProducer, off: number, kind: number, conn: number, stream: number, payload: Uint8Array): void {
  p.bytes[off + kRecKind] = kind;
  p.view.setUint32(off + kRecConn, conn, true);
  p.view.setUint32(off + kRecStream, stream, true);
  p.bytes.set(payload, off + kRecHeaderBytes);
}
