/**
 * Errors of distributed applications (src/cluster/dist-app). Each is a SwitchboardError
 * with a stable code ERR_SB_DIST_APP_*, registered so it keeps its class across threads and
 * nodes. Erlang's counterparts are the {error, Reason} tuples of application:start/2,
 * application:takeover/2 and kernel's sync_nodes_mandatory boot failure.
 */
import { SwitchboardError } from '../../core/errors.ts';
import { registerErrorClass } from '../../core/error-classes.ts';

/** Mandatory sync nodes had not started the application within syncNodesTimeoutMs (kernel's sync_nodes_mandatory). */
export class SyncNodesError extends SwitchboardError {
  readonly application: string;
  readonly missing: readonly string[];
  constructor(application: string, missing: readonly string[], timeoutMs: number) {
    super('ERR_SB_DIST_APP_SYNC_NODES', `application "${application}": mandatory sync nodes ${missing.join(', ')} had not started it within ${timeoutMs} ms`);
    this.application = application;
    this.missing = [...missing];
  }
}

/** Another node declares the same distributed application with another node list (Erlang's dist_mismatch). */
export class DistAppMismatchError extends SwitchboardError {
  readonly application: string;
  readonly node: string;
  constructor(application: string, node: string) {
    super('ERR_SB_DIST_APP_MISMATCH', `application "${application}": node ${node} declares it with another "distributed" node list (it must be identical on every node)`);
    this.application = application;
    this.node = node;
  }
}

/** takeover of an application that runs on no node (Erlang's {not_running_distributed, App}). */
export class NotRunningDistributedError extends SwitchboardError {
  readonly application: string;
  constructor(application: string) {
    super('ERR_SB_DIST_APP_NOT_RUNNING', `application "${application}" does not run on another node: nothing to take over`);
    this.application = application;
  }
}

/** takeover of an application that already runs on this node (Erlang's {already_running_locally, App}). */
export class AlreadyRunningHereError extends SwitchboardError {
  readonly application: string;
  constructor(application: string) {
    super('ERR_SB_DIST_APP_RUNNING_HERE', `application "${application}" already runs on this node`);
    this.application = application;
  }
}

/** A query about an application this node's controller has never heard of. */
export class UnknownDistributedAppError extends SwitchboardError {
  readonly application: string;
  constructor(application: string) {
    super('ERR_SB_DIST_APP_UNKNOWN', `application "${application}" is not a distributed application known to this node (Application.start it here first)`);
    this.application = application;
  }
}

/** Application.stop (or node.stop) on this node before the cluster had decided where the application runs. */
export class DistAppStoppedError extends SwitchboardError {
  readonly application: string;
  constructor(application: string) {
    super('ERR_SB_DIST_APP_STOPPED', `application "${application}" was stopped on this node before it was placed`);
    this.application = application;
  }
}

registerErrorClass('ERR_SB_DIST_APP_SYNC_NODES', SyncNodesError);
registerErrorClass('ERR_SB_DIST_APP_MISMATCH', DistAppMismatchError);
registerErrorClass('ERR_SB_DIST_APP_NOT_RUNNING', NotRunningDistributedError);
registerErrorClass('ERR_SB_DIST_APP_RUNNING_HERE', AlreadyRunningHereError);
registerErrorClass('ERR_SB_DIST_APP_UNKNOWN', UnknownDistributedAppError);
registerErrorClass('ERR_SB_DIST_APP_STOPPED', DistAppStoppedError);
