/**
 * The two ends of one ring as an endpoint holds them (endpoint.ts): `OutLink`, the
 * writing end towards one destination with its encoder, its overflow FIFO and the actors
 * held on it; `InLink`, the reading end from one source with its fragment reassembly
 * buffer. Both view the same shared bytes as the ring (spsc-ring.ts) and know the
 * doorbell to ring and the spaceWanted word to read (layout.ts):
 *
 *   SharedArrayBuffer of the node (layout.ts)
 *   ... | ring from->dest: [ header (kRingHeaderBytes) | records ... ] | ...
 *                            ^ OutLink.producer            ^ OutLink.bytes / words
 *                            ^ InLink.consumer (on dest)   ^ InLink.bytes / words
 *   ... | doorbell[dest] | ... | spaceWanted[ring index] | ...
 *
 * Ownership: an OutLink belongs to the one thread that writes the ring, an InLink to the
 * one thread that reads it; nothing here is shared but the bytes the ring's protocol
 * guards.
 */
import type { Pid } from '../core/pid.ts';
import { MessageEncoder } from '../codec/index.ts';
import { threadNodeHooks } from '../codec/node-hooks.ts';
import { DoorbellRinger } from './doorbell.ts';
import { doorbellOffset, ringIndex, ringOffset, type NodeLayout } from './layout.ts';
import { SpscRingConsumer, SpscRingProducer, kRingHeaderBytes } from './spsc-ring.ts';

/** First guess of a record's size, for encoding straight into the ring. */
export const kMinGuess = 128;

/**
 * How pids and refs name their node in ring records' values (codec/node-hooks.ts): index 0
 * as 0, another node by its identity, interned into this thread's node table on decode.
 * Every encoder and decoder of ring values on this thread uses them (migration.ts too).
 */
export const ringNodeHooks = threadNodeHooks();

export class OutLink {
  readonly dest: number;
  readonly producer: SpscRingProducer;
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  readonly maxPayload: number;
  /** One encoder per destination: encodeInto keeps its DataView while the target stays. */
  readonly encoder = new MessageEncoder(1024, ringNodeHooks);
  readonly ringer: DoorbellRinger;
  readonly spaceIndex: number;
  /** Encoded records waiting for room, oldest first (from `head`). */
  overflow: Uint8Array[] = [];
  head = 0;
  overflowBytes = 0;
  dirty = false;
  /** Records written since the last commit. */
  uncommitted = 0;
  sinceRepump = 0;
  dead = false;
  guess = kMinGuess;
  /** Pids of actors held until this overflow drains (worker side). */
  held: Pid[] = [];

  constructor(sab: SharedArrayBuffer, layout: NodeLayout, from: number, dest: number) {
    this.dest = dest;
    const off = ringOffset(layout, from, dest);
    this.producer = new SpscRingProducer(sab, off);
    this.bytes = this.producer.bytes;
    this.words = new Int32Array(sab, off + kRingHeaderBytes, layout.ringBytes / 4);
    this.maxPayload = this.producer.maxPayloadBytes;
    this.ringer = new DoorbellRinger(sab, doorbellOffset(layout, dest));
    this.spaceIndex = layout.spaceBase + ringIndex(layout, from, dest);
  }
}

export class InLink {
  readonly src: number;
  readonly consumer: SpscRingConsumer;
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  /** The producer's doorbell, rung when it waits for space we released. */
  readonly producerBell: DoorbellRinger;
  readonly spaceIndex: number;
  frag: Uint8Array | null = null;
  fragFill = 0;

  constructor(sab: SharedArrayBuffer, layout: NodeLayout, src: number, to: number) {
    this.src = src;
    const off = ringOffset(layout, src, to);
    this.consumer = new SpscRingConsumer(sab, off);
    this.bytes = this.consumer.bytes;
    this.words = new Int32Array(sab, off + kRingHeaderBytes, layout.ringBytes / 4);
    this.producerBell = new DoorbellRinger(sab, doorbellOffset(layout, src));
    this.spaceIndex = layout.spaceBase + ringIndex(layout, src, to);
  }
}
