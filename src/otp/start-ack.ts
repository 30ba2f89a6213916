/**
 * Synchronous start (Erlang's proc_lib init_ack): the starter learns whether the child's
 * init succeeded before it goes on — a supervisor must know whether a child started.
 *
 * Protocol:
 *   1. The starter makes a ref and spawns (or spawnLinks) the child with a start marker as
 *      its first argument: `{ type: '$gen_start', starter, ref }` followed by the user's
 *      args. A behaviour spawned without the marker (plain `spawn`) just runs: no ack.
 *   2. The starter monitors the child and receives only the ack for `ref` or the DOWN.
 *   3. The child runs its init, then sends `{ type: '$ack', ref, result }` to the starter:
 *        result 'ok'                 started; the starter returns `{ ok: pid }`
 *        result 'ignore'             init returned `{ ignore }`: the child unlinks from
 *                                    the starter and exits 'normal'; `{ ignore: true }`
 *        result { error: reason }    init returned `{ stop: reason }`: the child unlinks
 *                                    and exits with reason; `{ error: reason }`
 *      Unlinking first means a linked starter that does not trap exits is not killed by a
 *      failed start: the failure is in the result.
 *   4. A DOWN before the ack (init threw, or the child was killed) → `{ error: reason }`;
 *      the EXIT of a trapped link, if already queued, is flushed.
 *   5. No ack within the timeout → the child is killed, its DOWN awaited and
 *      `{ error: 'timeout' }` returned.
 */
import type { Context } from '../core/context.ts';
import type { SpawnOptions } from '../core/scheduler.ts';
import type { Pid, Ref } from '../core/pid.ts';
import { TIMEOUT } from '../core/reason.ts';
import type { CallGen } from './call.ts';

export interface StartMarker {
  readonly type: '$gen_start';
  readonly starter: Pid;
  readonly ref: Ref;
}

export type StartResult = { readonly ok: Pid } | { readonly ignore: true } | { readonly error: unknown };

export interface StartAck {
  readonly type: '$ack';
  readonly ref: Ref;
  readonly result: 'ok' | 'ignore' | { readonly error: unknown };
}

export function isStartMarker(v: unknown): v is StartMarker {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === '$gen_start';
}

/** Child side, step 3: tell the starter how init went. */
export function ackStart(ctx: Context, marker: StartMarker, result: StartAck['result']): void {
  ctx.send(marker.starter, { type: '$ack', ref: marker.ref, result });
  if (result !== 'ok') ctx.unlink(marker.starter);
}

export interface StartProcessOptions {
  link?: boolean;
  timeoutMs?: number;
  spawn?: SpawnOptions;
}

/** Starter side: `const r = yield* startProcess(ctx, behaviour, args, { link: true })`. */
export function* startProcess(ctx: Context, behaviour: unknown, args: readonly unknown[], opts: StartProcessOptions = {}): CallGen<StartResult> {
  const ref = ctx.makeRef();
  const marker: StartMarker = { type: '$gen_start', starter: ctx.self, ref };
  const fullArgs = [marker, ...args];
  const pid = opts.link === true ? ctx.spawnLink(behaviour, fullArgs, opts.spawn) : ctx.spawn(behaviour, fullArgs, opts.spawn);
  const mref = ctx.monitor(pid);
  const timeout = opts.timeoutMs ?? Infinity;
  const m = (yield ctx.receive((x: unknown) => isAnswer(x, ref, mref), timeout)) as StartAck | { type: 'DOWN'; reason: unknown } | typeof TIMEOUT;
  if (m === TIMEOUT) {
    ctx.exit(pid, 'kill');
    yield ctx.receive({ type: 'DOWN', ref: mref });
    yield* flushExit(ctx, pid);
    return { error: 'timeout' };
  }
  if (m.type === 'DOWN') {
    yield* flushExit(ctx, pid);
    return { error: (m as { reason: unknown }).reason };
  }
  ctx.demonitor(mref, { flush: true });
  const result = (m as StartAck).result;
  if (result === 'ok') return { ok: pid };
  if (result === 'ignore') return { ignore: true };
  return { error: result.error };
}

function isAnswer(x: unknown, ref: Ref, mref: Ref): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as { type?: unknown; ref?: unknown };
  if (m.type === '$ack') return ref.equals(m.ref);
  if (m.type === 'DOWN') return mref.equals(m.ref);
  return false;
}

function* flushExit(ctx: Context, pid: Pid): CallGen<void> {
  yield ctx.receive({ type: 'EXIT', from: pid }, 0);
}
