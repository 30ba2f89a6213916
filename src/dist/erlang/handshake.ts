/**
 * The Erlang distribution handshake (messages in handshake-messages.ts), both sides, over
 * any connected Duplex, as OTP 25-27's dist_util runs it:
 *
 *   initiator (connectErlangHandshake)           acceptor (acceptErlangHandshake)
 *   1. send_name: flags, creation, name      ->
 *                                                2. mandatory flags present? (no: status
 *                                                   'not_allowed', reject MissingFlags)
 *                                                   await decide(peer): ok |
 *                                                   ok_simultaneous | nok |
 *                                                   not_allowed | alive
 *                                            <-  3. status
 *   3b. (status 'alive') answerAlive():
 *       true / false                         ->     (false: reject Alive)
 *                                            <-  4. challenge: flags, challenge A,
 *                                                   creation, name
 *   5. is it the node we dialled? mandatory
 *      flags present? challenge_reply:
 *      challenge B, digest(A)                ->
 *                                                6. digest(A) right? (no: close, reject
 *                                                   BadCookie); (after 'alive': await
 *                                                   oldConnectionGone); challenge_ack:
 *                                            <-     digest(B); resolved
 *   7. digest(B) right? (no: reject BadCookie;
 *      the connection closing instead of the
 *      ack is the peer refusing our digest:
 *      BadCookie 'peer'); resolved
 *
 * Packets have a 2-byte length during the handshake; what the peer sent after its last
 * handshake message (4-byte-length packets already) is handed over in `rest`.
 *
 * Either side: a malformed or oversized message rejects ErlangMalformedHandshakeError;
 * nothing done within setupTimeMs rejects ErlangHandshakeTimeoutError; a close or socket
 * error rejects ErlangHandshakeClosedError (or BadCookie, step 7). On any rejection the
 * socket is ended (what was written still goes out) and destroyed. On success every
 * listener this module added is removed and the socket is paused.
 *
 * Simultaneous connects (net_kernel's rule): when a node accepts from a peer while its
 * own connection attempt to that peer is pending, the node with the greater name keeps
 * its outgoing connection (answers 'nok'); the smaller one answers 'ok_simultaneous' and
 * drops its attempt. erlangKeepsOutgoing() is that comparison; the decision is the
 * caller's (`decide`), since only it knows what is pending.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { HandshakeSocket } from '../handshake-socket.ts';
import {
  ErlangAliveError, ErlangBadCookieError, ErlangHandshakeClosedError, ErlangHandshakeError, ErlangHandshakeTimeoutError,
  ErlangMalformedHandshakeError, ErlangMissingFlagsError, ErlangNotAllowedError, ErlangSimultaneousConnectError,
} from './errors.ts';
import {
  DFLAG_PUBLISHED, expandMandatoryDigest, flagNames, kErlangDefaultFlags, kErlangMandatoryFlags, missingFlags,
} from './flags.ts';
import {
  BadHandshakeMessage, decodeAck, decodeChallenge, decodeName, decodeReply, decodeStatus, decodeStatusText, encodeAck,
  encodeChallenge, encodeName, encodeReply, encodeStatus, erlangDigest, handshakePacket, isNodeName, kMaxHandshakePacket,
  newChallenge,
} from './handshake-messages.ts';

export interface ErlangHandshakeSelf {
  /** Our full node name, name@host. */
  readonly name: string;
  /** Our creation (u32, not 0), as the port mapper gave it. */
  readonly creation: number;
  /** The cookie (Latin-1 text, as Erlang's atom cookies). */
  readonly cookie: string;
  /** The whole handshake's deadline. */
  readonly setupTimeMs: number;
  /** Flags to offer (default kErlangDefaultFlags); PUBLISHED is removed when hidden. */
  readonly flags?: bigint;
  /** A hidden node: listed by the peer only in nodes(hidden). */
  readonly hidden?: boolean;
}

export interface ErlangPeer {
  readonly name: string;
  readonly creation: number;
  /** The flags in use on the connection: ours AND theirs. */
  readonly flags: bigint;
  /** The flags the peer offered (MANDATORY_25_DIGEST expanded). */
  readonly offeredFlags: bigint;
  /** The peer is hidden (did not offer PUBLISHED, or we did not). */
  readonly hidden: boolean;
}

