/**
 * Errors of the distribution layer (the base class and codes are in src/core/errors.ts).
 */
import { SwitchboardError } from '../core/errors.ts';
import { registerErrorClass } from '../core/error-classes.ts';

/** Why a port-mapper operation failed; stable, for code that branches on it. */
export type PortMapperFailure =
  | 'malformed' //  bytes that are not an EPMD frame (or not the one expected)
  | 'timeout' //    no complete answer within the operation's timeout
  | 'refused' //    nothing listens on the port mapper's address
  | 'closed' //     the port mapper closed the connection before answering
  | 'name_taken' // ALIVE2 answered with a non-zero result
  | 'not_local' //  ALIVE2 from a peer that is not on this host (the embedded server refuses it, as epmd)
  | 'network'; //   any other socket error

/**
 * An EPMD port-mapper request or answer failed: a malformed frame, a timeout, a refused
 * or early-closed connection, or a registration refused (name taken). `failure` says
 * which; the message says it in words and names the port mapper's address.
 */
export class PortMapperError extends SwitchboardError {
  readonly failure: PortMapperFailure;
  constructor(failure: PortMapperFailure, message: string) {
    super('ERR_SB_PORT_MAPPER', message);
    this.failure = failure;
  }
}

// Cross threads and nodes as itself (core/error-classes.ts).
registerErrorClass('ERR_SB_PORT_MAPPER', PortMapperError);

/** A node could not be reached (no connection could be made, or it went down before answering). */
export class NoConnectionError extends SwitchboardError {
  readonly node: string;
  constructor(node: string) {
    super('ERR_SB_NOCONNECTION', `no connection to node ${node}`);
    this.node = node;
  }
}

/** A spawn on another node failed there (its module or export could not be used). */
export class RemoteSpawnError extends SwitchboardError {
  readonly node: string;
  constructor(node: string, detail: string) {
    super('ERR_SB_REMOTE_SPAWN', `spawn on node ${node} failed: ${detail}`);
    this.node = node;
  }
}

registerErrorClass('ERR_SB_NOCONNECTION', NoConnectionError);
registerErrorClass('ERR_SB_REMOTE_SPAWN', RemoteSpawnError);

/** A second named node in one thread (a thread's node table has one local identity). */
export class AlreadyDistributedError extends SwitchboardError {
  constructor(running: string, wanted: string) {
    super('ERR_SB_ALREADY_DISTRIBUTED', `startNode: this thread already runs the named node ${running}; stop it before starting ${wanted} (or start ${wanted} in another process)`);
  }
}

registerErrorClass('ERR_SB_ALREADY_DISTRIBUTED', AlreadyDistributedError);
