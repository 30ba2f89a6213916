/**
 * Errors of the delivery helpers (src/cluster/delivery). The base class is core's
 * SwitchboardError; each class is registered with its code (core/error-classes.ts) so it
 * crosses threads and nodes as itself. Bad options are core's InvalidOptionError and bad
 * arguments core's BadArgError; these are the conditions of delivery itself.
 */
import { SwitchboardError } from '../../core/errors.ts';
import { registerErrorClass } from '../../core/error-classes.ts';
import type { DeliveryFailure } from './delivery-messages.ts';

/**
 * An at-least-once delivery was not acknowledged by any of its targets: every target's
 * attempts were used up (timeouts) or the target went DOWN. `reason` is the tagged
 * failure the report carried (`{ kind: 'delivery_failed', tried }`), `id` the delivery's id.
 */
export class DeliveryFailedError extends SwitchboardError {
  readonly id: string;
  readonly reason: DeliveryFailure;
  constructor(id: string, reason: DeliveryFailure) {
    const tried = reason.tried.map((t) => `${t.target} (${t.attempts} attempt${t.attempts === 1 ? '' : 's'}, ${t.outcome})`).join(', ');
    super('ERR_SB_DELIVERY_FAILED', `delivery ${id} was not acknowledged: ${tried === '' ? 'no target' : tried}`);
    this.id = id;
    this.reason = reason;
  }
}

/**
 * A persisted dedupe table's file could not be used: it could not be opened or read, or a
 * line that is not the last one is not a record (a torn LAST line — a crash in the middle
 * of an append — is skipped, not an error). `path` names the file, `line` the bad line (0
 * when the file itself failed).
 */
export class DedupeFileError extends SwitchboardError {
  readonly path: string;
  readonly line: number;
  constructor(path: string, line: number, detail: string) {
    super('ERR_SB_DELIVERY_DEDUPE_FILE', line > 0 ? `dedupe file ${path}, line ${line}: ${detail}` : `dedupe file ${path}: ${detail}`);
    this.path = path;
    this.line = line;
  }
}

registerErrorClass('ERR_SB_DELIVERY_FAILED', DeliveryFailedError);
registerErrorClass('ERR_SB_DELIVERY_DEDUPE_FILE', DedupeFileError);
