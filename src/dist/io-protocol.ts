/**
 * The I/O-thread protocol: what a node thread (the thread whose scheduler runs actors
 * that talk to other nodes) and the node's distribution I/O thread (the one thread that
 * owns the sockets, runs the handshakes, writes and reads frames and ticks; it runs no
 * actor and no user code) say to each other.
 *
 *    node thread                                          I/O thread
 *   +-----------------------------+   ring "toIo"     +-----------------------------+
 *   | NodeTransport (Transport)   | ----------------> | per peer: FrameWriter       |
 *   |  encodes ops (codec, node   |   ring "fromIo"   |   ticks / control first,    |
 *   |  identity hooks)            | <---------------- |   round-robin streams       |
 *   | inbound: decode, hand to    |   MessagePort     | FrameReader, reassembly     |
 *   |  scheduler.inbound          | <---------------> | listener, port mapper,      |
 *   +-----------------------------+  (large payloads, |  handshake, mesh, ticks      |
 *                                     setup, stop)    +-----------------------------+
 *
 * The I/O thread never decodes a payload: payloads are codec bytes the node thread made
 * (an op: send, exit, link, ... see dist-ops.ts) and it only frames them. It knows peers
 * by name and by a connection id `conn` it gives each connection (a u32, never reused
 * while the node runs); a node thread maps conn ids to its node-table indices.
 *
 * Records (one SpscRing record each; u32 fields little-endian, as this machine's rings):
 *
 *    0        1        4            8            12
 *    +--------+--------+------------+------------+---------------------------+
 *    | kind u8| pad    | conn u32   | stream u32 | payload ...               |
 *    +--------+--------+------------+------------+---------------------------+
 *
 *   toIo (node thread -> I/O thread)
 *     kOutMessage     conn, stream, payload = op bytes: queue on that connection's stream
 *     kOutLarge       conn, stream, payload = u32 seq: the bytes come as a port message
 *                     { seq, bytes } (transferred, not copied); the I/O thread takes the
 *                     ring record and the port message together, so order holds
 *     kOutConnect     conn = request id (node thread's), payload = UTF-8 node name
 *     kOutDisconnect  conn
 *
 *   fromIo (I/O thread -> node thread)
 *     kInMessage      conn, stream, payload = op bytes, as the peer's node thread made them
 *     kInLarge        conn, stream, payload = u32 seq (port message { seq, bytes })
 *     kInNodeUp       conn, payload = JSON UTF-8 `NodeUpInfo`
 *     kInNodeDown     conn, payload = JSON UTF-8 `NodeDownInfo` (after every kInMessage
 *                     of that connection: what arrived before the loss is handed over first)
 *     kInConnectFailed conn = request id, payload = JSON UTF-8 `ConnectFailedInfo`
 *     kInBusy         conn: its unsent bytes passed maxUnsentBytes (busy_dist_port)
 *     kInNotBusy      conn: back below half of it (busy-senders.ts resumes held senders)
 *
 * A record larger than `kMaxInlinePayload` goes as kOutLarge / kInLarge. A full ring never
 * drops: the writer keeps records in order in an overflow queue until the ring has room
 * (counted in stats), and the reader's side is rung through its doorbell.
 */

export const kOutMessage = 1;
export const kOutLarge = 2;
export const kOutConnect = 3;
export const kOutDisconnect = 4;

export const kInMessage = 1;
export const kInLarge = 2;
export const kInNodeUp = 5;
export const kInNodeDown = 6;
export const kInConnectFailed = 7;
export const kInBusy = 8;
export const kInNotBusy = 9;

/** Offsets of a record's fields. */
export const kRecKind = 0;
export const kRecConn = 4;
export const kRecStream = 8;
export const kRecHeaderBytes = 12;

/** Payloads above this many bytes go through the port (transferred), not the ring. */
export { kMaxInlinePayload } from '../codec/dist-ops.ts';

/** Ring capacity of each direction (bytes). */
export const kIoRingCapacity = 1 << 22;

export interface NodeUpInfo {
  readonly name: string;
  readonly creation: number;
  readonly hidden: boolean;
  readonly flags: number;
  /** The protocol the connection speaks: its kInMessage / kOutMessage payloads are that protocol's (erlang-peer/erlang-payload.ts for 'erlang'). */
  readonly protocol: 'switchboard' | 'erlang';
}

export interface NodeDownInfo {
  readonly name: string;
  /** 'noconnection' for every loss (socket closed, tick timeout, disconnectNode). */
  readonly reason: string;
  /** What happened, for logs: 'closed', 'tick_timeout', 'disconnect', 'error: ...'. */
  readonly detail: string;
}

export interface ConnectFailedInfo {
  readonly name: string;
  readonly error: { readonly name: string; readonly message: string; readonly code?: string };
}
