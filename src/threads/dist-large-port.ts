/**
 * DistLargePort: one end of the side channel that carries the large op payloads of
 * distribution (a message holding a big binary, src/codec/op-parts.ts) between a scheduler
 * thread and the gateway, beside their rings, so 200 MiB cross threads by transfer instead
 * of being copied into ring fragments and decoded and encoded again on the way.
 *
 *   scheduler k                                   gateway (embedding thread)
 *   +---------------------+  MessagePort k       +---------------------+
 *   | DistForward   post -|==== { seq, bytes } ==>|- take  DistGateway  |   DISTOUT
 *   |               take -|<=== { seq, bytes } ===|- post               |   DISTIN
 *   +---------------------+                       +---------------------+
 *        ring k -> gw: DISTOUT kDoSendLarge [to, seq] ...   ring gw -> k: DISTIN ...
 *
 * Protocol
 *   1. post(bytes): the payload goes on the port as { seq, bytes }, its ArrayBuffer in the
 *      transfer list (a view that does not cover all of a non-shared buffer is copied into
 *      a fresh one first); seq counts 0, 1, 2, ... per direction. The caller then writes
 *      the ring record that names seq. postMessage puts the message in the other port's
 *      queue before it returns, and the record is published (ring commit) after that, so
 *      a reader that sees the record finds the message already queued.
 *   2. take(seq), when the reader meets that record: receiveMessageOnPort, synchronously
 *      (no 'message' listener is ever attached, so the event loop never takes one first).
 *      The message must be there with that seq; anything else is an IoLinkError 'bad_large'.
 *   3. Backlog: each direction has a word in a small shared buffer that its taker adds the
 *      bytes it took to (Atomics.add, mod 2^32); the poster counts what it posted, so
 *      backlogBytes = posted - taken is what waits on the port, read without a message.
 *      The gateway counts it as behind (dist-gateway.ts backlogged) over its ring bound,
 *      so the Distribution holds its input as for full rings (inbound pushback).
 *   4. close(): the port is closed (the node stops).
 * Records keep their ring order: the payload is handed on exactly where its record is.
 *
 *   taken words (one SharedArrayBuffer per channel, Int32 little-endian)
 *    0            4            8
 *    +------------+------------+
 *    | by worker  | by gateway |   bytes taken from the port, mod 2^32
 *    +------------+------------+
 *
 * Erlang: a large binary is a refc binary passed by reference between schedulers; here the
 * bytes change threads by a buffer transfer, which is the same: no copy.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { IoLinkError } from './errors.ts';

interface LargeMessage {
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/** Which end: the taker's word in the taken buffer (the poster reads the other's). */
const kTakenByWorker = 0;
const kTakenByGateway = 1;

export class DistLargePort {
  private readonly port: MessagePort;
  private readonly taken: Int32Array;
  private readonly ownWord: number;
  private readonly peerWord: number;
  private postedBytes = 0;
  private outSeq = 0;
  private inSeq = 0;
  /** Payloads posted / taken (stats). */
  postedCount = 0;
  takenCount = 0;

  constructor(port: MessagePort, taken: SharedArrayBuffer, side: 'worker' | 'gateway') {
    this.port = port;
    this.taken = new Int32Array(taken, 0, 2);
    this.ownWord = side === 'worker' ? kTakenByWorker : kTakenByGateway;
    this.peerWord = side === 'worker' ? kTakenByGateway : kTakenByWorker;
    // Never ref'd, no listener: it must not keep a thread alive nor consume messages.
    port.unref();
  }

  /** Step 1; returns the seq the ring record must carry. */
  post(payload: Uint8Array): number {
    const buf = payload.buffer;
    const owns = !(buf instanceof SharedArrayBuffer) && payload.byteOffset === 0 && payload.byteLength === buf.byteLength;
    const bytes = owns ? payload : payload.slice();
    const seq = this.outSeq;
    this.outSeq = (seq + 1) >>> 0;
    this.postedBytes = (this.postedBytes + bytes.length) | 0;
    this.port.postMessage({ seq, bytes }, [bytes.buffer as ArrayBuffer]);
    this.postedCount++;
    return seq;
  }

  /** Step 3: bytes posted that the other end has not taken yet. */
  get backlogBytes(): number {
    return (this.postedBytes - Atomics.load(this.taken, this.peerWord)) >>> 0;
  }

  /** Step 2. @throws IoLinkError 'bad_large' when the payload for `seq` is not the next one queued. */
  take(seq: number): Uint8Array {
    const got = receiveMessageOnPort(this.port) as { message: LargeMessage } | undefined;
    if (got === undefined) throw new IoLinkError('bad_large', `dist large payload ${seq}: not on the port when its record was read`);
    const m = got.message;
    if (m.seq !== seq || seq !== this.inSeq) {
      throw new IoLinkError('bad_large', `dist large payload: the record names seq ${seq}, the port's next is ${m.seq} (expected ${this.inSeq})`);
    }
    this.inSeq = (seq + 1) >>> 0;
    this.takenCount++;
    const bytes = m.bytes instanceof Uint8Array ? m.bytes : new Uint8Array(m.bytes as ArrayBuffer);
    Atomics.add(this.taken, this.ownWord, bytes.length);
    return bytes;
  }

  close(): void {
    this.port.close();
  }
}

/**
 * The channels of a named ThreadedNode, made by startThreads before its workers: entry k's
 * `worker` end goes to scheduler k in its setup (transferred), the `gateway` ends to the
 * gateway, found by the node's distribution object (the one key both sides share).
 */
const channelsByDist = new WeakMap<object, DistLargeEnd[]>();

/** One end of a channel as it is handed to its thread (the port transferred in a worker's setup). */
export interface DistLargeEnd {
  readonly port: MessagePort;
  readonly taken: SharedArrayBuffer;
}

export function createDistLargeChannels(dist: object, schedulers: number): DistLargeEnd[] {
  const gatewayEnds: DistLargeEnd[] = [];
  const workerEnds: DistLargeEnd[] = [];
  for (let k = 0; k < schedulers; k++) {
    const ch = new MessageChannel();
    const taken = new SharedArrayBuffer(8);
    gatewayEnds.push({ port: ch.port1, taken });
    workerEnds.push({ port: ch.port2, taken });
  }
  channelsByDist.set(dist, gatewayEnds);
  return workerEnds;
}

/** The gateway's ends for `dist` (once; [] when none were made). */
export function takeDistLargeChannels(dist: object): DistLargePort[] {
  const ends = channelsByDist.get(dist) ?? [];
  channelsByDist.delete(dist);
  return ends.map((e) => new DistLargePort(e.port, e.taken, 'gateway'));
}
