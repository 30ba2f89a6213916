/**
 * Errors of Task (src/otp/task.ts). Subclasses of the core `SwitchboardError`, stable codes.
 * Elixir's Task.await exits the caller; here the caller gets one of these thrown (an
 * uncaught one ends the actor, like the exit would).
 */
import { SwitchboardError } from '../core/errors.ts';
import { registerErrorClass } from '../core/error-classes.ts';
import { describeReason } from './errors.ts';

/** `Task.await` (or `Task.run`) got no result within its timeout. The task keeps running. */
export class TaskTimeoutError extends SwitchboardError {
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super('ERR_SB_TASK_TIMEOUT', `the task gave no result within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** The task ended without a result; `reason` is its exit reason ('noproc' if already gone). */
export class TaskExitError extends SwitchboardError {
  readonly reason: unknown;
  constructor(reason: unknown) {
    super('ERR_SB_TASK_EXIT', `the task exited: ${describeReason(reason)}`);
    this.reason = reason;
  }
}

// Cross threads and nodes as themselves (core/error-classes.ts).
registerErrorClass('ERR_SB_TASK_TIMEOUT', TaskTimeoutError);
registerErrorClass('ERR_SB_TASK_EXIT', TaskExitError);
