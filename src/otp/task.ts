/**
 * Task: run one computation in a process of its own and collect its result (Elixir's
 * Task / Task.Supervisor).
 *
 * API — inside a process-style actor (`yield*` the generators):
 *   Task.async(ctx, target, args = [])                  -> Task  (spawned, linked, monitored)
 *   Task.asyncNolink(ctx, supervisor, target, args = []) -> Task  (monitored; linked to the
 *                                                        TaskSupervisor, not to the caller)
 *   yield* Task.await(ctx, task, timeoutMs = 5000)     -> the result
 *       throws TaskTimeoutError (no result in time: the task keeps running, a later result
 *       is dropped, never delivered) or TaskExitError (the task ended without a result)
 *   yield* Task.yield(ctx, task, timeoutMs = 5000)     -> { ok: result } | { exit: reason }
 *       | null (not yet: the task keeps running and can be awaited again)
 *   yield* Task.shutdown(ctx, task, shutdown = 5000)   -> { ok: result } (it finished first)
 *       | { exit: reason } (it had crashed) | null (it was shut down: exit 'shutdown', then
 *       'kill' after `shutdown` ms; 'brutal_kill' kills at once)
 * From the embedding thread (a promise): Task.run(node, target, args, timeoutMs = 5000)
 *   -> the result; rejects with TaskTimeoutError (the task is killed) or TaskExitError.
 * TaskSupervisor: a behaviour (spawn it, or make it a supervisor's child: it answers the
 *   start protocol and `GenServer.stop`); it traps exits to watch the tasks it adopts
 *   (links to them), obeys any other exit signal as a non-trapping process would, and
 *   shuts its tasks down ('shutdown') when it stops. `Task.children(via, supervisor)`
 *   lists its live tasks. It never restarts a task (Elixir's tasks are temporary).
 *
 * Targets: a generator function `function* (ctx, ...args) { ...; return result }` (it may
 *   `yield ctx.receive(...)`; use patterns: the task's mailbox also gets what is sent to
 *   it), a plain function `(...args) => result`, a process-style Behaviour from
 *   `defineActor(import.meta.url, function* ..., 'Export')`, or `{ module, export }` naming
 *   such a behaviour or an exported (generator) function — Erlang's {M, F, A}. Functions
 *   are closures: the task runs on the caller's scheduler. Module-defined targets may run
 *   on any scheduler (the threads layer may place them elsewhere) and are the only ones
 *   `Task.run` accepts on a node that does not spawn closures (`node.spawnsClosures`).
 *
 * Protocol (async / asyncNolink):
 *   1. The caller spawns the task (spawnLink for async), monitors it — the monitor ref is
 *      the task's ref — and sends it `{ type: '$task_go', ref }`.
 *   2. The task waits for that message only, runs the target, and sends the caller
 *      `callReply(ref, result)` (the call protocol's reply: a caller that gave
 *      up with `ctx.expireCall(ref)` drops it on delivery), then ends 'normal'.
 *   3. The caller receives the one message matching `{ ref }`: the reply, or the monitor's
 *      DOWN if the task ended first. Then it demonitors with flush.
 *   asyncNolink: before 1's go, the caller sends the supervisor `{ type: '$task_adopt',
 *   pid }`; the supervisor links to the task (an EXIT 'noproc' if it already ended).
 * Protocol (Task.run, from the embedding thread, which is not an actor):
 *   1. Spawn the task in serve mode (no owner pid).
 *   2. `node.call(task, '$task_result', timeoutMs)`: the node's gateway monitors the task,
 *      then sends the `$call` (call-protocol.ts).
 *   3. The task waits for that `$call` only — it is the go signal — runs the target, and
 *      replies with the result, then ends 'normal'.
 *   4. The call resolves with the reply, or rejects with CallExitError carrying the
 *      task's exit reason (-> TaskExitError(reason)): the monitor of step 2 was set before
 *      the target ran, so a task that fails at once still reports why. NoProcError means
 *      the task was gone before the call (killed): TaskExitError('noproc'). A timeout
 *      kills the task: TaskTimeoutError.
 *   Erlang/Elixir do the same: Task.async spawns the task, monitors it, and only then
 *   tells it to run (the `$task_go` of the protocol above).
 */
