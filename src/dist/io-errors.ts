/**
 * Errors of the node thread <-> I/O thread link (io-link.ts) and of the I/O thread
 * (io-thread.ts, io-host.ts, the mesh's control frames, connecting to a node).
 * Registered so they keep their class across threads.
 */
import { SwitchboardError } from '../core/errors.ts';
import { registerErrorClass } from '../core/error-classes.ts';

/** What went wrong on the link or in the I/O thread; stable, for code that branches on it. */
export type IoLinkFailure =
  | 'closed' //       write/drain after close()
  | 'bad_record' //   a record too short for its header, or of a kind the side does not read
  | 'bad_large' //    a port payload out of sequence, or a large record that is not a message
  | 'thread'; //      the I/O thread failed to start or died

/** The link between a node thread and its I/O thread was misused or broke. */
export class IoLinkError extends SwitchboardError {
  readonly failure: IoLinkFailure;
  constructor(failure: IoLinkFailure, message: string) {
    super('ERR_SB_IO_LINK', message);
    this.failure = failure;
  }
}

registerErrorClass('ERR_SB_IO_LINK', IoLinkError);

/** A node-level control frame (mesh-control.ts) that is malformed or of an unknown kind. */
export class MeshControlError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SB_MESH_CONTROL', message);
  }
}

registerErrorClass('ERR_SB_MESH_CONTROL', MeshControlError);

/** Why connecting to a node failed before or around its handshake; stable. */
export type DistConnectFailure =
  | 'self' //       a connect to this node's own name
  | 'bad_name' //   not `name@host`
  | 'unknown' //    neither the static map nor the port mapper knows the name
  | 'refused' //    nothing listens at the node's address
  | 'timeout' //    no connection within setupTimeMs
  | 'closed' //     the connection closed before it was up
  | 'network'; //   any other socket error

/** Connecting to a node failed (the handshake's own failures are handshake errors). */
export class DistConnectError extends SwitchboardError {
  readonly failure: DistConnectFailure;
  readonly node: string;
  constructor(failure: DistConnectFailure, node: string, message: string) {
    super('ERR_SB_DIST_CONNECT', message);
    this.failure = failure;
    this.node = node;
  }
}

registerErrorClass('ERR_SB_DIST_CONNECT', DistConnectError);
