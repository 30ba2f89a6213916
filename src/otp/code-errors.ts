/**
 * Errors of the code server (hot code reload, src/otp/code-server.ts). Subclasses of the
 * core `SwitchboardError` with stable codes.
 *
 * Exit reasons are data, not errors: an actor killed by a purge ends with
 * `{ kind: 'purged', module, vsn }` (code-table.ts), one whose codeChange failed with
 * `{ kind: 'codeChange', module, export, oldVsn, error }` (src/core/scheduler.ts).
 */
import { SwitchboardError } from '../core/errors.ts';
import { registerErrorClass } from '../core/error-classes.ts';

/**
 * A new version of a module could not be loaded (import failed on some scheduler, or the
 * version is not newer). Nothing was switched: every scheduler keeps the versions it had.
 */
export class CodeLoadError extends SwitchboardError {
  readonly module: string;
  constructor(module: string, message: string) {
    super('ERR_SB_CODE_LOAD', message);
    this.module = module;
  }
}

// Cross threads and nodes as themselves (core/error-classes.ts).
registerErrorClass('ERR_SB_CODE_LOAD', CodeLoadError);
