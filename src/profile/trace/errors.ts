/**
 * Errors of the timeline trace (src/profile/trace/), registered so they keep their class
 * when a scheduler thread throws them back through node.applyOnSchedulers.
 *   ERR_SB_TRACE_ALREADY_STARTED  startTrace on a node (scheduler) already tracing
 *   ERR_SB_TRACE_NOT_STARTED      stopTrace on a node (scheduler) not tracing
 *   ERR_SB_TRACE_COMMAND          a bad option of `switchboard trace` (exit code 2)
 * Erlang mapping: ttb/dbg answer `{error, already_started}` / `{error, not_started}`.
 */
import { registerErrorClass } from '../../core/error-classes.ts';
import { SwitchboardError } from '../../core/errors.ts';

export class TraceAlreadyStartedError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SB_TRACE_ALREADY_STARTED', message);
  }
}
registerErrorClass('ERR_SB_TRACE_ALREADY_STARTED', TraceAlreadyStartedError);

export class TraceNotStartedError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SB_TRACE_NOT_STARTED', message);
  }
}
registerErrorClass('ERR_SB_TRACE_NOT_STARTED', TraceNotStartedError);

export class TraceCommandError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SB_TRACE_COMMAND', message);
  }
}
registerErrorClass('ERR_SB_TRACE_COMMAND', TraceCommandError);
