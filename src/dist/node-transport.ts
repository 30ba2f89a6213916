/**
 * NodeTransport: the router's transport to pids of other nodes (core/router.ts), on the
 * node thread. Each op is encoded here (dist-ops.ts: pids by node identity) and written
 * as one record to the I/O thread (io-protocol.ts), on the stream of its destination
 * process; the I/O thread frames it onto that node's connection.
 *
 *   1. `to.node` (an index of this thread's node table) gives the peer's name and the
 *      creation of the incarnation the pid belongs to.
 *   2. Peer up, same creation: kOutMessage(conn, stream, bytes); the flush (ring commit
 *      and the I/O thread's doorbell) runs once per batch, from a microtask.
 *   3. Peer up, another creation (the pid is of an incarnation that is gone): a message is
 *      dropped; a link answers 'noproc' at once, a monitor a DOWN 'noproc', as the node
 *      would for a pid that does not exist there.
 *   4. Peer not up: the op waits in the peer's queue and a connect is requested
 *      (auto-connect, as Erlang's). At nodeup the queue goes out in order (entries of a
 *      stale creation dropped, their links and monitors fired); if the connect fails the
 *      queue is dropped and every link and monitor on that node's pids fires with
 *      'noconnection' (Distribution.connectFailed).
 * Out-of-band payloads (codec/op-parts.ts, tag 0x3e) go only to a peer that offered
 * kFlagOutOfBand in its handshake (handshake-frames.ts; Peer.flags): to any other, such a
 * payload (made here, on a scheduler thread, or queued before the peer was up) is decoded
 * and encoded again in band just before it is written (steps 2 and 4's nodeup), so an
 * older node never sees the tag.
 * Above `maxPendingBytes` queued for one peer, a further op is dropped (counted), so a node
 * that never answers cannot use up the memory.
 *
 * Erlang peers (erlang-peer/erlang-bridge.ts): while one is up, each op first asks the
 * bridge whether its node is an Erlang node; if so the op is encoded as Erlang's control
 * message (erlang-op-encoder.ts) instead of dist-ops.ts's, and written the same way. Ops
 * that waited for a connection that turned out to be an Erlang node's are encoded again
 * at nodeup.
 */
import type { Inbound, Transport } from '../core/router.ts';
import { nodeTable } from '../core/node-table.ts';
import { Pid, type Ref } from '../core/pid.ts';
import { kAnyCreation, namePlaceholder } from '../core/remote-name.ts';
import { BusySenders } from './busy-senders.ts';
import { kPartsTag } from '../codec/op-parts.ts';
import { kFlagOutOfBand } from './handshake-frames.ts';
import { OpDecoder, OpEncoder, kOpDemonitor, kOpDown, kOpExit, kOpLink, kOpMonitor, kOpMonitorName, kOpRegSend, kOpSend, kOpUnlink, nameStream } from '../codec/dist-ops.ts';
import type { ErlangBridge } from './erlang-peer/erlang-bridge.ts';
import { kOutConnect, kOutMessage } from './io-protocol.ts';
import type { Peer, PeerTable } from './peer-table.ts';

/** What the node side uses of the I/O link (io-link.ts IoLinkEnd). */
export interface IoLinkWriter {
  write(kind: number, conn: number, stream: number, payload: Uint8Array): void;
  flush(): void;
}

export interface NodeTransportStats {
  opsOut: number;
  queuedForConnect: number;
  droppedStale: number;
  droppedPendingFull: number;
}

const utf8 = new TextEncoder();
const kDefaultMaxPendingBytes = 64 * 1024 * 1024;

export class NodeTransport implements Transport {
  private readonly io: IoLinkWriter;
  private readonly peers: PeerTable;
  /** Transient: its ops are copied into the link's ring by write() before the next one (kept ones are copied, step 4). */
  readonly ops = new OpEncoder(true);
  /** Busy connections and the senders held for them (busy-senders.ts). */
  readonly busy = new BusySenders();
  private inbound: Inbound | null = null;
  /** Erlang peers (set by Distribution). */
  erlang: ErlangBridge | null = null;
  private opDecoder: OpDecoder | null = null;
  /** For peers without kFlagOutOfBand: large binaries in band (fresh bytes: they may go over the link's port). */
  private inBandOps: OpEncoder | null = null;
  private flushQueued = false;
  private readonly maxPendingBytes: number;
  readonly stats: NodeTransportStats = { opsOut: 0, queuedForConnect: 0, droppedStale: 0, droppedPendingFull: 0 };

  constructor(link: IoLinkWriter, peers: PeerTable, maxPendingBytes = kDefaultMaxPendingBytes) {
    this.io = link;
    this.peers = peers;
    this.maxPendingBytes = maxPendingBytes;
  }

  /** The scheduler's inbound side (for step 3's answers). */
  attach(inbound: Inbound): void {
    this.inbound = inbound;
  }

