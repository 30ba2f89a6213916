/**
 * Errors of the leader election service (GenLeader, src/cluster/leader/).
 *
 * Each extends the core SwitchboardError with a stable `ERR_SB_LEADER_*` code and is
 * registered with registerErrorClass, so it keeps its class across threads and nodes.
 * The core call errors are reused as they are: NoProcError (no GenLeader of that election
 * runs on the node asked), CallTimeoutError (no answer in time — e.g. a leader call queued
 * through an election that did not finish in time), CallExitError (the local GenLeader
 * exited before answering).
 *
 * Erlang mapping: gen_leader exits the caller of leader_call with `{leader_died, ...}`;
 * here the caller gets LeaderDiedError.
 */
import { SwitchboardError } from '../../core/errors.ts';
import { registerErrorClass } from '../../core/error-classes.ts';

/** `GenLeader.start` on a node that is neither in `candidates` nor in `workers`. */
export class NotInElectionError extends SwitchboardError {
  readonly election: string;
  readonly node: string;
  constructor(election: string, node: string) {
    super('ERR_SB_LEADER_NOT_MEMBER', `GenLeader.start: node "${node}" is neither a candidate nor a worker of election "${election}"`);
    this.election = election;
    this.node = node;
  }
}

/** `GenLeader.start` of an election whose name is already registered on that node. */
export class LeaderAlreadyStartedError extends SwitchboardError {
  readonly election: string;
  constructor(election: string) {
    super('ERR_SB_LEADER_ALREADY_STARTED', `GenLeader.start: election "${election}" is already started on this node`);
    this.election = election;
  }
}

/**
 * A leader call was forwarded to a leader that went down before it answered. The call
 * may or may not have been handled there (it is at-most-once): retry if it is idempotent.
 */
export class LeaderDiedError extends SwitchboardError {
  readonly election: string;
  readonly leader: string;
  constructor(election: string, leader: string) {
    super('ERR_SB_LEADER_DIED', `leader call of election "${election}": the leader ${leader} went down before answering`);
    this.election = election;
    this.leader = leader;
  }
}

registerErrorClass('ERR_SB_LEADER_NOT_MEMBER', NotInElectionError);
registerErrorClass('ERR_SB_LEADER_ALREADY_STARTED', LeaderAlreadyStartedError);
registerErrorClass('ERR_SB_LEADER_DIED', LeaderDiedError);
