/**
 * Errors of the membership layer (src/cluster/membership/). Subclasses of the core
 * `SwitchboardError` with stable codes, registered so they keep their class across
 * threads and nodes (core/error-classes.ts).
 */
import { SwitchboardError } from '../../core/errors.ts';
import { registerErrorClass } from '../../core/error-classes.ts';

/** `join` or `leave` on a membership node that left or was stopped. */
export class MembershipStoppedError extends SwitchboardError {
  readonly node: string;
  constructor(node: string, api: string) {
    super('ERR_SB_MEMBERSHIP_STOPPED', `${api}: membership node ${node} has left or was stopped`);
    this.node = node;
  }
}

/** A discovery source could not produce seeds (DNS lookup failed, no records). */
export class DiscoveryFailedError extends SwitchboardError {
  readonly source: string;
  constructor(source: string, message: string) {
    super('ERR_SB_MEMBERSHIP_DISCOVERY_FAILED', message);
    this.source = source;
  }
}

registerErrorClass('ERR_SB_MEMBERSHIP_STOPPED', MembershipStoppedError);
registerErrorClass('ERR_SB_MEMBERSHIP_DISCOVERY_FAILED', DiscoveryFailedError);

/** A membership query on a node where Membership.start has not run (or it stopped). */
export class MembershipNotStartedError extends SwitchboardError {
  readonly node: string;
  constructor(node: string, api: string) {
    super('ERR_SB_MEMBERSHIP_NOT_STARTED', `${api}: no membership server on ${node} (call Membership.start first)`);
    this.node = node;
  }
}

registerErrorClass('ERR_SB_MEMBERSHIP_NOT_STARTED', MembershipNotStartedError);
