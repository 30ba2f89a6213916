/**
 * Starting and stopping one child of a supervisor (the supervisor runs these inside its
 * own process-style loop, so they block it, as OTP's supervisor blocks in start/stop).
 *
 * Start (`startChild`):
 *   1. A behaviour that answers the start protocol (GenServer, Supervisor) is started with
 *      `startProcess(..., { link: true })` — the supervisor waits for its init (see
 *      start-ack.ts) and learns `{ ok: pid } | { ignore } | { error: reason }`.
 *   2. Any other behaviour (a plain actor) is spawn-linked and counts as started at once.
 *   The child's spawn options come from `start.options`; `name` from the spec registers it.
 *
 * Shutdown (`shutdownChild`, Erlang's supervisor:shutdown/2):
 *   1. Monitor the child, then unlink it: its exit now reaches us only as the DOWN.
 *   2. 'brutal_kill' → exit(child, 'kill'). A timeout → exit(child, 'shutdown'), wait for
 *      the DOWN up to the timeout, then exit(child, 'kill'). 'infinity' → exit 'shutdown'
 *      and wait for the DOWN as long as it takes (a supervisor child: its own children
 *      need time to stop).
 *   3. Wait for the DOWN; flush an EXIT from the child that was queued before the unlink.
 *   Returns the child's exit reason.
 */
import type { Context } from '../core/context.ts';
import type { Pid } from '../core/pid.ts';
import { TIMEOUT } from '../core/reason.ts';
import type { CallGen } from './call.ts';
import type { FullChildSpec, Shutdown } from './child-spec.ts';
import { acksStart } from './start-ack.ts';
import { startProcess, type StartResult } from './start-ack.ts';

export function* startChild(ctx: Context, spec: FullChildSpec, extraArgs: readonly unknown[] = []): CallGen<StartResult> {
  const { behaviour, args, options } = spec.start;
  const spawnOpts = spec.name === undefined ? options : { ...options, name: spec.name };
  const allArgs = extraArgs.length === 0 ? args : [...args, ...extraArgs];
  if (acksStart(behaviour)) return yield* startProcess(ctx, behaviour, allArgs, { link: true, spawn: spawnOpts });
  try {
    return { ok: ctx.spawnLink(behaviour, allArgs, spawnOpts) };
  } catch (e) {
    return { error: e instanceof Error ? { kind: 'error', name: e.name, message: e.message } : e };
  }
}

interface Down {
  readonly type: 'DOWN';
  readonly reason: unknown;
}

export function* shutdownChild(ctx: Context, pid: Pid, shutdown: Shutdown): CallGen<unknown> {
  const mref = ctx.monitor(pid);
  ctx.unlink(pid);
  let down: Down | typeof TIMEOUT;
  if (shutdown === 'brutal_kill') {
    ctx.exit(pid, 'kill');
    down = (yield ctx.receive({ type: 'DOWN', ref: mref })) as Down;
  } else {
    ctx.exit(pid, 'shutdown');
    down = (yield ctx.receive({ type: 'DOWN', ref: mref }, shutdown === 'infinity' ? undefined : shutdown)) as Down | typeof TIMEOUT;
    if (down === TIMEOUT) {
      ctx.exit(pid, 'kill');
      down = (yield ctx.receive({ type: 'DOWN', ref: mref })) as Down;
    }
  }
  yield ctx.receive({ type: 'EXIT', from: pid }, 0);
  return down.reason;
}
