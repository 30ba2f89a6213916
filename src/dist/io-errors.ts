/**
 * Errors of the node thread <-> I/O thread link (io-link.ts) and of the I/O thread
 * (io-thread.ts, io-host.ts, the mesh's control frames, connecting to a node).
 * Registered so they keep their class across threads.
 */
import { SwitchboardError } from '../core/errors.ts';
import { registerErrorClass } from '../core/error-classes.ts';

// IoLinkError lives with the threads layer's errors: the scheduler threads' side channel for
// large remote payloads (threads/dist-large-port.ts) throws it too, and threads is below dist.
export { IoLinkError, type IoLinkFailure } from '../threads/errors.ts';

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