export interface ErlangHandshakeResult {
  readonly peer: ErlangPeer;
  /** Bytes that arrived after the handshake: the channel's first packets. */
  readonly rest: Uint8Array;
  /**
   * Connect side: the acceptor's status ('ok_simultaneous': it had its own attempt to us
   * pending and drops it; 'alive': it had a connection from us up). Accept side: the
   * decision we sent.
   */
  readonly status: 'ok' | 'ok_simultaneous' | 'alive';
}

/** What the acceptor answers a peer's send_name with (see the header). */
export type ErlangAcceptDecision = 'ok' | 'ok_simultaneous' | 'nok' | 'not_allowed' | 'alive';

/** Who the acceptor is deciding on: the peer's send_name. */
export interface ErlangPeerHello {
  readonly name: string;
  readonly creation: number;
  readonly offeredFlags: bigint;
}

export interface ErlangConnectOptions {
  /** Step 3b: the acceptor says a connection from us is up; is it broken (go on)? Default: true. */
  readonly answerAlive?: () => boolean;
}

export interface ErlangAcceptOptions {
  /** After 'alive' and the peer's true: resolves once the old connection is gone (before the ack). */
  readonly oldConnectionGone?: (peer: ErlangPeerHello) => Promise<void>;
}

/** net_kernel's simultaneous-connect rule: the node with the greater name keeps its outgoing connection. */
export function erlangKeepsOutgoing(self: string, peer: string): boolean {
  return Buffer.compare(Buffer.from(self, 'utf8'), Buffer.from(peer, 'utf8')) > 0;
}

function ourFlags(self: ErlangHandshakeSelf): bigint {
  const f = self.flags ?? kErlangDefaultFlags;
  return self.hidden === true ? f & ~DFLAG_PUBLISHED : f;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

type Phase = 'handshake' | 'awaiting_ack';

/** Erlang's handshake packets on a HandshakeSocket: `u16 length | body`. */
class PacketChannel extends HandshakeSocket {
  protected readonly lengthBytes = 2;
  protected readonly maxPacket = kMaxHandshakePacket;
  phase: Phase = 'handshake';
  protected timeoutError(ms: number): Error {
    return new ErlangHandshakeTimeoutError(this.peer, ms);
  }
  protected closedError(why: string): Error {
    // Step 7: an Erlang acceptor that finds our digest wrong closes without a word.
    if (this.phase === 'awaiting_ack') return new ErlangBadCookieError(this.peer, 'peer');
    return new ErlangHandshakeClosedError(this.peer, why);
  }
  protected malformedError(why: string): Error {
    return new ErlangMalformedHandshakeError(this.peer, why);
  }
  protected isTimeout(e: Error): boolean {
    return e instanceof ErlangHandshakeTimeoutError;
  }

  /** Send one packet: the 2-byte length, then `body`. */
  sendPacket(body: Uint8Array): void {
    this.send(handshakePacket(body));
  }
}

/** Run `step`; a malformed body fails the handshake as malformed; every failure ends the socket. */
async function guarded<T>(ch: PacketChannel, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    const err = e instanceof ErlangHandshakeError
      ? e
      : new ErlangMalformedHandshakeError(ch.peer, e instanceof BadHandshakeMessage || e instanceof RangeError ? e.message : String(e));
    ch.fail(err);
    throw err;
  }
}

function checkMandatory(peer: string | null, offered: bigint): void {
  const missing = missingFlags(offered, kErlangMandatoryFlags);
  if (missing !== 0n) throw new ErlangMissingFlagsError(peer, flagNames(missing));
}

function checkSelf(self: ErlangHandshakeSelf): void {
  if (!isNodeName(self.name)) throw new ErlangMalformedHandshakeError(null, `our own name "${self.name}" is not name@host`);
  if (!Number.isInteger(self.creation) || self.creation < 1 || self.creation > 0xffffffff) {
    throw new ErlangMalformedHandshakeError(null, `our creation ${self.creation} is not a u32 above 0`);
  }
}

