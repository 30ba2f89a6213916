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
import { HandshakeSocket } from './handshake-socket.ts';
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

/** Switchboard's handshake messages on a HandshakeSocket: `u32 length | tag | body`. */
class HandshakeChannel extends HandshakeSocket {
  protected readonly lengthBytes = 4;
  protected readonly maxPacket = kMaxHandshakeMessage;
  protected timeoutError(ms: number): Error {
    return new HandshakeTimeoutError(this.peer, ms);
  }
  protected closedError(why: string): Error {
    return new HandshakeClosedError(this.peer, why);
  }
  protected malformedError(why: string): Error {
    return new MalformedHandshakeError(this.peer, why.replace('packet', 'message'));
  }
  protected isTimeout(e: Error): boolean {
    return e instanceof HandshakeTimeoutError;
  }
  protected override malformedRefusal(): Uint8Array {
    return new MessageBuilder(kRefuse).u8(kRefuseMalformed).build();
  }

  /** The next message, split into its tag and body. */
  async message(): Promise<{ tag: number; body: Uint8Array }> {
    const p = await this.next();
    return { tag: p[0]!, body: p.subarray(1) };
  }

  /** Fail, telling the peer why first (REFUSE `reason`). */
  refuse(e: Error, reason: number): void {
    this.fail(e, new MessageBuilder(kRefuse).u8(reason).build());
  }
}

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
    ch.refuse(err, kRefuseMalformed);
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
    let m = await ch.message();
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
    m = await ch.message();
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
      ch.refuse(new ReplayedChallengeError(name), kRefuseReplay);
      throw new ReplayedChallengeError(name);
    }
    if (!same(digestA, digest(self.cookie, 'switchboard-accept', challengeA, self.name, name))) {
      const e = new BadCookieError(name);
      ch.refuse(e, kRefuseBadCookie);
      throw e;
    }
    ch.send(new MessageBuilder(kReply).bytes(digest(self.cookie, 'switchboard-connect', challengeB, self.name, name)).build());
    m = await ch.message();
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
    let m = await ch.message();
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
      ch.refuse(e, kRefuseReplay);
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
    m = await ch.message();
    if (m.tag === kRefuse) throw refusedError(new MessageReader(m.body).u8(), name);
    if (m.tag !== kReply) throw new MalformedHandshakeError(name, `expected REPLY, got tag ${m.tag}`);
    const rr = new MessageReader(m.body);
    const digestB = rr.bytes(kDigestBytes);
    rr.end();
    if (!same(digestB, digest(self.cookie, 'switchboard-connect', challengeB, name, self.name))) {
      const e = new BadCookieError(name);
      ch.refuse(e, kRefuseBadCookie);
      throw e;
    }
    ch.send(new MessageBuilder(kAck).build());
    return { peer, rest: ch.finish() };
  });
}
