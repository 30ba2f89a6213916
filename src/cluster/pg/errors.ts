/**
 * Errors of the process groups (Erlang's pg), src/cluster/pg.
 *
 * Each class extends the core SwitchboardError with a stable `ERR_SB_PG_*` code and is
 * registered in the error-class table (core/error-classes.ts), so it keeps its class and
 * its fields when it crosses a thread or a node (a call made from another scheduler).
 *
 * Erlang mapping:
 *   PgNotLocalError        pg:join/leave with a pid of another node: error({nolocal, Pid})
 *   PgNotStartedError      a call to a scope whose server is not running (Erlang: the
 *                          gen_server:call exits with noproc)
 *   PgAlreadyStartedError  pg:start(Scope) when it runs: {error, {already_started, Pid}}
 *
 * Wrong argument types (a group that is not a non-empty string, a value that is not a
 * pid) are the core's BadArgError, as for the other APIs.
 */
import { registerErrorClass } from '../../core/error-classes.ts';
import { SwitchboardError } from '../../core/errors.ts';

/** join/leave of a pid that does not live on the node of the scope server asked. */
export class PgNotLocalError extends SwitchboardError {
  /** The offending pid, as printed (`<3.42.0>`). */
  readonly pid: string;
  constructor(api: string, pid: string) {
    super('ERR_SB_PG_NOT_LOCAL', `${api}: ${pid} is not a process of this node (only local processes may join or leave a group)`);
    this.pid = pid;
  }
}

/** The scope's server is not running on this node (never started, stopped, or crashed). */
export class PgNotStartedError extends SwitchboardError {
  readonly scope: string;
  constructor(api: string, scope: string) {
    super('ERR_SB_PG_NOT_STARTED', `${api}: pg scope "${scope}" is not started on this node (Pg.start(node, '${scope}'))`);
    this.scope = scope;
  }
}

/** Pg.start of a scope whose server already runs on that node. */
export class PgAlreadyStartedError extends SwitchboardError {
  readonly scope: string;
  constructor(scope: string) {
    super('ERR_SB_PG_ALREADY_STARTED', `Pg.start: pg scope "${scope}" is already started on this node`);
    this.scope = scope;
  }
}

registerErrorClass('ERR_SB_PG_NOT_LOCAL', PgNotLocalError);
registerErrorClass('ERR_SB_PG_NOT_STARTED', PgNotStartedError);
registerErrorClass('ERR_SB_PG_ALREADY_STARTED', PgAlreadyStartedError);