  // --- Transport ---

  send(to: Pid, msg: unknown): void {
    if (this.erlang !== null && this.erlang.size !== 0 && this.toErlang(to.node, to.id, [kOpSend, to, msg])) return;
    this.out(to.node, to.id, this.ops.send(to, msg));
  }

  exit(to: Pid, from: Pid, reason: unknown, viaLink: boolean): void {
    if (this.erlang !== null && this.erlang.size !== 0 && this.toErlang(to.node, to.id, [kOpExit, to, from, reason, viaLink])) return;
    this.out(to.node, to.id, this.ops.exit(to, from, reason, viaLink));
  }

  link(to: Pid, from: Pid): void {
    if (this.stale(to.node)) {
      this.inbound?.exitIn(from, to, 'noproc', true);
      return;
    }
    if (this.erlang !== null && this.erlang.size !== 0 && this.toErlang(to.node, to.id, [kOpLink, to, from])) return;
    this.out(to.node, to.id, this.ops.link(to, from));
  }

  unlink(to: Pid, from: Pid): void {
    if (this.erlang !== null && this.erlang.size !== 0 && this.toErlang(to.node, to.id, [kOpUnlink, to, from])) return;
    this.out(to.node, to.id, this.ops.unlink(to, from));
  }

  monitor(to: Pid, watcher: Pid, ref: Ref): void {
    if (this.stale(to.node)) {
      this.inbound?.downIn(watcher, ref, to, 'noproc');
      return;
    }
    if (this.erlang !== null && this.erlang.size !== 0 && this.toErlang(to.node, to.id, [kOpMonitor, to, watcher, ref])) return;
    this.out(to.node, to.id, this.ops.monitor(to, watcher, ref));
  }

  demonitor(to: Pid, ref: Ref): void {
    if (this.erlang !== null && this.erlang.size !== 0 && this.toErlang(to.node, to.id, [kOpDemonitor, to, ref])) return;
    this.out(to.node, to.id, this.ops.demonitor(to, ref));
  }

  down(to: Pid, ref: Ref, pid: Pid, reason: unknown): void {
    this.downOut?.(ref);
    if (this.erlang !== null && this.erlang.size !== 0 && this.toErlang(to.node, to.id, [kOpDown, to, ref, pid, reason])) return;
    this.out(to.node, to.id, this.ops.down(to, ref, pid, reason));
  }

  /**
   * A send op encoded on another thread of this node (a scheduler thread's large send,
   * threads/dist-forward.ts): written as it is, or, to an Erlang peer, decoded and sent as
   * `send` would.
   */
  sendEncoded(to: Pid, payload: Uint8Array): void {
    if (this.erlang !== null && this.erlang.size !== 0 && this.erlang.peerFor(to.node) !== undefined) {
      const op = (this.opDecoder ??= new OpDecoder()).decode(payload);
      this.send(to, op[2]);
      return;
    }
    this.out(to.node, to.id, payload);
  }

  /** The same for a named send (`payload`: a kOpRegSend op). */
  sendNamedEncoded(node: string, name: string, payload: Uint8Array): void {
    if (this.erlang !== null && this.erlang.size !== 0 && this.erlang.peerNamed(node) !== undefined) {
      const op = (this.opDecoder ??= new OpDecoder()).decode(payload);
      this.sendNamed(node, name, op[1] as Pid, op[3]);
      return;
    }
    this.outByName(node, -1, nameStream(name), payload);
  }

  /** Told of every DOWN that leaves for another node (op-dispatch.ts forgets its name monitor). */
  downOut: ((ref: Ref) => void) | null = null;

  sendNamed(node: string, name: string, from: Pid, msg: unknown): void {
    if (this.erlang !== null && this.erlang.size !== 0 && this.namedToErlang(node, nameStream(name), [kOpRegSend, from, name, msg])) return;
    this.outByName(node, -1, nameStream(name), this.ops.regSend(from, name, msg));
  }

  monitorName(node: string, name: string, watcher: Pid, ref: Ref): Pid {
    if (this.erlang !== null && this.erlang.size !== 0 && this.namedToErlang(node, nameStream(name), [kOpMonitorName, watcher, ref, name])) return namePlaceholder(node);
    this.outByName(node, -1, nameStream(name), this.ops.monitorName(watcher, ref, name));
    return namePlaceholder(node);
  }

  // --- Erlang peers ---

  /** An op to a pid of an Erlang peer: encoded for Erlang and written (true), or not an Erlang peer's (false). */
  private toErlang(index: number, stream: number, op: unknown[]): boolean {
    const peer = this.erlang!.peerFor(index);
    if (peer === undefined) return false;
    const identity = nodeTable.identity(index)!;
    if (identity.creation !== kAnyCreation && index !== peer.index) {
      this.stats.droppedStale++;
      return true;
    }
    const bytes = this.erlang!.encoder.encode(peer, op);
    if (bytes !== null) this.outByName(peer.name, -1, stream, bytes);
    return true;
  }