import { Behaviour, BehaviourKind, defineActor, type BehaviourRef } from '../core/behaviour.ts';
import { callReply, isCall, isReply, type CallRequest } from '../core/call-protocol.ts';
import { Context, contextInInit } from '../core/context.ts';
import { BadArgError, CallExitError, CallTimeoutError, NoProcError } from '../core/errors.ts';
import type { Node } from '../core/node.ts';
import type { Pid, Ref } from '../core/pid.ts';
import { TIMEOUT } from '../core/reason.ts';
import { callVia, type CallGen, type Via } from './call.ts';
import { markAcksStart } from './start-ack.ts';
import { ackStart, isStartMarker } from './start-ack.ts';
import { TaskExitError, TaskTimeoutError } from './task-errors.ts';

export interface Task<R = unknown> {
  readonly pid: Pid;
  /** The monitor ref; the result comes as `{ type: '$reply', ref, value }`. */
  readonly ref: Ref;
  readonly owner: Pid;
  /** Phantom: the result type. */
  readonly __result?: R;
}

export type TaskTarget<R, A extends unknown[]> =
  | ((ctx: Context, ...args: A) => Generator<unknown, R, any>)
  | ((...args: A) => R)
  | Behaviour<A>
  | BehaviourRef;

export type TaskYield<R> = { readonly ok: R } | { readonly exit: unknown } | null;

export const kDefaultTaskTimeoutMs = 5000;

// -------------------------------------------------------------------------------------
// API
// -------------------------------------------------------------------------------------

type GenTarget<R, A extends unknown[]> = (ctx: Context, ...args: A) => Generator<unknown, R, any>;

function async<R, A extends unknown[]>(ctx: Context, target: GenTarget<R, A>, args?: A): Task<R>;
function async<R, A extends unknown[]>(ctx: Context, target: (...args: A) => R, args?: A): Task<R>;
function async<A extends unknown[]>(ctx: Context, target: Behaviour<A>, args?: A): Task<unknown>;
function async(ctx: Context, target: BehaviourRef, args?: unknown[]): Task<unknown>;
function async<R, A extends unknown[]>(ctx: Context, target: TaskTarget<R, A>, args?: A): Task<R> {
  return start(ctx, target, (args ?? []) as unknown[], null) as Task<R>;
}

function asyncNolink<R, A extends unknown[]>(ctx: Context, supervisor: Pid | string, target: GenTarget<R, A>, args?: A): Task<R>;
function asyncNolink<R, A extends unknown[]>(ctx: Context, supervisor: Pid | string, target: (...args: A) => R, args?: A): Task<R>;
function asyncNolink<A extends unknown[]>(ctx: Context, supervisor: Pid | string, target: Behaviour<A>, args?: A): Task<unknown>;
function asyncNolink(ctx: Context, supervisor: Pid | string, target: BehaviourRef, args?: unknown[]): Task<unknown>;
function asyncNolink<R, A extends unknown[]>(ctx: Context, supervisor: Pid | string, target: TaskTarget<R, A>, args?: A): Task<R> {
  return start(ctx, target, (args ?? []) as unknown[], supervisor) as Task<R>;
}

function* awaitTask<R>(ctx: Context, task: Task<R>, timeoutMs: number = kDefaultTaskTimeoutMs): CallGen<R> {
  checkTask(task);
  checkTimeout('await', timeoutMs);
  const m = (yield ctx.receive({ ref: task.ref }, timeoutMs)) as Answer | typeof TIMEOUT;
  if (m === TIMEOUT) {
    ctx.demonitor(task.ref, { flush: true });
    ctx.expireCall(task.ref);
    throw new TaskTimeoutError(timeoutMs);
  }
  if (isReply(m)) {
    ctx.demonitor(task.ref, { flush: true });
    return m.value as R;
  }
  throw new TaskExitError(m.reason);
}