/** Steps 1, 3b, 5, 7. @throws (rejects) an ErlangHandshakeError subclass */
export function connectErlangHandshake(
  socket: Duplex,
  self: ErlangHandshakeSelf,
  expectedPeer: string,
  opts?: ErlangConnectOptions,
): Promise<ErlangHandshakeResult> {
  const ch = new PacketChannel(socket, self.setupTimeMs, expectedPeer);
  const flags = ourFlags(self);
  return guarded(ch, async () => {
    checkSelf(self);
    ch.sendPacket(encodeName({ flags, creation: self.creation, name: self.name }));
    const status = decodeStatus(await ch.next());
    if (status === 'nok') throw new ErlangSimultaneousConnectError(expectedPeer);
    if (status === 'not_allowed') throw new ErlangNotAllowedError(expectedPeer, "the peer answered 'not_allowed'");
    if (status === 'alive') {
      const goOn = opts?.answerAlive?.() ?? true;
      ch.sendPacket(encodeStatus(goOn ? 'true' : 'false'));
      if (!goOn) throw new ErlangAliveError(expectedPeer);
    }
    const c = decodeChallenge(await ch.next());
    if (c.name !== expectedPeer) throw new ErlangMalformedHandshakeError(expectedPeer, `the node that answered is ${c.name}, not ${expectedPeer}`);
    const offered = expandMandatoryDigest(c.flags);
    checkMandatory(c.name, offered);
    let challengeB = newChallenge();
    while (challengeB === c.challenge) challengeB = newChallenge();
    ch.sendPacket(encodeReply({ challenge: challengeB, digest: erlangDigest(c.challenge, self.cookie) }));
    ch.phase = 'awaiting_ack';
    const ack = decodeAck(await ch.next());
    if (!same(ack, erlangDigest(challengeB, self.cookie))) throw new ErlangBadCookieError(c.name, 'us');
    const used = flags & offered;
    const peer: ErlangPeer = { name: c.name, creation: c.creation, flags: used, offeredFlags: offered, hidden: (used & DFLAG_PUBLISHED) === 0n };
    return { peer, rest: ch.finish(), status };
  });
}

/** Steps 2, 3, 4, 6. @throws (rejects) an ErlangHandshakeError subclass */
export function acceptErlangHandshake(
  socket: Duplex,
  self: ErlangHandshakeSelf,
  decide: (peer: ErlangPeerHello) => ErlangAcceptDecision | Promise<ErlangAcceptDecision>,
  opts?: ErlangAcceptOptions,
): Promise<ErlangHandshakeResult> {
  const ch = new PacketChannel(socket, self.setupTimeMs, null);
  const flags = ourFlags(self);
  return guarded(ch, async () => {
    checkSelf(self);
    const hello = decodeName(await ch.next());
    ch.peer = hello.name;
    const offered = expandMandatoryDigest(hello.flags);
    const peerHello: ErlangPeerHello = { name: hello.name, creation: hello.creation, offeredFlags: offered };
    if (missingFlags(offered, kErlangMandatoryFlags) !== 0n) {
      ch.sendPacket(encodeStatus('not_allowed'));
      checkMandatory(hello.name, offered);
    }
    const decision = await decide(peerHello);
    ch.sendPacket(encodeStatus(decision));
    if (decision === 'nok') throw new ErlangSimultaneousConnectError(hello.name);
    if (decision === 'not_allowed') throw new ErlangNotAllowedError(hello.name, 'refused by our decision');
    if (decision === 'alive') {
      const answer = decodeStatusText(await ch.next());
      if (answer === 'false') throw new ErlangAliveError(hello.name);
      if (answer !== 'true') throw new ErlangMalformedHandshakeError(hello.name, `the answer to 'alive' is "${answer.slice(0, 40)}", not true or false`);
    }
    const challengeA = newChallenge();
    ch.sendPacket(encodeChallenge({ flags, challenge: challengeA, creation: self.creation, name: self.name }));
    const reply = decodeReply(await ch.next());
    if (reply.challenge === challengeA) throw new ErlangMalformedHandshakeError(hello.name, 'its challenge is ours reflected back');
    if (!same(reply.digest, erlangDigest(challengeA, self.cookie))) throw new ErlangBadCookieError(hello.name, 'us');
    if (decision === 'alive' && opts?.oldConnectionGone !== undefined) await opts.oldConnectionGone(peerHello);
    ch.sendPacket(encodeAck(erlangDigest(reply.challenge, self.cookie)));
    const used = flags & offered;
    const peer: ErlangPeer = { name: hello.name, creation: hello.creation, flags: used, offeredFlags: offered, hidden: (used & DFLAG_PUBLISHED) === 0n };
    return { peer, rest: ch.finish(), status: decision };
  });
}
