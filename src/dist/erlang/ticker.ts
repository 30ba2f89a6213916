/**
 * ErlangTicker: keep-alive on a connected Erlang channel as net_kernel and dist_util do
 * it. With the peer's net_ticktime T and intensity 4 (net_kernel's), every T/4:
 *   1. if nothing was written on the connection since the last turn (and nothing is
 *      waiting to be written), send a tick (a zero-length packet);
 *   2. if nothing was read for `intensity` turns in a row (about T), the peer is not
 *      responding: call `timeout()` and stop (dist_util shuts the connection down with
 *      'net_tick_timeout').
 * An Erlang peer runs the same rule, so it sees us down if we write nothing for about
 * its T: our tickTimeMs must not be above the peer's net_ticktime. Ticks are not answered
 * as such: each side ticks when it has been silent.
 */
import { BadArgError } from '../../core/errors.ts';

export interface ErlangTickerIo {
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** Something is queued to be written (then no tick is needed: data is on its way). */
  readonly writePending: boolean;
  /** Queue a tick and flush. */
  sendTick(): void;
  /** The peer sent nothing for about tickTimeMs. */
  timeout(): void;
}

export interface ErlangTickerOptions {
  /** The net_ticktime in milliseconds (Erlang's default is 60 s). */
  readonly tickTimeMs: number;
  /** Turns per tick time (net_kernel's default is 4). */
  readonly intensity?: number;
}

export class ErlangTicker {
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastRead = -1;
  private lastWritten = -1;
  private silentTurns = 0;
  private readonly intensity: number;
  private readonly turnMs: number;

  constructor(private readonly io: ErlangTickerIo, opts: ErlangTickerOptions) {
    this.intensity = opts.intensity ?? 4;
    if (!(opts.tickTimeMs > 0) || !Number.isFinite(opts.tickTimeMs)) throw new BadArgError('ErlangTicker: tickTimeMs must be a positive number');
    if (!Number.isInteger(this.intensity) || this.intensity < 2) throw new BadArgError('ErlangTicker: intensity must be an integer of at least 2');
    this.turnMs = opts.tickTimeMs / this.intensity;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer !== null) return;
    this.lastRead = this.io.bytesRead;
    this.lastWritten = this.io.bytesWritten;
    this.silentTurns = 0;
    this.timer = setInterval(this.turn, this.turnMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private readonly turn = (): void => {
    const io = this.io;
    const read = io.bytesRead;
    if (read === this.lastRead) {
      this.silentTurns++;
      if (this.silentTurns >= this.intensity) {
        this.stop();
        io.timeout();
        return;
      }
    } else {
      this.silentTurns = 0;
      this.lastRead = read;
    }
    if (io.bytesWritten === this.lastWritten && !io.writePending) io.sendTick();
    this.lastWritten = io.bytesWritten;
  };
}
