/**
 * The I/O thread's table of peers: name -> the connection that is up, name -> the setup
 * in progress (an outgoing connect and/or an accepted handshake), the node thread's
 * requests waiting on each, and connection ids.
 *
 *   name --> Setup { outgoing?, accepting, superseded, waiters: request ids }   (pending)
 *   name --> Connection                                                         (up)
 *   conn --> Connection                                                         (by id)
 *
 * Steps
 *   1. A connect request for a name that is up answers nothing more (the node thread had
 *      its nodeup); for a name being set up it joins the setup's waiters; else a setup
 *      with an outgoing attempt starts (beginOutgoing).
 *   2. An accepted handshake names its initiator: decide() answers
 *        'alive' — a connection to that name is up (of the same creation: one of another
 *                  creation is the peer's earlier life, replaced once the new handshake
 *                  is through), or another accept of it is under way;
 *        'nok'   — we are connecting to it too and keepsOutgoing(self, peer): ours wins;
 *        'ok'    — otherwise; an outgoing attempt of ours to that name is superseded (the
 *                  peer refuses it, by the same rule), its outcome ignored.
 *   3. A handshake that completes becomes the name's connection (up): a fresh conn id
 *      (counting from 1, never reused while the thread runs); the setup's waiters are
 *      answered by the nodeup. A superseded outgoing still under way is cancelled (its
 *      socket destroyed), one that completes anyway is closed.
 *   4. A setup whose every attempt failed ends: its waiters get the failure. Except when
 *      our outgoing lost a simultaneous connect (refused 'nok'): the peer's connection
 *      to us is coming, so the setup waits for it (io-service ends it after setupTimeMs).
 *   5. A lost connection leaves the table (by name and by id).
 */
import type { Socket } from 'node:net';
import type { KitAcceptDecision } from './channel-kit.ts';
import type { Connection } from './connection.ts';

/** One outgoing attempt: from the address lookup on (its socket once it has one). */
export interface OutgoingAttempt {
  readonly name: string;
  socket: Socket | null;
  /** The setup ended without it (the accepted connection won): stop at the next step. */
  cancelled: boolean;
}

export interface Setup {
  readonly name: string;
  /** The outgoing attempt (null: none, or it ended). */
  outgoing: OutgoingAttempt | null;
  /** An accepted handshake of this name is under way (decided 'ok'). */
  accepting: Socket | null;
  /** Our outgoing attempt lost to the accepted one (step 2 'ok'). */
  superseded: boolean;
  /** Request ids of the node thread waiting for this name. */
  readonly waiters: number[];
}

export class ConnectionTable {
  private readonly up = new Map<string, Connection>();
  private readonly byId = new Map<number, Connection>();
  private readonly pending = new Map<string, Setup>();
  private nextConn = 1;

  constructor(
    private readonly self: string,
    private readonly keepsOutgoing: (self: string, peer: string) => boolean,
  ) {}

  connection(name: string): Connection | undefined {
    return this.up.get(name);
  }

  byConn(conn: number): Connection | undefined {
    return this.byId.get(conn);
  }

  setup(name: string): Setup | undefined {
    return this.pending.get(name);
  }

  /** Is the name up or being set up (mesh: no need to connect)? */
  known(name: string): boolean {
    return this.up.has(name) || this.pending.has(name);
  }

  /** Every connection that is up. */
  connections(): IterableIterator<Connection> {
    return this.up.values();
  }

  get size(): number {
    return this.up.size;
  }