  private namedToErlang(node: string, stream: number, op: unknown[]): boolean {
    const peer = this.erlang!.peerNamed(node);
    if (peer === undefined) return false;
    const bytes = this.erlang!.encoder.encode(peer, op);
    if (bytes !== null) this.outByName(peer.name, -1, stream, bytes);
    return true;
  }

  // --- writing ---

  /** An op to a pid of node-table index `index` (steps 1-4). */
  out(index: number, stream: number, bytes: Uint8Array): void {
    const identity = nodeTable.identity(index);
    if (identity === undefined) return;
    // A `{ name, node }` monitor's placeholder pid stands for whichever incarnation is up.
    this.outByName(identity.name, identity.creation === kAnyCreation ? -1 : index, stream, bytes);
  }

  /** An op to node `name`; `index` is the incarnation it is for, -1 for whichever is up. */
  outByName(name: string, index: number, stream: number, bytes: Uint8Array): void {
    const peer = this.peers.get(name);
    if (peer.up) {
      if (index !== -1 && index !== peer.index) {
        this.stats.droppedStale++;
        return;
      }
      this.write(peer.conn, stream, this.forPeer(peer, bytes));
      return;
    }
    if (peer.pendingBytes + bytes.length > this.maxPendingBytes) {
      this.stats.droppedPendingFull++;
      return;
    }
    peer.pending.push({ index, stream, bytes: this.ops.isScratch(bytes) ? bytes.slice() : bytes });
    peer.pendingBytes += bytes.length;
    this.stats.queuedForConnect++;
    this.requestConnect(peer);
  }

  /** Write a connect request for `peer` unless one is out already. */
  requestConnect(peer: Peer): void {
    if (peer.up || peer.connectRequest !== -1) return;
    const id = this.peers.request(peer);
    this.io.write(kOutConnect, id, 0, utf8.encode(peer.name));
    this.scheduleFlush();
  }

  /** At nodeup: the ops that waited go out in order; those for another incarnation are dropped. Returns the stale indices. */
  sendPending(peer: Peer): Set<number> {
    const stale = new Set<number>();
    const list = peer.pending.splice(0);
    peer.pendingBytes = 0;
    const erl = this.erlang?.peerNamed(peer.name);
    for (const op of list) {
      if (op.index !== -1 && op.index !== peer.index) {
        stale.add(op.index);
        this.stats.droppedStale++;
      } else if (erl !== undefined) {
        // Encoded before the protocol was known: again, for Erlang (a value Erlang cannot
        // take, or an op it has no form for, is dropped, counted).
        this.opDecoder ??= new OpDecoder();
        let bytes: Uint8Array | null = null;
        try {
          bytes = this.erlang!.encoder.encode(erl, this.opDecoder.decode(op.bytes));
        } catch {
          bytes = null;
        }
        if (bytes !== null) this.write(peer.conn, op.stream, bytes);
        else this.stats.droppedStale++;
      } else this.write(peer.conn, op.stream, this.forPeer(peer, op.bytes));
    }
    return stale;
  }

  /** An op's bytes as `peer` can read them: an out-of-band payload re-encoded in band for a peer without kFlagOutOfBand. */
  private forPeer(peer: Peer, bytes: Uint8Array): Uint8Array {
    if (bytes.length === 0 || bytes[0] !== kPartsTag || (peer.flags & kFlagOutOfBand) !== 0) return bytes;
    const op = (this.opDecoder ??= new OpDecoder()).decode(bytes);
    const enc = (this.inBandOps ??= new OpEncoder(false, false));
    return op[0] === kOpSend ? enc.send(op[1] as Pid, op[2]) : enc.regSend(op[1] as Pid, op[2] as string, op[3]);
  }

  /** Drop what waited for a connection that could not be made; returns the indices it was for. */
  dropPending(peer: Peer): Set<number> {
    const gone = new Set<number>();
    for (const op of peer.pending) if (op.index !== -1) gone.add(op.index);
    peer.pending.length = 0;
    peer.pendingBytes = 0;
    return gone;
  }

  private stale(index: number): boolean {
    const identity = nodeTable.identity(index);
    if (identity === undefined) return true;
    const peer = this.peers.find(identity.name);
    return peer !== undefined && peer.up && peer.index !== index;
  }

  private write(conn: number, stream: number, bytes: Uint8Array): void {
    this.io.write(kOutMessage, conn, stream, bytes);
    this.stats.opsOut++;
    if (this.busy.isBusy(conn)) this.busy.wroteWhileBusy(conn, bytes.length);
    this.scheduleFlush();
  }

  scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(this.flushNow);
  }

  private readonly flushNow = (): void => {
    this.flushQueued = false;
    this.io.flush();
  };
}
