/**
 * The error of the channel-frame reader (frame-reader.ts): bytes on a node connection that
 * are not channel frames (channel-frames.ts), or that break a limit. The connection that
 * carried them is closed; `failure` says why, for code and logs that branch on it.
 */
import { SwitchboardError } from '../core/errors.ts';
import { registerErrorClass } from '../core/error-classes.ts';

/** Why the bytes of a connection were refused; stable. */
export type FrameFailure =
  | 'bad_kind' //          a kind byte that is not a channel-frame kind
  | 'bad_length' //        a length that does not fit its kind (a tick with a body)
  | 'truncated' //         a frame shorter than its own header (a zero-length frame: no kind byte)
  | 'too_large' //         a frame above maxFrameBytes, a message above maxMessageBytes
  | 'bad_fragment' //      a fragment out of sequence, empty, or chunks that miss the total
  | 'too_many_streams' //  a first fragment above maxPartialStreams messages in reassembly
  | 'too_much_buffered' // a first fragment whose total would hold more than maxPartialBytes
  | 'dead'; //             bytes pushed into a reader that already failed (`cause` is that error)

export class FrameError extends SwitchboardError {
  readonly failure: FrameFailure;
  constructor(failure: FrameFailure, message: string, cause?: unknown) {
    super('ERR_SB_FRAME', message);
    this.failure = failure;
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, writable: true, configurable: true, enumerable: false });
  }
}

// Cross threads and nodes as itself (core/error-classes.ts).
registerErrorClass('ERR_SB_FRAME', FrameError);
