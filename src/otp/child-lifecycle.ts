/**
 * Starting and stopping one child of a supervisor (the supervisor runs these inside its
 * own process-style loop, so they block it, as OTP's supervisor blocks in start/stop).
 *
 * Start (`startChild`):
 *   1. A behaviour that answers the start protocol (GenServer, Supervisor) is started with
 *      `startProcess(..., { link: true })` — the supervisor waits for its init (see
 *      start-ack.ts) and learns `{ ok: pid } | { ignore } | { error: reason }`.
 *   2. Any other behaviour (a plain actor) is spawn-linked and counts as started at once.
 *   The child's spawn options come from `start.options`; a local `name` from the spec
 *   registers it as it spawns.
 *   3. A `{ global: name }` name is taken once the child has started (registerGlobally).
 *   4. A spawn that throws (a local name already taken, bad spawn options, ...) is a start
 *      error like any other — `{ error: reason }` — never an exception out of the
 *      supervisor: the caller (initial start, startChild, a restart) decides, as OTP's
 *      supervisor does with `{error, {already_started, Pid}}` from a child's start_link.
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
import { globalNameRegistrar, isGlobalName, resolveGlobalName } from '../core/global-name.ts';
import { NameTakenError } from '../core/errors.ts';
import { TIMEOUT } from '../core/reason.ts';
import type { CallGen } from './call.ts';
import type { FullChildSpec, Shutdown } from './child-spec.ts';
import { acksStart } from './start-ack.ts';
import { startProcess, type StartResult } from './start-ack.ts';

export function* startChild(ctx: Context, spec: FullChildSpec, extraArgs: readonly unknown[] = []): CallGen<StartResult> {
  const { behaviour, args, options } = spec.start;
  const local = typeof spec.name === 'string' ? spec.name : undefined;
  const spawnOpts = local === undefined ? options : { ...options, name: local };
  const allArgs = extraArgs.length === 0 ? args : [...args, ...extraArgs];
  let started: StartResult;
  try {
    if (acksStart(behaviour)) started = yield* startProcess(ctx, behaviour, allArgs, { link: true, spawn: spawnOpts });
    else started = { ok: ctx.spawnLink(behaviour, allArgs, spawnOpts) };
  } catch (e) {
    return { error: startErrorReason(ctx, e, local) };
  }
  if (!isGlobalName(spec.name) || !('ok' in started) || started.ok === null) return started;
  return yield* registerGlobally(ctx, spec.name.global, started.ok);
}

/**
 * Start step 4: what a spawn that threw becomes, as start error data (never an exception
 * out of the supervisor's loop). A local name already registered is Erlang's
 * `{error, {already_started, Pid}}`: `{ kind: 'already_started', name, pid }` (pid null
 * when the holder ended meanwhile); anything else `{ kind: 'error', name, message }`.
 */
function startErrorReason(ctx: Context, e: unknown, local: string | undefined): unknown {
  if (e instanceof NameTakenError) {
    const name = local ?? e.registeredName;
    return { kind: 'already_started', name, pid: ctx.whereis(name) ?? null };
  }
  return e instanceof Error ? { kind: 'error', name: e.name, message: e.message } : e;
}

/**
 * Start step 3, for a child spec `name: { global }`: take the name for the started child
 * (the node's global name server: cluster lock, every node). Taken by another pid: the
 * child is killed (brutal_kill) and the start fails with `{ kind: 'already_started', name,
 * pid }` (Erlang's {error, {already_started, Pid}}); no global names on this thread (Global
 * not started on the node): `{ kind: 'global_not_started', name }`. Unlike gen_server:start_link({global,
 * Name}, ...), which registers before init, the name is taken after the child's init: the
 * child is reachable by pid first, by `{ global }` once the start returns.
 */
function* registerGlobally(ctx: Context, name: string, pid: Pid): CallGen<StartResult> {
  const register = globalNameRegistrar();
  let answer: 'yes' | 'no' | Error | null = null;
  if (register !== null) {
    try {
      answer = yield* register(ctx, name, pid);
    } catch (e) {
      answer = e instanceof Error ? e : new Error(String(e));
    }
  }
  if (answer === 'yes') return { ok: pid };
  yield* shutdownChild(ctx, pid, 'brutal_kill');
  // No global names on this thread (Global.start(node) was not run on this node).
  if (answer === null) return { error: { kind: 'global_not_started', name: { global: name } } };
  if (answer === 'no') return { error: { kind: 'already_started', name: { global: name }, pid: resolveGlobalName(name) ?? null } };
  return { error: { kind: 'error', name: answer.name, message: answer.message } };
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