function* yieldTask<R>(ctx: Context, task: Task<R>, timeoutMs: number = kDefaultTaskTimeoutMs): CallGen<TaskYield<R>> {
  checkTask(task);
  checkTimeout('yield', timeoutMs);
  const m = (yield ctx.receive({ ref: task.ref }, timeoutMs)) as Answer | typeof TIMEOUT;
  if (m === TIMEOUT) return null;
  if (isReply(m)) {
    ctx.demonitor(task.ref, { flush: true });
    return { ok: m.value as R };
  }
  return { exit: m.reason };
}

function* shutdownTask<R>(ctx: Context, task: Task<R>, shutdown: number | 'brutal_kill' = kDefaultTaskTimeoutMs): CallGen<TaskYield<R>> {
  checkTask(task);
  if (shutdown !== 'brutal_kill') checkTimeout('shutdown', shutdown);
  ctx.unlink(task.pid);
  ctx.exit(task.pid, shutdown === 'brutal_kill' ? 'kill' : 'shutdown');
  let m = (yield ctx.receive({ ref: task.ref }, shutdown === 'brutal_kill' ? Infinity : shutdown)) as Answer | typeof TIMEOUT;
  if (m === TIMEOUT) {
    ctx.exit(task.pid, 'kill');
    m = (yield ctx.receive({ ref: task.ref })) as Answer;
  }
  if (isReply(m)) {
    ctx.demonitor(task.ref, { flush: true });
    return { ok: m.value as R };
  }
  const reason = m.reason;
  return reason === 'shutdown' || reason === 'killed' ? null : { exit: reason };
}

/** From the embedding thread: run `target` in a task and resolve with its result. */
function run<R, A extends unknown[]>(node: Node, target: GenTarget<R, A>, args?: A, timeoutMs?: number): Promise<R>;
function run<R, A extends unknown[]>(node: Node, target: (...args: A) => R, args?: A, timeoutMs?: number): Promise<R>;
function run<A extends unknown[]>(node: Node, target: Behaviour<A>, args?: A, timeoutMs?: number): Promise<unknown>;
function run(node: Node, target: BehaviourRef, args?: unknown[], timeoutMs?: number): Promise<unknown>;
async function run<R, A extends unknown[]>(node: Node, target: TaskTarget<R, A>, args?: A, timeoutMs: number = kDefaultTaskTimeoutMs): Promise<R> {
  checkTimeout('run', timeoutMs);
  const a = (args ?? []) as unknown[];
  const [beh, spawnArgs] = spawnTarget(target, a, true);
  const pid = await node.spawn(beh as object, spawnArgs);
  try {
    return (await node.call(pid, '$task_result', timeoutMs)) as R;
  } catch (e) {
    if (e instanceof CallTimeoutError) {
      node.exit(pid, 'kill');
      throw new TaskTimeoutError(timeoutMs);
    }
    if (e instanceof CallExitError) throw new TaskExitError(e.reason);
    if (e instanceof NoProcError) throw new TaskExitError('noproc');
    throw e;
  }
}

/** The live tasks of a TaskSupervisor. */
function children(via: Context, supervisor: Pid | string, timeoutMs?: number): CallGen<Pid[]>;
function children(via: Node, supervisor: Pid | string, timeoutMs?: number): Promise<Pid[]>;
function children(via: Via, supervisor: Pid | string, timeoutMs?: number): CallGen<Pid[]> | Promise<Pid[]> {
  return callVia<Pid[]>(via, supervisor, { type: '$task_children' }, timeoutMs);
}

export const Task = { async, asyncNolink, await: awaitTask, yield: yieldTask, shutdown: shutdownTask, run, children };

// -------------------------------------------------------------------------------------
// The task process
// -------------------------------------------------------------------------------------

/**
 * The task runner, module-defined so a task with a module-defined target can run on any
 * scheduler: `(owner | null, target (function or { module, export }), args)`.
 */
export const TaskRunner = defineActor(import.meta.url, function* (ctx: Context, owner: Pid | null, target: unknown, args: unknown[]) {
  return yield* runTask(ctx, owner, target, args);
}, 'TaskRunner');

