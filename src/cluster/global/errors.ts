/**
 * Errors of global names (src/cluster/global). Each is a SwitchboardError subclass with a
 * stable code, registered with registerErrorClass so it keeps its class across threads and
 * nodes (a `GlobalNotRegisteredError` thrown on a scheduler thread is one on the embedding
 * thread too).
 *
 * Erlang mapping: `global:send/2` to an unknown name exits with `{badarg, {Name, Msg}}`;
 * here it throws GlobalNotRegisteredError. Calls into a node without a global name server
 * (Erlang: the kernel always runs one) throw GlobalNotStartedError.
 */
import { SwitchboardError } from '../../core/errors.ts';
import { registerErrorClass } from '../../core/error-classes.ts';

/** `Global.send` (or a lookup that must succeed) of a name nobody holds. */
export class GlobalNotRegisteredError extends SwitchboardError {
  readonly globalName: string;
  constructor(name: string) {
    super('ERR_SB_GLOBAL_NOT_REGISTERED', `global name not registered: ${name}`);
    this.globalName = name;
  }
}

/** A Global API used on a node (or thread) where `Global.start(node)` has not run. */
export class GlobalNotStartedError extends SwitchboardError {
  constructor(api: string) {
    super('ERR_SB_GLOBAL_NOT_STARTED', `${api}: the global name server is not running on this node (call Global.start(node) first)`);
  }
}

/**
 * `Global.start` on a thread whose name replica already belongs to another running node
 * (two nodes in one thread: the `{ global }` resolver is one per thread).
 */
export class GlobalThreadInUseError extends SwitchboardError {
  constructor(owner: string) {
    super('ERR_SB_GLOBAL_THREAD_IN_USE', `Global.start: this thread's global name replica already serves the global name server ${owner} of another node`);
  }
}

registerErrorClass('ERR_SB_GLOBAL_NOT_REGISTERED', GlobalNotRegisteredError);
registerErrorClass('ERR_SB_GLOBAL_NOT_STARTED', GlobalNotStartedError);
registerErrorClass('ERR_SB_GLOBAL_THREAD_IN_USE', GlobalThreadInUseError);
