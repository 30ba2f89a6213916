/**
 * The distribution handshake (messages in handshake-frames.ts), over any connected Duplex
 * (net.Socket, tls.TLSSocket). The cookie never crosses the wire: each side proves it
 * knows it by an HMAC-SHA256 over a fresh 32-byte random challenge of the other's.
 *
 *   initiator (connectHandshake)                 acceptor (acceptHandshake)
 *   1. HELLO versions, flags, creation, hidden,  ->
 *      challenge A, name
 *                                                2. versions overlap? (no: STATUS version)
 *                                                   challenge A seen before? (REFUSE replay)
 *                                                   decide(peer): ok | nok | alive
 *                                             <- 3. STATUS; if ok: WELCOME version, flags,
 *                                                   creation, hidden, challenge B,
 *                                                   digest(A), name
 *   4. is it the node we dialled? digest(A)
 *      right? (no: REFUSE bad cookie, reject)
 *      REPLY digest(B)                          ->
 *                                                5. digest(B) right? (no: REFUSE bad
 *                                                   cookie, reject); ACK
 *   6. ACK: resolved                          <-    resolved
 *
 * Either side: a REFUSE received rejects with its reason's error; malformed or oversized
 * messages reject MalformedHandshakeError (REFUSE malformed is sent first); nothing done
 * within setupTimeMs rejects HandshakeTimeoutError. On any rejection the socket is
 * destroyed. On success every listener this module added is removed, the socket is
 * paused, and the bytes that came after the last handshake message are in `rest`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import {
  BadCookieError, HandshakeClosedError, HandshakeError, HandshakeTimeoutError, MalformedHandshakeError,
  NameTakenHandshakeError, ReplayedChallengeError, SimultaneousConnectError, VersionMismatchError,
} from './handshake-errors.ts';
import {
  MessageBuilder, MessageReader, kAck, kChallengeBytes, kDigestBytes, kHello, kMaxHandshakeMessage, kRefuse,
  kRefuseBadCookie, kRefuseMalformed, kRefuseReplay, kReply, kStatus, kStatusAlive, kStatusNok, kStatusOk,
  kStatusVersion, kVersionMax, kVersionMin, kWelcome,
} from './handshake-frames.ts';

export { kDistFlags } from './handshake-frames.ts';

export interface HandshakeSelf {
  readonly name: string;
  readonly creation: number;
  readonly hidden: boolean;
  readonly flags: number;
  readonly cookie: string;
  readonly setupTimeMs: number;
  /** Versions spoken (default kVersionMin..kVersionMax); tests narrow them. */
  readonly versions?: readonly [number, number];
}

export interface PeerInfo {
  readonly name: string;
  readonly creation: number;
  readonly hidden: boolean;
  readonly flags: number;
}

export interface HandshakeResult {
  readonly peer: PeerInfo;
  readonly rest: Uint8Array;
}

export type AcceptDecision = 'ok' | 'nok' | 'alive';

/** In a simultaneous connect the connection initiated by the node with the smaller name is kept. */
export function keepsOutgoing(self: string, peer: string): boolean {
  return self < peer;
}

/**
 * Challenges acceptors have seen (bounded, oldest forgotten first): a HELLO that brings
 * one again is a replay. Shared by every acceptor of the process.
 */
export class ChallengeMemory {
  private readonly seen = new Set<string>();
  private readonly capacity: number;
  constructor(capacity = 65536) {
    this.capacity = capacity;
  }
  /** True if `c` was new (and is now remembered). */
  remember(c: Uint8Array): boolean {
    const k = Buffer.from(c).toString('base64');
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }
}

const defaultMemory = new ChallengeMemory();

