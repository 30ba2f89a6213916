/**
 * Errors of remote attach (src/profile/remote):
 *
 *   RemoteAttachError  ERR_SB_REMOTE_ATTACH  the tool could not attach to the named node:
 *                      no connection (wrong name, cookie or port mapper), or no profile
 *                      agent registered there. The message says which and what to do.
 *   RemoteQueryError   ERR_SB_REMOTE_QUERY   the agent answered a query with an error;
 *                      `remoteCode` is the code of the error it met there.
 *
 * Registered with registerErrorClass so they keep their class across threads and nodes.
 * Erlang mapping: observer's "Could not connect to node" dialog; an rpc {badrpc, Reason}.
 */
import { registerErrorClass } from '../../core/error-classes.ts';
import { SwitchboardError } from '../../core/errors.ts';

export class RemoteAttachError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SB_REMOTE_ATTACH', message);
  }
}
registerErrorClass('ERR_SB_REMOTE_ATTACH', RemoteAttachError);

export class RemoteQueryError extends SwitchboardError {
  readonly remoteCode: string;
  constructor(remoteCode: string, message: string) {
    super('ERR_SB_REMOTE_QUERY', message);
    this.remoteCode = remoteCode;
  }
}
registerErrorClass('ERR_SB_REMOTE_QUERY', RemoteQueryError);
