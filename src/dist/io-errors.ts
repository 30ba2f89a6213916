/**
 * Errors of the node thread <-> I/O thread link (io-link.ts) and of the I/O thread
 * (io-thread.ts, io-host.ts). Registered so they keep their class across threads.
 */
import { SwitchboardError } from '../core/errors.ts';
import { registerErrorClass } from '../core/error-classes.ts';

/** What went wrong on the link or in the I/O thread; stable, for code that branches on it. */
export type IoLinkFailure =
  | 'closed' //       write/drain after close()
  | 'bad_record' //   a record too short for its header, or of a kind the side does not read
  | 'bad_large' //    a port payload out of sequence, or a large record that is not a message
  | 'thread'; //      the I/O thread failed to start or died

/** The link between a node thread and its I/O thread was misused or broke. */
export class IoLinkError extends SwitchboardError {
  readonly failure: IoLinkFailure;
  constructor(failure: IoLinkFailure, message: string) {
    super('ERR_SB_IO_LINK', message);
    this.failure = failure;
  }
}

registerErrorClass('ERR_SB_IO_LINK', IoLinkError);