function digest(cookie: string, label: string, challenge: Uint8Array, initiator: string, acceptor: string): Uint8Array {
  const h = createHmac('sha256', cookie);
  h.update(label);
  h.update(challenge);
  h.update(initiator);
  h.update('\0');
  h.update(acceptor);
  return h.digest();
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads whole handshake messages from a socket, with the deadline; see the header. */
class HandshakeChannel {
  private buf = new Uint8Array(0);
  private waiter: { resolve: (m: { tag: number; body: Uint8Array }) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  private readonly timer: ReturnType<typeof setTimeout>;
  peer: string | null;

  constructor(private readonly socket: Duplex, ms: number, peer: string | null) {
    this.peer = peer;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
    this.timer = setTimeout(() => this.fail(new HandshakeTimeoutError(this.peer, ms)), ms);
    if (socket.isPaused()) socket.resume();
  }

  private readonly onData = (chunk: Buffer): void => {
    const next = new Uint8Array(this.buf.length + chunk.length);
    next.set(this.buf, 0);
    next.set(chunk, this.buf.length);
    this.buf = next;
    this.pump();
  };
  private readonly onEnd = (): void => this.fail(new HandshakeClosedError(this.peer, 'the connection closed during the handshake'));
  private readonly onError = (e: Error): void => this.fail(new HandshakeClosedError(this.peer, `socket error: ${e.message}`));

  private pump(): void {
    if (this.waiter === null || this.failure !== null) return;
    if (this.buf.length < 4) return;
    const n = new DataView(this.buf.buffer, this.buf.byteOffset).getUint32(0);
    if (n < 1 || n > kMaxHandshakeMessage) {
      this.fail(new MalformedHandshakeError(this.peer, `a handshake message of ${n} bytes`), kRefuseMalformed);
      return;
    }
    if (this.buf.length < 4 + n) return;
    const tag = this.buf[4]!;
    const body = this.buf.slice(5, 4 + n);
    this.buf = this.buf.subarray(4 + n);
    const w = this.waiter;
    this.waiter = null;
    w.resolve({ tag, body });
  }

  /** The next message, of tag `expect` (or kRefuse / kStatus as the protocol allows). */
  next(): Promise<{ tag: number; body: Uint8Array }> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.pump();
    });
  }

  send(msg: Uint8Array): void {
    if (this.failure === null) this.socket.write(msg);
  }

  /** Fail the handshake: tell the peer why (if `refuse`), destroy the socket, reject the waiter. */
  fail(e: Error, refuse = 0): void {
    if (this.failure !== null) return;
    this.failure = e;
    clearTimeout(this.timer);
    this.detach();
    // What was written (a STATUS, a REFUSE) still goes out: end, then destroy on close or
    // after a grace period; a timeout destroys at once.
    const s = this.socket;
    if (e instanceof HandshakeTimeoutError) s.destroy();
    else {
      if (refuse !== 0) s.end(new MessageBuilder(kRefuse).u8(refuse).build());
      else s.end();
      const t = setTimeout(() => s.destroy(), 1000);
      t.unref();
      s.once('close', () => clearTimeout(t));
    }
    const w = this.waiter;
    this.waiter = null;
    w?.reject(e);
  }

  /** Success: stop listening, pause, hand over what is left. */
  finish(): Uint8Array {
    clearTimeout(this.timer);
    this.detach();
    this.socket.pause();
    return this.buf.slice();
  }

  private detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    // A late socket error must not become an uncaught exception.
    this.socket.on('error', noop);
  }
}

const noop = (): void => {};

function refusedError(reason: number, peer: string | null): HandshakeError {
  if (reason === kRefuseBadCookie) return new BadCookieError(peer);
  if (reason === kRefuseReplay) return new ReplayedChallengeError(peer);
  return new MalformedHandshakeError(peer, 'the peer found our handshake malformed');
}

/** Run `step`; a malformed body (RangeError / TypeError) fails the handshake as malformed. */
async function guarded<T>(ch: HandshakeChannel, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof HandshakeError) {
      ch.fail(e);
      throw e;
    }
    const err = new MalformedHandshakeError(ch.peer, e instanceof Error ? e.message : String(e));
    ch.fail(err, kRefuseMalformed);
    throw err;
  }
}

