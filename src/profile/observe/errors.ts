/**
 * Errors of the observer page (observe(node, opts), `switchboard observe`).
 *
 *   ObserveTokenRequiredError  ERR_SB_OBSERVE_TOKEN_REQUIRED  the page was asked to bind to
 *                              an address that is not loopback without a token: the page
 *                              shows every actor, the supervision tree and the cluster, so
 *                              it is never served to a network unauthenticated.
 *
 * Registered with registerErrorClass so they keep their class across threads and nodes.
 * Erlang mapping: none (observer is a local wx application; its remote mode rides on the
 * distribution cookie instead).
 */
import { registerErrorClass } from '../../core/error-classes.ts';
import { SwitchboardError } from '../../core/errors.ts';

export class ObserveTokenRequiredError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SB_OBSERVE_TOKEN_REQUIRED', message);
  }
}
registerErrorClass('ERR_SB_OBSERVE_TOKEN_REQUIRED', ObserveTokenRequiredError);
