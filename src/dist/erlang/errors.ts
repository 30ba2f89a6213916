/**
 * Why an Erlang distribution connection failed: the handshake (handshake.ts) and the
 * framing after it (frame-reader.ts, dist-header.ts, term-skipper.ts). One class per
 * condition, each with a stable code (ERR_SB_ERLANG_*); registered so they keep their
 * class across threads and nodes.
 *
 * Erlang mapping: dist_util ends a failed handshake by closing the socket (after a
 * status such as 'not_allowed' or 'nok' where the protocol has one); these classes are
 * the reasons dist_util would give in its shutdown term.
 */
import { SwitchboardError } from '../../core/errors.ts';
import { registerErrorClass } from '../../core/error-classes.ts';

/** Base of every Erlang handshake failure; `peer` is the other node's name when known. */
export class ErlangHandshakeError extends SwitchboardError {
  readonly peer: string | null;
  constructor(code: string, message: string, peer: string | null) {
    super(code, message);
    this.peer = peer;
  }
}

const who = (peer: string | null): string => peer ?? 'an Erlang peer';

/**
 * The cookies differ: the peer's digest is wrong (we refuse), or the peer closed the
 * connection right after our challenge reply / before its ack (what an Erlang node does
 * when our digest is wrong: it sends nothing, it closes). `detectedBy` says which.
 */
export class ErlangBadCookieError extends ErlangHandshakeError {
  readonly detectedBy: 'us' | 'peer';
  constructor(peer: string | null, detectedBy: 'us' | 'peer') {
    super('ERR_SB_ERLANG_BAD_COOKIE', detectedBy === 'us'
      ? `Erlang handshake with ${who(peer)} refused: its digest is wrong (the cookies differ)`
      : `Erlang handshake with ${who(peer)} refused by the peer: it closed the connection after our challenge reply (the cookies differ)`, peer);
    this.detectedBy = detectedBy;
  }
}

/** The acceptor answered 'not_allowed' (or we refused the peer so). */
export class ErlangNotAllowedError extends ErlangHandshakeError {
  constructor(peer: string | null, why: string) {
    super('ERR_SB_ERLANG_NOT_ALLOWED', `Erlang handshake with ${who(peer)} not allowed: ${why}`, peer);
  }
}

/** A simultaneous connect lost ('nok'): the other direction's connection is kept. */
export class ErlangSimultaneousConnectError extends ErlangHandshakeError {
  constructor(peer: string) {
    super('ERR_SB_ERLANG_NOK', `Erlang handshake with ${peer} refused: a simultaneous connect, the other connection is kept`, peer);
  }
}

/** 'alive': a connection to that node is up, and it was not replaced. */
export class ErlangAliveError extends ErlangHandshakeError {
  constructor(peer: string) {
    super('ERR_SB_ERLANG_ALIVE', `Erlang handshake with ${peer} refused: a connection to that node is already up`, peer);
  }
}

/** The peer lacks flags we require (listed by name in the message and in `missing`). */
export class ErlangMissingFlagsError extends ErlangHandshakeError {
  readonly missing: readonly string[];
  constructor(peer: string | null, missing: readonly string[]) {
    super('ERR_SB_ERLANG_MISSING_FLAGS', `Erlang handshake with ${who(peer)} refused: it lacks the mandatory flags ${missing.join(', ')}`, peer);
    this.missing = missing;
  }
}

/** The handshake did not end within setupTimeMs. */
export class ErlangHandshakeTimeoutError extends ErlangHandshakeError {
  constructor(peer: string | null, ms: number) {
    super('ERR_SB_ERLANG_TIMEOUT', `Erlang handshake with ${who(peer)} did not end within ${ms} ms`, peer);
  }
}

/** Bytes that are not the handshake message expected, or the peer is not the node dialled. */
export class ErlangMalformedHandshakeError extends ErlangHandshakeError {
  constructor(peer: string | null, why: string) {
    super('ERR_SB_ERLANG_MALFORMED', `Erlang handshake with ${who(peer)} failed: ${why}`, peer);
  }
}

/** The socket closed or failed during the handshake (and not where a cookie refusal explains it). */
export class ErlangHandshakeClosedError extends ErlangHandshakeError {
  constructor(peer: string | null, why: string) {
    super('ERR_SB_ERLANG_CLOSED', `Erlang handshake with ${who(peer)} failed: ${why}`, peer);
  }
}

/** Why the bytes after the handshake were refused; stable. */
export type ErlangFrameFailure =
  | 'too_large' //          a packet above maxPacketBytes, a message above maxMessageBytes
  | 'bad_header' //         not 131 68/69/70 (or 112 without the atom cache header), or a header cut short
  | 'bad_atom' //           an atom cache entry that is not UTF-8 or too long
  | 'unknown_atom_ref' //   a cached-atom reference to an entry never set
  | 'bad_fragment' //       a fragment out of sequence
  | 'too_much_buffered' //  fragmented messages in reassembly above maxPartialBytes / maxPartialSequences
  | 'bad_term' //           the control message is not one whole term (term-skipper.ts)
  | 'dead'; //              bytes pushed into a reader that failed before (`cause` is that error)

/** Malformed bytes on a connected Erlang channel; the connection is to be closed. */
export class ErlangFrameError extends SwitchboardError {
  readonly failure: ErlangFrameFailure;
  constructor(failure: ErlangFrameFailure, message: string, cause?: unknown) {
    super('ERR_SB_ERLANG_FRAME', message);
    this.failure = failure;
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, writable: true, configurable: true, enumerable: false });
  }
}

registerErrorClass('ERR_SB_ERLANG_HANDSHAKE', ErlangHandshakeError);
registerErrorClass('ERR_SB_ERLANG_BAD_COOKIE', ErlangBadCookieError);
registerErrorClass('ERR_SB_ERLANG_NOT_ALLOWED', ErlangNotAllowedError);
registerErrorClass('ERR_SB_ERLANG_NOK', ErlangSimultaneousConnectError);
registerErrorClass('ERR_SB_ERLANG_ALIVE', ErlangAliveError);
registerErrorClass('ERR_SB_ERLANG_MISSING_FLAGS', ErlangMissingFlagsError);
registerErrorClass('ERR_SB_ERLANG_TIMEOUT', ErlangHandshakeTimeoutError);
registerErrorClass('ERR_SB_ERLANG_MALFORMED', ErlangMalformedHandshakeError);
registerErrorClass('ERR_SB_ERLANG_CLOSED', ErlangHandshakeClosedError);
registerErrorClass('ERR_SB_ERLANG_FRAME', ErlangFrameError);