/** Steps 1, 4, 6. @throws (rejects) a HandshakeError subclass */
export function connectHandshake(socket: Duplex, self: HandshakeSelf, expectedPeer: string): Promise<HandshakeResult> {
  const ch = new HandshakeChannel(socket, self.setupTimeMs, expectedPeer);
  const [vmin, vmax] = self.versions ?? [kVersionMin, kVersionMax];
  return guarded(ch, async () => {
    const challengeA = randomBytes(kChallengeBytes);
    ch.send(new MessageBuilder(kHello).u16(vmin).u16(vmax).u32(self.flags >>> 0).u32(self.creation >>> 0).u8(self.hidden ? 1 : 0).bytes(challengeA).name(self.name).build());
    let m = await ch.next();
    if (m.tag === kRefuse) throw refusedError(new MessageReader(m.body).u8(), expectedPeer);
    if (m.tag !== kStatus) throw new MalformedHandshakeError(expectedPeer, `expected STATUS, got tag ${m.tag}`);
    const st = new MessageReader(m.body);
    const status = st.u8();
    if (status === kStatusNok) throw new SimultaneousConnectError(expectedPeer);
    if (status === kStatusAlive) throw new NameTakenHandshakeError(expectedPeer);
    if (status === kStatusVersion) {
      const theirs: [number, number] = [st.u16(), st.u16()];
      throw new VersionMismatchError(expectedPeer, [vmin, vmax], theirs);
    }
    if (status !== kStatusOk) throw new MalformedHandshakeError(expectedPeer, `unknown status ${status}`);
    m = await ch.next();
    if (m.tag === kRefuse) throw refusedError(new MessageReader(m.body).u8(), expectedPeer);
    if (m.tag !== kWelcome) throw new MalformedHandshakeError(expectedPeer, `expected WELCOME, got tag ${m.tag}`);
    const r = new MessageReader(m.body);
    const version = r.u16();
    const flags = r.u32();
    const creation = r.u32();
    const hidden = r.u8() === 1;
    const challengeB = r.bytes(kChallengeBytes);
    const digestA = r.bytes(kDigestBytes);
    const name = r.name();
    r.end();
    if (version < vmin || version > vmax) throw new VersionMismatchError(expectedPeer, [vmin, vmax], [version, version]);
    if (name !== expectedPeer) throw new MalformedHandshakeError(expectedPeer, `the node that answered is ${name}, not ${expectedPeer}`);
    if (same(challengeA, challengeB)) {
      ch.fail(new ReplayedChallengeError(name), kRefuseReplay);
      throw new ReplayedChallengeError(name);
    }
    if (!same(digestA, digest(self.cookie, 'switchboard-accept', challengeA, self.name, name))) {
      const e = new BadCookieError(name);
      ch.fail(e, kRefuseBadCookie);
      throw e;
    }
    ch.send(new MessageBuilder(kReply).bytes(digest(self.cookie, 'switchboard-connect', challengeB, self.name, name)).build());
    m = await ch.next();
    if (m.tag === kRefuse) throw refusedError(new MessageReader(m.body).u8(), name);
    if (m.tag !== kAck || m.body.length !== 0) throw new MalformedHandshakeError(name, `expected ACK, got tag ${m.tag}`);
    return { peer: { name, creation, hidden, flags }, rest: ch.finish() };
  });
}

/** Steps 2, 3, 5. @throws (rejects) a HandshakeError subclass */
export function acceptHandshake(
  socket: Duplex,
  self: HandshakeSelf,
  decide: (peer: PeerInfo) => AcceptDecision,
  memory: ChallengeMemory = defaultMemory,
): Promise<HandshakeResult> {
  const ch = new HandshakeChannel(socket, self.setupTimeMs, null);
  const [vmin, vmax] = self.versions ?? [kVersionMin, kVersionMax];
  return guarded(ch, async () => {
    let m = await ch.next();
    if (m.tag !== kHello) throw new MalformedHandshakeError(null, `expected HELLO, got tag ${m.tag}`);
    const r = new MessageReader(m.body);
    const pmin = r.u16();
    const pmax = r.u16();
    const flags = r.u32();
    const creation = r.u32();
    const hidden = r.u8() === 1;
    const challengeA = r.bytes(kChallengeBytes);
    const name = r.name();
    r.end();
    ch.peer = name;
    if (pmax < vmin || pmin > vmax || pmin > pmax) {
      ch.send(new MessageBuilder(kStatus).u8(kStatusVersion).u16(vmin).u16(vmax).build());
      throw new VersionMismatchError(name, [vmin, vmax], [pmin, pmax]);
    }
    if (!memory.remember(challengeA)) {
      const e = new ReplayedChallengeError(name);
      ch.fail(e, kRefuseReplay);
      throw e;
    }
    const peer: PeerInfo = { name, creation, hidden, flags };
    const decision = decide(peer);
    if (decision === 'nok') {
      ch.send(new MessageBuilder(kStatus).u8(kStatusNok).build());
      throw new SimultaneousConnectError(name);
    }
    if (decision === 'alive') {
      ch.send(new MessageBuilder(kStatus).u8(kStatusAlive).build());
      throw new NameTakenHandshakeError(name);
    }
    const challengeB = randomBytes(kChallengeBytes);
    ch.send(new MessageBuilder(kStatus).u8(kStatusOk).build());
    ch.send(
      new MessageBuilder(kWelcome).u16(Math.min(vmax, pmax)).u32(self.flags >>> 0).u32(self.creation >>> 0).u8(self.hidden ? 1 : 0)
        .bytes(challengeB).bytes(digest(self.cookie, 'switchboard-accept', challengeA, name, self.name)).name(self.name).build(),
    );
    m = await ch.next();
    if (m.tag === kRefuse) throw refusedError(new MessageReader(m.body).u8(), name);
    if (m.tag !== kReply) throw new MalformedHandshakeError(name, `expected REPLY, got tag ${m.tag}`);
    const rr = new MessageReader(m.body);
    const digestB = rr.bytes(kDigestBytes);
    rr.end();
    if (!same(digestB, digest(self.cookie, 'switchboard-connect', challengeB, name, self.name))) {
      const e = new BadCookieError(name);
      ch.fail(e, kRefuseBadCookie);
      throw e;
    }
    ch.send(new MessageBuilder(kAck).build());
    return { peer, rest: ch.finish() };
  });
}
