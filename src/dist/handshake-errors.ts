/**
 * Why a distribution handshake was refused or failed. One class per condition, each
 * with a stable code; they keep their class across threads and nodes.
 */
import { SwitchboardError } from '../core/errors.ts';
import { registerErrorClass } from '../core/error-classes.ts';

/** Base of every handshake failure; `peer` is the other node's name when known. */
export class HandshakeError extends SwitchboardError {
  readonly peer: string | null;
  constructor(code: string, message: string, peer: string | null) {
    super(code, message);
    this.peer = peer;
  }
}

/** The other side does not know our cookie (or we do not know its). Both sides refuse. */
export class BadCookieError extends HandshakeError {
  constructor(peer: string | null) {
    super('ERR_SB_HANDSHAKE_BAD_COOKIE', `handshake with ${peer ?? 'a peer'} refused: the cookies differ`, peer);
  }
}

/** The acceptor is already connected to a node of that name ('alive'). */
export class NameTakenHandshakeError extends HandshakeError {
  constructor(peer: string) {
    super('ERR_SB_HANDSHAKE_ALIVE', `handshake with ${peer} refused: a connection to that node is already up`, peer);
  }
}

/** We lost a simultaneous connect ('nok'): the other direction's connection is kept. */
export class SimultaneousConnectError extends HandshakeError {
  constructor(peer: string) {
    super('ERR_SB_HANDSHAKE_NOK', `handshake with ${peer} refused: a simultaneous connect, the other connection is kept`, peer);
  }
}

/** The version ranges of the two nodes do not overlap. */
export class VersionMismatchError extends HandshakeError {
  constructor(peer: string | null, ours: readonly [number, number], theirs: readonly [number, number]) {
    super('ERR_SB_HANDSHAKE_VERSION', `handshake with ${peer ?? 'a peer'} refused: protocol versions ${ours[0]}-${ours[1]} and ${theirs[0]}-${theirs[1]} do not overlap`, peer);
  }
}

/** A challenge seen before came again: a replayed handshake. */
export class ReplayedChallengeError extends HandshakeError {
  constructor(peer: string | null) {
    super('ERR_SB_HANDSHAKE_REPLAY', `handshake with ${peer ?? 'a peer'} refused: its challenge was seen before (a replay)`, peer);
  }
}

/** The handshake did not end within setupTimeMs. */
export class HandshakeTimeoutError extends HandshakeError {
  constructor(peer: string | null, ms: number) {
    super('ERR_SB_HANDSHAKE_TIMEOUT', `handshake with ${peer ?? 'a peer'} did not end within ${ms} ms`, peer);
  }
}

/** Bytes that are not the handshake message expected, or the peer is not who we dialled. */
export class MalformedHandshakeError extends HandshakeError {
  constructor(peer: string | null, why: string) {
    super('ERR_SB_HANDSHAKE_MALFORMED', `handshake with ${peer ?? 'a peer'} failed: ${why}`, peer);
  }
}

/** The socket closed or failed during the handshake. */
export class HandshakeClosedError extends HandshakeError {
  constructor(peer: string | null, why: string) {
    super('ERR_SB_HANDSHAKE_CLOSED', `handshake with ${peer ?? 'a peer'} failed: ${why}`, peer);
  }
}

registerErrorClass('ERR_SB_HANDSHAKE', HandshakeError);
registerErrorClass('ERR_SB_HANDSHAKE_BAD_COOKIE', BadCookieError);
registerErrorClass('ERR_SB_HANDSHAKE_ALIVE', NameTakenHandshakeError);
registerErrorClass('ERR_SB_HANDSHAKE_NOK', SimultaneousConnectError);
registerErrorClass('ERR_SB_HANDSHAKE_VERSION', VersionMismatchError);
registerErrorClass('ERR_SB_HANDSHAKE_REPLAY', ReplayedChallengeError);
registerErrorClass('ERR_SB_HANDSHAKE_TIMEOUT', HandshakeTimeoutError);
registerErrorClass('ERR_SB_HANDSHAKE_MALFORMED', MalformedHandshakeError);
registerErrorClass('ERR_SB_HANDSHAKE_CLOSED', HandshakeClosedError);
