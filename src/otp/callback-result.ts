/**
 * What the generic behaviours (gen-server.ts, gen-statem.ts) share about running a user's
 * callbacks: splitting the start marker off init's arguments, ending a failed init (the
 * start ack, then the exit), the `bad_return_value` exit reason, and whether the process
 * traps exits (terminate runs on a parent's exit signal only then).
 *
 * A failed init, given init's result `r` (anything but the behaviour's success shape):
 *   { stop: reason }   ack { error: reason } to the starter, exit with reason
 *   { ignore }         ack 'ignore', exit 'normal'
 *   { error: reason }  ack { error: reason }, exit 'normal' (OTP 26's {error, Reason}:
 *                      the start fails, the process ends without a crash)
 *   anything else      ack { error: <bad_return_value> }, exit with it
 * (no ack when the process was spawned without a start marker: see start-ack.ts).
 */
import type { Context } from '../core/context.ts';
import { ackStart, isStartMarker, type StartMarker } from './start-ack.ts';

/** Exit reason of a callback that returned an unknown shape. */
export interface BadReturnReason {
  readonly kind: 'bad_return_value';
  readonly callback: string;
  readonly value: string;
}

export function badReturn(callback: string, value: unknown): BadReturnReason {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return Object.freeze({ kind: 'bad_return_value', callback, value: text });
}

/** init's raw arguments: the start marker (if the starter waits for an ack) and the user's. */
export function splitStartArgs(raw: unknown[]): { marker: StartMarker | null; args: unknown[] } {
  return isStartMarker(raw[0]) ? { marker: raw[0], args: raw.slice(1) } : { marker: null, args: raw };
}

/** End a process whose init returned `r`, not a success (see the table above). */
export function failInit(ctx: Context, marker: StartMarker | null, r: unknown): never {
  if (typeof r === 'object' && r !== null) {
    if ('stop' in r) {
      const reason = (r as { stop: unknown }).stop;
      if (marker !== null) ackStart(ctx, marker, { error: reason });
      return ctx.exit(reason);
    }
    if ('ignore' in r) {
      if (marker !== null) ackStart(ctx, marker, 'ignore');
      return ctx.exit('normal');
    }
    if ('error' in r) {
      if (marker !== null) ackStart(ctx, marker, { error: (r as { error: unknown }).error });
      return ctx.exit('normal');
    }
  }
  const reason = badReturn('init', r);
  if (marker !== null) ackStart(ctx, marker, { error: reason });
  return ctx.exit(reason);
}

/** Does the running process trap exits? (Read without changing it.) */
export function trapsExits(ctx: Context): boolean {
  const was = ctx.trapExit(true);
  ctx.trapExit(was);
  return was;
}
