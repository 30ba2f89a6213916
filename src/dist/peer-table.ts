/**
 * PeerTable (node-thread side): what this thread knows of every other node it has talked
 * to — its name, whether a connection is up (the I/O thread's `conn` id), the creation
 * and node-table index of the incarnation on the other end, and what waits for a
 * connection (ops queued by an auto-connect, connectNode callers, monitorNode watchers).
 *
 *   name        conn   creation  index  state        pending ops
 *   b@host        7       12       3     up           -
 *   c@host       -1        -       -     connecting   [stream, bytes, index] x N
 *
 * States: idle -> connecting (a kOutConnect was written) -> up (kInNodeUp) -> idle
 * (kInNodeDown) ...; connecting -> idle on kInConnectFailed. Only the node thread touches
 * the table.
 */
import type { Pid } from '../core/pid.ts';

/** An op that waits for its node's connection: its target's node index decides at nodeup whether it still goes. */
export interface PendingOp {
  readonly index: number;
  readonly stream: number;
  readonly bytes: Uint8Array;
}

export class Peer {
  readonly name: string;
  /** The I/O thread's connection id while up, else -1. */
  conn = -1;
  /** The creation and node-table index of the incarnation connected now (-1 when never up). */
  creation = -1;
  index = -1;
  hidden = false;
  /** The capability flags the peer offered in the handshake of the connection up now (handshake-frames.ts). */
  flags = 0;
  /** A connect request is out (its request id), or -1. */
  connectRequest = -1;
  readonly pending: PendingOp[] = [];
  pendingBytes = 0;
  /** connectNode callers waiting for this connection. */
  readonly connectWaiters: ((up: boolean) => void)[] = [];
  /** monitorNode: watcher -> how many nodedown messages it asked for. */
  readonly watchers = new Map<Pid, number>();

  constructor(name: string) {
    this.name = name;
  }

  get up(): boolean {
    return this.conn !== -1;
  }
}

export class PeerTable {
  private readonly byName = new Map<string, Peer>();
  private readonly byConn = new Map<number, Peer>();
  private readonly byRequest = new Map<number, Peer>();
  private nextRequest = 1;

  get(name: string): Peer {
    let p = this.byName.get(name);
    if (p === undefined) this.byName.set(name, (p = new Peer(name)));
    return p;
  }

  find(name: string): Peer | undefined {
    return this.byName.get(name);
  }

  ofConn(conn: number): Peer | undefined {
    return this.byConn.get(conn);
  }

  /** A new connect request id for `peer`. */
  request(peer: Peer): number {
    const id = this.nextRequest++;
    peer.connectRequest = id;
    this.byRequest.set(id, peer);
    return id;
  }

  /** The peer whose connect request `id` ended (cleared). */
  takeRequest(id: number): Peer | undefined {
    const p = this.byRequest.get(id);
    if (p !== undefined) {
      this.byRequest.delete(id);
      if (p.connectRequest === id) p.connectRequest = -1;
    }
    return p;
  }

  markUp(peer: Peer, conn: number, creation: number, index: number, hidden: boolean, flags = 0): void {
    if (peer.conn !== -1) this.byConn.delete(peer.conn);
    peer.conn = conn;
    peer.flags = flags;
    peer.creation = creation;
    peer.index = index;
    peer.hidden = hidden;
    this.byConn.set(conn, peer);
    if (peer.connectRequest !== -1) {
      this.byRequest.delete(peer.connectRequest);
      peer.connectRequest = -1;
    }
  }

  markDown(peer: Peer): void {
    if (peer.conn !== -1) this.byConn.delete(peer.conn);
    peer.conn = -1;
  }

  /** Names of the peers that are up: visible, hidden, or both. */
  names(which: 'visible' | 'hidden' | 'connected'): string[] {
    const out: string[] = [];
    for (const p of this.byName.values()) {
      if (!p.up) continue;
      if (which === 'connected' || (which === 'hidden') === p.hidden) out.push(p.name);
    }
    return out;
  }

  all(): IterableIterator<Peer> {
    return this.byName.values();
  }
}