function* runTask(ctx: Context, owner: Pid | null, target: unknown, args: unknown[]): Generator<unknown, void, any> {
  // Nothing runs before the go: whoever waits for the result watches the task by then, so
  // a target that fails at once is seen as its own exit reason, never as 'noproc'.
  if (owner === null) {
    const req = (yield ctx.receive(isCall)) as CallRequest;
    const result: unknown = yield* callTarget(ctx, target, args);
    ctx.reply(req.from, result);
    return;
  }
  const go = (yield ctx.receive({ type: '$task_go' })) as { ref: Ref };
  const result: unknown = yield* callTarget(ctx, target, args);
  ctx.send(owner, callReply(go.ref, result));
}

function* callTarget(ctx: Context, target: unknown, args: unknown[]): Generator<unknown, unknown, any> {
  if (typeof target === 'function') {
    const r: unknown = isGenerator(target) ? yield* (target as (c: Context, ...a: unknown[]) => Generator<unknown, unknown, any>)(ctx, ...args) : (target as (...a: unknown[]) => unknown)(...args);
    return r;
  }
  // { module, export }: a process-style Behaviour or a (generator) function exported by a
  // module (Erlang's M, F, A), imported on this thread if need be.
  const ref = target as BehaviourRef;
  let fn: Exported | undefined = exported.get(`${ref.module}#${ref.export}`);
  if (fn === undefined) {
    let failure: string | null = null;
    import(ref.module).then(
      (ns: Record<string, unknown>) => {
        const v = ns[ref.export];
        if (v instanceof Behaviour && v.kind === BehaviourKind.Process) fn = v;
        else if (typeof v === 'function' && !(v instanceof Behaviour)) fn = v as (...a: unknown[]) => unknown;
        else failure = `module ${ref.module} has no process-style behaviour or function export ${ref.export}`;
        if (fn !== undefined) exported.set(`${ref.module}#${ref.export}`, fn);
      },
      (e: unknown) => {
        failure = e instanceof Error ? e.message : String(e);
      },
    );
    // The import completes on the event loop; wait for it in short sleeps (first use of the
    // module on this thread only).
    while (fn === undefined && failure === null) yield ctx.sleep(1);
    if (failure !== null) ctx.exit(Object.freeze({ kind: 'undef', module: ref.module, export: ref.export, message: String(failure) }));
  }
  let f: unknown = fn;
  if (fn instanceof Behaviour) {
    // The current version of the behaviour (hot code reload: see src/otp/code-server.ts).
    let b: Behaviour = fn;
    while (b.upgrade !== null && b.upgrade.to !== null) b = b.upgrade.to;
    f = b.process;
  }
  const r: unknown = yield* callTarget(ctx, f, args);
  return r;
}

type Exported = Behaviour | ((...a: any[]) => unknown);

/** Targets taken from modules by tasks on this thread: `module#export` -> behaviour or function. */
const exported = new Map<string, Exported>();

// -------------------------------------------------------------------------------------
// TaskSupervisor
// -------------------------------------------------------------------------------------

interface SupState {
  parent: Pid | null;
  tasks: Map<string, Pid>;
}