  /** Setups under way (an outgoing attempt from its lookup on, an accept, or a lost race waiting). */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Visible peers that are up (for the mesh's "nodes" list), except `except`. */
  visibleNames(except: string): string[] {
    const out: string[] = [];
    for (const c of this.up.values()) if (!c.peer.hidden && c.peer.name !== except) out.push(c.peer.name);
    return out;
  }

  /**
   * Step 1. Returns the outgoing attempt to start, or null when nothing is to start (up
   * already, or the request joined a setup).
   */
  request(name: string, requestId: number | null): OutgoingAttempt | null {
    if (this.up.has(name)) return null;
    const existing = this.pending.get(name);
    if (existing !== undefined) {
      if (requestId !== null) existing.waiters.push(requestId);
      return null;
    }
    const attempt: OutgoingAttempt = { name, socket: null, cancelled: false };
    this.pending.set(name, { name, outgoing: attempt, accepting: null, superseded: false, waiters: requestId === null ? [] : [requestId] });
    return attempt;
  }

  /**
   * Step 2, for the accepted socket `socket` whose initiator is `peer` (of `creation`).
   * A connection up to `peer` of another creation is an earlier life of it: the new one
   * may go on, and replaces it once its handshake completed (completed() says so).
   */
  decide(peer: string, socket: Socket, creation: number, keepsOutgoing = this.keepsOutgoing): KitAcceptDecision {
    if (peer === this.self) return 'alive';
    const old = this.up.get(peer);
    if (old !== undefined && old.peer.creation === creation) return 'alive';
    const s = this.pending.get(peer);
    if (s === undefined) {
      this.pending.set(peer, { name: peer, outgoing: null, accepting: socket, superseded: false, waiters: [] });
      return 'ok';
    }
    if (s.accepting !== null) return 'alive';
    if (s.outgoing !== null && keepsOutgoing(this.self, peer)) return 'nok';
    s.accepting = socket;
    if (s.outgoing !== null) s.superseded = true;
    return 'ok';
  }

  /**
   * Step 3: a handshake of `name` completed, on our outgoing `attempt` or on the accepted
   * `socket`. Returns the setup's waiters, whether the connection is to be kept (false: a
   * superseded outgoing, or an attempt the table no longer expects) and the connection
   * of the peer's earlier life it replaces (the caller loses that one first).
   */
  completed(name: string, attempt: OutgoingAttempt | Socket): { keep: boolean; waiters: number[]; replaces?: Connection } {
    const s = this.pending.get(name);
    if (s === undefined) return { keep: false, waiters: [] };
    const ours = s.outgoing === attempt ? !s.superseded : s.accepting === attempt;
    const old = this.up.get(name);
    if (!ours || (old !== undefined && s.accepting !== attempt)) return { keep: false, waiters: [] };
    this.pending.delete(name);
    // A superseded outgoing still under way must not come up later as a second connection.
    if (s.outgoing !== null && s.outgoing !== attempt) {
      s.outgoing.cancelled = true;
      s.outgoing.socket?.destroy();
    }
    return old === undefined ? { keep: true, waiters: s.waiters } : { keep: true, waiters: s.waiters, replaces: old };
  }

  /** Step 3: the next conn id. */
  allocateConn(): number {
    const conn = this.nextConn;
    this.nextConn = (this.nextConn + 1) >>> 0 || 1;
    return conn;
  }

  /** Step 3: the connection is up. */
  add(c: Connection): void {
    this.up.set(c.peer.name, c);
    this.byId.set(c.conn, c);
  }

  /**
   * Step 4: an attempt of `name` on `socket` failed. Returns the waiters to fail when the
   * setup has no attempt left, else null (another attempt may still bring the name up).
   */
  failed(name: string, attempt: OutgoingAttempt | Socket, lostRace = false): number[] | null {
    const s = this.pending.get(name);
    if (s === undefined) return null;
    if (s.outgoing === attempt) s.outgoing = null;
    else if (s.accepting === attempt) s.accepting = null;
    else return null;
    if (s.outgoing !== null || s.accepting !== null) return null;
    // Our outgoing lost a simultaneous connect ('nok'): the peer's connection to us is on
    // its way; the setup stays, with no attempt, until it comes (or expireIdle).
    if (lostRace) return null;
    this.pending.delete(name);
    return s.waiters;
  }

  /** Step 4 for a setup left waiting by a lost race: still no attempt -> end it, its waiters. */
  expireIdle(name: string): number[] | null {
    const s = this.pending.get(name);
    if (s === undefined || s.outgoing !== null || s.accepting !== null) return null;
    this.pending.delete(name);
    return s.waiters;
  }

  /** Step 5. */
  remove(c: Connection): void {
    if (this.up.get(c.peer.name) === c) this.up.delete(c.peer.name);
    this.byId.delete(c.conn);
  }

  /** Every socket of a setup in progress (to close at stop). */
  pendingSockets(): Socket[] {
    const out: Socket[] = [];
    for (const s of this.pending.values()) {
      if (s.outgoing?.socket) out.push(s.outgoing.socket);
      if (s.accepting !== null) out.push(s.accepting);
    }
    return out;
  }
}
