/**
 * Errors of the multi-thread node (the base class and codes are in src/core/errors.ts).
 */
import { SwitchboardError } from '../core/errors.ts';
import { registerErrorClass } from '../core/error-classes.ts';

/**
 * A behaviour that cannot be loaded on another thread: a closure (a handler object or
 * generator function that is not exported from a module, or a Behaviour without a module
 * URL) spawned onto a scheduler other than the caller's own. Define it with
 * `defineActor(import.meta.url, impl, 'ExportName')` and export it, or pass
 * `{ module, export }`.
 */
export class NotPortableError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SB_NOT_PORTABLE', message);
  }
}

/**
 * The embedding thread's send found the destination's ring full and its overflow at the
 * `overflowBytes` bound; nothing was sent. Retry later (e.g. after `await node.drained()`).
 */
export class BackpressureError extends SwitchboardError {
  readonly scheduler: number;
  constructor(scheduler: number, bytes: number) {
    super('ERR_SB_BACKPRESSURE', `ring to scheduler ${scheduler} is full and ${bytes} bytes wait in its overflow; nothing was sent`);
    this.scheduler = scheduler;
  }
}

// Cross threads and nodes as themselves (core/error-classes.ts).
registerErrorClass('ERR_SB_NOT_PORTABLE', NotPortableError);
registerErrorClass('ERR_SB_BACKPRESSURE', BackpressureError);

/**
 * The link between a node thread and its I/O thread (dist/io-link.ts), or a scheduler
 * thread's side channel for large remote payloads (dist-large-port.ts), was misused or broke.
 */
/** What went wrong on the link or in the I/O thread; stable, for code that branches on it. */
export type IoLinkFailure =
  | 'closed' //       write/drain after close()
  | 'bad_record' //   a record too short for its header, or of a kind the side does not read
  | 'bad_large' //    a port payload out of sequence, or a large record that is not a message
  | 'thread'; //      the I/O thread failed to start or died

export class IoLinkError extends SwitchboardError {
  readonly failure: IoLinkFailure;
  constructor(failure: IoLinkFailure, message: string) {
    super('ERR_SB_IO_LINK', message);
    this.failure = failure;
  }
}

registerErrorClass('ERR_SB_IO_LINK', IoLinkError);