/** Supervises tasks started by Task.asyncNolink: never restarts them; shuts them down. */
export const TaskSupervisor = defineActor(import.meta.url, {
  init(...raw: unknown[]): SupState {
    const ctx = contextInInit();
    ctx.trapExit(true);
    const marker = isStartMarker(raw[0]) ? raw[0] : null;
    if (marker !== null) ackStart(ctx, marker, 'ok');
    return { parent: marker === null ? null : marker.starter, tasks: new Map() };
  },
  handle(msg: unknown, st: SupState, ctx: Context): SupState {
    const m = msg as { type?: string; pid?: Pid; from?: Pid; reason?: unknown; msg?: unknown };
    if (m?.type === '$task_adopt') {
      st.tasks.set(String(m.pid), m.pid!);
      ctx.link(m.pid!);
    } else if (m?.type === 'EXIT') {
      const key = String(m.from);
      // A task ended. Any other exit signal is obeyed as by a process that does not trap
      // exits (it traps only to watch its tasks): 'normal' is ignored unless from the parent.
      if (st.tasks.has(key)) st.tasks.delete(key);
      else if (m.reason !== 'normal' || (st.parent !== null && st.parent.equals(m.from))) ctx.exit(m.reason);
    } else if (isCall(msg)) {
      const req = msg.msg as { type?: string; req?: string };
      if (req?.type === '$task_children') ctx.reply(msg.from, [...st.tasks.values()]);
      else if (req?.type === '$system' && req.req === 'ping') ctx.reply(msg.from, 'ok');
      else if (req?.type === '$system' && req.req === 'stop') {
        ctx.reply(msg.from, 'ok');
        ctx.exit((req as { reason?: unknown }).reason ?? 'normal'); // terminate shuts the tasks down
      }
      else ctx.reply(msg.from, { error: 'unknown_request' });
    }
    return st;
  },
  terminate(_reason: unknown, st: SupState, ctx: Context): void {
    for (const pid of st.tasks.values()) ctx.exit(pid, 'shutdown');
  },
}, 'TaskSupervisor');
markAcksStart(TaskSupervisor);

// -------------------------------------------------------------------------------------
// Internal helpers
// -------------------------------------------------------------------------------------

interface Answer {
  readonly type: string;
  readonly value?: unknown;
  readonly reason?: unknown;
}

const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor;

function isGenerator(f: unknown): boolean {
  return f instanceof GeneratorFunction;
}

/** [behaviour, args] for spawning a task: a closure for functions, TaskRunner for modules. */
function spawnTarget(target: unknown, args: unknown[], serve: boolean): [unknown, unknown[]] {
  if (!Array.isArray(args)) throw new BadArgError('Task: args must be an array');
  if (typeof target === 'function') {
    // A closure generator: never placed on another thread (its target is a closure too).
    const fn = target;
    return [function* taskClosure(ctx: Context, owner: Pid | null) { return yield* runTask(ctx, owner, fn, args); }, [serve ? null : undefined]];
  }
  if (target instanceof Behaviour) {
    if (target.kind !== BehaviourKind.Process) throw new BadArgError('Task: a Behaviour target must be process-style (a generator)');
    if (target.module === null || target.exportName === null) {
      const fn = target.process!;
      return [function* taskClosure(ctx: Context, owner: Pid | null) { return yield* runTask(ctx, owner, fn, args); }, [serve ? null : undefined]];
    }
    return [TaskRunner, [serve ? null : undefined, { module: target.module, export: target.exportName }, args]];
  }
  if (typeof target === 'object' && target !== null && typeof (target as BehaviourRef).module === 'string' && typeof (target as BehaviourRef).export === 'string') {
    const r = target as BehaviourRef;
    return [TaskRunner, [serve ? null : undefined, { module: r.module, export: r.export }, args]];
  }
  throw new BadArgError('Task: target must be a generator function, a function, a process-style Behaviour, or { module, export } naming one');
}

function start(ctx: Context, target: unknown, args: unknown[], supervisor: Pid | string | null): Task {
  const [beh, spawnArgs] = spawnTarget(target, args, false);
  const owner = ctx.self;
  spawnArgs[0] = owner;
  const pid = supervisor === null ? ctx.spawnLink(beh, spawnArgs) : ctx.spawn(beh, spawnArgs);
  const ref = ctx.monitor(pid);
  if (supervisor !== null) ctx.send(supervisor, { type: '$task_adopt', pid });
  ctx.send(pid, { type: '$task_go', ref });
  return { pid, ref, owner };
}

function checkTask(task: Task): void {
  if (typeof task !== 'object' || task === null || task.pid === undefined || task.ref === undefined) throw new BadArgError('Task: expected a task returned by Task.async');
}

function checkTimeout(what: string, ms: unknown): void {
  if (!(ms === Infinity || (typeof ms === 'number' && ms >= 0))) throw new BadArgError(`Task.${what}: timeoutMs must be a number >= 0 or Infinity, got ${String(ms)}`);
}
