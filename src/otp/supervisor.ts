/**
 * Supervisor: Erlang's supervisor as a process-style actor that traps exits.
 *
 * Define one in a module (OTP's callback module):
 *   export const Top = defineSupervisor(import.meta.url, {
 *     init: (...args) => ({ strategy: 'one_for_one', intensity: 1, period: 5, children: [...] }),
 *   }, 'Top');
 * or start one from a spec value with `Supervisor.start(via, spec)` (the generic
 * `SupervisorFromSpec` behaviour, spec passed as its argument).
 *
 * Callback:
 *   init(...args) -> { strategy?, intensity?, period?, children: ChildSpec[] }
 *                  | { ignore: true }
 *   (flags and child specs: see child-spec.ts; an invalid spec fails the start with the
 *   InvalidChildSpecError message as reason)
 *
 * Generic loop:
 *   1. Trap exits; validate the spec; start the children in order (child-lifecycle.ts,
 *      waiting for each init). A child failing to start (its init failed, or its spawn
 *      threw, e.g. its name is taken): the ones started are shut down in reverse order
 *      and the supervisor fails to start with `{ kind: 'shutdown', reason: {
 *      failedToStartChild: id, reason } }`. A temporary child whose init ignored is not
 *      kept. Then ack the starter (start-ack.ts).
 *   2. Receive:
 *      - EXIT from the parent (the starter) → shut every child down in reverse order,
 *        exit with the parent's reason.
 *      - EXIT from a child → by its restart type: 'temporary' is removed; 'transient'
 *        that ended cleanly keeps its spec with no process; otherwise a restart:
 *          one_for_one   restart that child
 *          one_for_all   shut the others down (reverse order), start all again in order
 *          rest_for_one  shut the ones started after it down (reverse), restart it and them
 *        Each restart is counted (restart-intensity.ts); past the intensity the
 *        supervisor shuts every child down and exits with `{ kind: 'shutdown', reason:
 *        'reached_max_restart_intensity' }` — its own supervisor then handles that.
 *        A child that fails to restart is marked restarting and the supervisor sends
 *        itself `{ type: '$sup_try_again', id }`: calls queued before it are answered
 *        first, then the retry runs as one more restart (OTP's try_again_restart).
 *      - `$sup_try_again` for a child still restarting → restart it (as above).
 *      - `$call` with a supervisor request (below) or a `$system` request (sys.ts:
 *        getState → whichChildren, getStatus, suspend/resume, stop).
 *      - EXIT from an unknown pid, anything else: ignored.
 *
 * Requests (`{ type: '$sup', op, ... }` calls; use the API functions):
 *   whichChildren            -> ChildInfo[] in start order
 *   countChildren            -> { specs, active, supervisors, workers }
 *   startChild(spec)         -> { ok: pid | null } | { error: 'already_present' |
 *                               { alreadyStarted: pid } | reason }   (nothing is kept when
 *                               the start fails, nor for an ignored temporary child)
 *   terminateChild(id)       -> 'ok' | { error: 'not_found' }   (a temporary child's spec
 *                               is removed; others keep it, with no process)
 *   restartChild(id)         -> { ok: pid | null } | { error: 'running' | 'restarting' |
 *                               'not_found' | reason }
 *   deleteChild(id)          -> 'ok' | { error: 'running' | 'restarting' | 'not_found' }
 *   getChildSpec(id)         -> { ok: spec, defaults filled in, behaviour as { module,
 *                               export } } | { error: 'not_found' }
 *
 * API (each takes `ctx` in a process-style actor — use `yield*` — or a node):
 *   Supervisor.start / startLink(via, spec, { name? })  -> pid (throws StartFailedError)
 *   Supervisor.whichChildren(via, sup), countChildren, startChild(via, sup, spec),
 *   terminateChild(via, sup, id), restartChild(via, sup, id), deleteChild(via, sup, id),
 *   getChildSpec(via, sup, id)
 *
 * Across threads: child specs sent in a request, or a spec given to a node that does not
 * spawn closures (`node.spawnsClosures` false: its schedulers run on other threads), have
 * their Behaviours replaced by `{ module, export, acks }` references (`portableSpec`), so a
 * behaviour must be module-defined with its export name to be used that way.
 */
import { Behaviour, defineActor } from '../core/behaviour.ts';
import { isCall } from '../core/call-protocol.ts';
import { Context } from '../core/context.ts';
import { BadArgError } from '../core/errors.ts';
import type { Node } from '../core/node.ts';
import type { Pid } from '../core/pid.ts';
import { isExitMessage } from '../core/reason.ts';
import { callOut, type CallGen, type CallOut as Out, type Via } from './call.ts';
import { shutdownChild, startChild } from './child-lifecycle.ts';
import { validateChildSpec, validateChildSpecs, validateSupervisorFlags, type ChildSpec, type ChildType, type FullChildSpec, type SupervisorFlags } from './child-spec.ts';
import { InvalidChildSpecError, isCleanExit, shutdownReason } from './errors.ts';
import { GenServer, type StartOptions } from './gen-server.ts';
import { portableSpec, specForNode } from './portable.ts';
import { RestartIntensity } from './restart-intensity.ts';
import { ackStart, isStartMarker, markAcksStart, type StartMarker } from './start-ack.ts';
import { handleSystemRequest, isSystemCall, isSystemRequest, type SystemServer, type SystemStatus } from './sys.ts';

export interface SupervisorSpec extends SupervisorFlags {
  readonly children: readonly ChildSpec[];
}

export interface SupervisorImpl<A extends unknown[]> {
  init(...args: A): SupervisorSpec | { readonly ignore: true };
}

export interface ChildInfo {
  readonly id: string;
  /** The child's pid, or null when it is not running (ignored, terminated, clean transient exit, restarting). */
  readonly pid: Pid | null;
  /** A failed restart of it waits for its retry (OTP shows `restarting` in place of the pid). */
  readonly restarting: boolean;
  readonly type: ChildType;
  readonly restart: FullChildSpec['restart'];
}

export interface ChildCounts {
  readonly specs: number;
  readonly active: number;
  readonly supervisors: number;
  readonly workers: number;
}

export type StartChildResult = { readonly ok: Pid | null } | { readonly error: unknown };

export type SupervisorRequest =
  | { readonly type: '$sup'; readonly op: 'whichChildren' | 'countChildren' }
  | { readonly type: '$sup'; readonly op: 'startChild'; readonly spec: ChildSpec }
  | { readonly type: '$sup'; readonly op: 'terminateChild' | 'restartChild' | 'deleteChild' | 'getChildSpec'; readonly id: string };

/** Exit reason of a supervisor whose child failed to start. */
export interface FailedToStartChild {
  readonly failedToStartChild: string;
  readonly reason: unknown;
}

// -----------------------------------------------------------------------------------
// Definition
// -----------------------------------------------------------------------------------

export function defineSupervisor<A extends unknown[]>(moduleUrl: string, impl: SupervisorImpl<A>, exportName?: string): Behaviour<A> {
  if (typeof impl !== 'object' || impl === null || typeof impl.init !== 'function') {
    throw new BadArgError('defineSupervisor: impl must be { init(...args) -> supervisor spec }');
  }
  const b = defineActor(moduleUrl, function* supervisorProcess(ctx: Context, ...raw: unknown[]) {
    return yield* supervisorLoop(ctx, impl as SupervisorImpl<unknown[]>, raw);
  }, exportName) as unknown as Behaviour<A>;
  markAcksStart(b);
  return b;
}

/** A supervisor whose argument is its spec: `Supervisor.start(via, spec)` starts this. */
export const SupervisorFromSpec = defineSupervisor<[SupervisorSpec]>(import.meta.url, {
  init: (spec: SupervisorSpec) => spec,
}, 'SupervisorFromSpec');

// -----------------------------------------------------------------------------------
// API
// -----------------------------------------------------------------------------------

function request<V extends Via, R>(via: V, sup: Pid | string, req: SupervisorRequest): Out<V, R> {
  return callOut<V, R>(via, sup, req, 60_000);
}

function start(ctx: Context, spec: SupervisorSpec, opts?: StartOptions): CallGen<Pid | null>;
function start(node: Node, spec: SupervisorSpec, opts?: StartOptions): Promise<Pid | null>;
function start(via: Via, spec: SupervisorSpec, opts?: StartOptions): CallGen<Pid | null> | Promise<Pid | null> {
  if (via instanceof Context) return GenServer.start(via, SupervisorFromSpec, [spec], opts);
  return GenServer.start(via, SupervisorFromSpec, [specForNode(via, spec)], { timeoutMs: 60_000, ...opts });
}

function startLink(ctx: Context, spec: SupervisorSpec, opts?: StartOptions): CallGen<Pid | null>;
function startLink(node: Node, spec: SupervisorSpec, opts?: StartOptions): Promise<Pid | null>;
function startLink(via: Via, spec: SupervisorSpec, opts?: StartOptions): CallGen<Pid | null> | Promise<Pid | null> {
  if (via instanceof Context) return GenServer.startLink(via, SupervisorFromSpec, [spec], opts);
  return start(via, spec, opts);
}

export const Supervisor = {
  start,
  startLink,
  whichChildren<V extends Via>(via: V, sup: Pid | string): Out<V, ChildInfo[]> {
    return request(via, sup, { type: '$sup', op: 'whichChildren' });
  },
  countChildren<V extends Via>(via: V, sup: Pid | string): Out<V, ChildCounts> {
    return request(via, sup, { type: '$sup', op: 'countChildren' });
  },
  /** Validates `spec` here (throws InvalidChildSpecError), then asks the supervisor. */
  startChild<V extends Via>(via: V, sup: Pid | string, spec: ChildSpec): Out<V, StartChildResult> {
    validateChildSpec(spec);
    return request(via, sup, { type: '$sup', op: 'startChild', spec: portableSpec(spec) });
  },
  terminateChild<V extends Via>(via: V, sup: Pid | string, id: string): Out<V, 'ok' | { error: 'not_found' }> {
    return request(via, sup, { type: '$sup', op: 'terminateChild', id });
  },
  restartChild<V extends Via>(via: V, sup: Pid | string, id: string): Out<V, StartChildResult> {
    return request(via, sup, { type: '$sup', op: 'restartChild', id });
  },
  /** The child's spec with every default filled in (Erlang's get_childspec/2); behaviours as `{ module, export }`. */
  getChildSpec<V extends Via>(via: V, sup: Pid | string, id: string): Out<V, { ok: FullChildSpec } | { error: 'not_found' }> {
    return request(via, sup, { type: '$sup', op: 'getChildSpec', id });
  },
  deleteChild<V extends Via>(via: V, sup: Pid | string, id: string): Out<V, 'ok' | { error: 'running' | 'restarting' | 'not_found' }> {
    return request(via, sup, { type: '$sup', op: 'deleteChild', id });
  },
};
// -----------------------------------------------------------------------------------
// Generic loop
// -----------------------------------------------------------------------------------

interface Child {
  spec: FullChildSpec;
  pid: Pid | null;
  /** Its restart failed; a `$sup_try_again` to self retries it (OTP's `restarting`). */
  restarting: boolean;
}

/** What the supervisor sends itself to retry a failed restart (OTP's try_again_restart). */
interface TryAgain {
  readonly type: '$sup_try_again';
  readonly id: string;
}

function isTryAgain(m: unknown): m is TryAgain {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$sup_try_again' && typeof (m as { id?: unknown }).id === 'string';
}

interface ExitMsg {
  readonly type: 'EXIT';
  readonly from: Pid;
  readonly reason: unknown;
}

class SupervisorState implements SystemServer {
  children: Child[];
  readonly strategy: FullFlags['strategy'];
  readonly intensity: RestartIntensity;
  readonly parent: Pid | null;
  suspended = false;
  /** Set by a `stop` system request: the loop shuts the children down before replying. */
  stopReason: unknown = undefined;
  constructor(flags: FullFlags, children: FullChildSpec[], parent: Pid | null) {
    this.strategy = flags.strategy;
    this.intensity = new RestartIntensity(flags.intensity, flags.period);
    this.children = children.map((spec) => ({ spec, pid: null, restarting: false }));
    this.parent = parent;
  }
  getState(): unknown {
    return whichChildren(this);
  }
  getStatus(ctx: Context): SystemStatus {
    return {
      pid: ctx.self,
      status: this.suspended ? 'suspended' : 'running',
      behaviour: 'supervisor',
      state: { strategy: this.strategy, children: whichChildren(this) },
      queued: 0,
      hibernated: false,
      parent: this.parent,
    };
  }
  suspend(): void {
    this.suspended = true;
  }
  resume(): void {
    this.suspended = false;
  }
  replaceState(): void {
    throw new BadArgError('a supervisor state cannot be replaced');
  }
  setTracer(): void {
    // Supervisors are not traced (their traffic is starts and exits, seen by monitors).
  }
  changeCode(): void {
    // A supervisor's state is its children: nothing to transform.
  }
  prepareStop(): void {
    // Done by the loop (it has to wait for the children): see `stopRequested`.
  }
}

type FullFlags = ReturnType<typeof validateSupervisorFlags>;

function* supervisorLoop(ctx: Context, impl: SupervisorImpl<unknown[]>, raw: unknown[]): CallGen<void> {
  let marker: StartMarker | null = null;
  let args = raw;
  if (isStartMarker(raw[0])) {
    marker = raw[0];
    args = raw.slice(1);
  }
  ctx.trapExit(true);
  let flags: FullFlags;
  let specs: FullChildSpec[];
  try {
    const spec = impl.init(...args);
    if (typeof spec === 'object' && spec !== null && 'ignore' in spec && spec.ignore === true) {
      if (marker !== null) ackStart(ctx, marker, 'ignore');
      return;
    }
    if (typeof spec !== 'object' || spec === null) throw new InvalidChildSpecError('supervisor spec must be an object { strategy?, intensity?, period?, children }');
    const { children, ...rest } = spec as SupervisorSpec;
    flags = validateSupervisorFlags(rest);
    specs = validateChildSpecs(children);
  } catch (e) {
    const reason = e instanceof Error ? { kind: 'error', name: e.name, message: e.message } : e;
    if (marker !== null) ackStart(ctx, marker, { error: reason });
    return ctx.exit(reason);
  }
  const st = new SupervisorState(flags, specs, marker === null ? null : marker.starter);
  // 1. Start the children in order (an ignored temporary child's spec is not kept).
  for (const c of [...st.children]) {
    const r = yield* startChild(ctx, c.spec);
    if ('error' in r) {
      yield* shutdownAll(ctx, st);
      const reason = shutdownReason({ failedToStartChild: c.spec.id, reason: r.error });
      if (marker !== null) ackStart(ctx, marker, { error: reason });
      return ctx.exit(reason);
    }
    if ('ok' in r) c.pid = r.ok;
    else if (c.spec.restart === 'temporary') st.children.splice(st.children.indexOf(c), 1);
  }
  if (marker !== null) ackStart(ctx, marker, 'ok');
  // 2. Serve.
  for (;;) {
    const m = (yield (st.suspended ? ctx.receive(isSystemCall) : ctx.receive())) as unknown;
    if (isExitMessage(m)) {
      const e = m as ExitMsg;
      if (st.parent !== null && st.parent.equals(e.from)) {
        yield* shutdownAll(ctx, st);
        return ctx.exit(e.reason);
      }
      const i = st.children.findIndex((c) => c.pid !== null && c.pid.equals(e.from));
      if (i >= 0) yield* childExited(ctx, st, i, e.reason);
    } else if (isTryAgain(m)) {
      const c = st.children.find((x) => x.restarting && x.spec.id === m.id);
      if (c !== undefined) {
        c.restarting = false;
        yield* restart(ctx, st, c);
      }
    } else if (isCall(m)) {
      if (isSystemRequest(m.msg)) {
        if (m.msg.req === 'stop') {
          yield* shutdownAll(ctx, st);
          ctx.reply(m.from, 'ok');
          return ctx.exit(m.msg.reason);
        }
        handleSystemRequest(st, m.msg, m.from, ctx);
      } else if (isSupRequest(m.msg)) {
        const answer = yield* serve(ctx, st, m.msg);
        ctx.reply(m.from, answer);
      }
    }
  }
}

function isSupRequest(m: unknown): m is SupervisorRequest {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$sup';
}

function* childExited(ctx: Context, st: SupervisorState, i: number, reason: unknown): CallGen<void> {
  const c = st.children[i]!;
  c.pid = null;
  if (c.spec.restart === 'temporary') {
    st.children.splice(i, 1);
    return;
  }
  if (c.spec.restart === 'transient' && isCleanExit(reason)) return;
  yield* restart(ctx, st, c);
}

/**
 * Restart after `failed` died, by the strategy: one attempt, counted against the intensity.
 * A child that fails to start is marked restarting and the supervisor sends itself a
 * `$sup_try_again` (OTP's try_again_restart): the retry is one more restart, and calls
 * are answered in between (whichChildren shows it as 'restarting').
 */
function* restart(ctx: Context, st: SupervisorState, failed: Child): CallGen<void> {
  if (!st.intensity.add(ctx.now())) {
    yield* shutdownAll(ctx, st);
    return ctx.exit(shutdownReason('reached_max_restart_intensity'));
  }
  let group: Child[];
  if (st.strategy === 'one_for_one') group = [failed];
  else {
    const from = st.strategy === 'one_for_all' ? 0 : st.children.indexOf(failed);
    group = st.children.slice(from);
    // Shut the rest of the group down, last started first; temporary children go away.
    for (let j = group.length - 1; j >= 0; j--) {
      const c = group[j]!;
      c.restarting = false;
      if (c.pid !== null) {
        const pid = c.pid;
        c.pid = null;
        yield* shutdownChild(ctx, pid, c.spec.shutdown);
      }
    }
    const all = group;
    st.children = st.children.filter((c) => c.spec.restart !== 'temporary' || !all.includes(c));
    group = group.filter((c) => c.spec.restart !== 'temporary');
  }
  for (const c of group) {
    const r = yield* startChild(ctx, c.spec);
    if ('error' in r) {
      c.restarting = true;
      ctx.send(ctx.self, { type: '$sup_try_again', id: c.spec.id } satisfies TryAgain);
      return;
    }
    c.pid = 'ok' in r ? r.ok : null;
  }
}

/** Shut every running child down, last started first. */
function* shutdownAll(ctx: Context, st: SupervisorState): CallGen<void> {
  for (let j = st.children.length - 1; j >= 0; j--) {
    const c = st.children[j]!;
    if (c.pid === null) continue;
    const pid = c.pid;
    c.pid = null;
    yield* shutdownChild(ctx, pid, c.spec.shutdown);
  }
}

function whichChildren(st: SupervisorState): ChildInfo[] {
  return st.children.map((c) => ({ id: c.spec.id, pid: c.pid, restarting: c.restarting, type: c.spec.type, restart: c.spec.restart }));
}

function* serve(ctx: Context, st: SupervisorState, req: SupervisorRequest): CallGen<unknown> {
  switch (req.op) {
    case 'whichChildren':
      return whichChildren(st);
    case 'getChildSpec': {
      const c = st.children.find((x) => x.spec.id === req.id);
      if (c === undefined) return { error: 'not_found' };
      const b = c.spec.start.behaviour;
      // A reply is data: a Behaviour travels as its { module, export } reference.
      const behaviour = b instanceof Behaviour ? { module: b.module, export: b.exportName } : { module: b.module, export: b.export };
      return { ok: { ...c.spec, start: { ...c.spec.start, behaviour } } };
    }
    case 'countChildren': {
      let active = 0;
      let supervisors = 0;
      for (const c of st.children) {
        if (c.pid !== null) active++;
        if (c.spec.type === 'supervisor') supervisors++;
      }
      return { specs: st.children.length, active, supervisors, workers: st.children.length - supervisors };
    }
    case 'startChild': {
      let spec: FullChildSpec;
      try {
        spec = validateChildSpec(req.spec);
      } catch (e) {
        return { error: { kind: 'invalidChildSpec', message: (e as Error).message } };
      }
      const existing = st.children.find((c) => c.spec.id === spec.id);
      if (existing !== undefined) return { error: existing.pid !== null ? { alreadyStarted: existing.pid } : 'already_present' };
      const r = yield* startChild(ctx, spec);
      if ('error' in r) return r;
      const pid = 'ok' in r ? r.ok : null;
      // An ignored temporary child is not kept (OTP: its spec could only be restarted by hand).
      if (pid !== null || spec.restart !== 'temporary') st.children.push({ spec, pid, restarting: false });
      return { ok: pid };
    }
    case 'terminateChild': {
      const i = st.children.findIndex((c) => c.spec.id === req.id);
      if (i < 0) return { error: 'not_found' };
      const c = st.children[i]!;
      c.restarting = false;
      if (c.pid !== null) {
        const pid = c.pid;
        c.pid = null;
        yield* shutdownChild(ctx, pid, c.spec.shutdown);
      }
      if (c.spec.restart === 'temporary') st.children.splice(i, 1);
      return 'ok';
    }
    case 'restartChild': {
      const c = st.children.find((x) => x.spec.id === req.id);
      if (c === undefined) return { error: 'not_found' };
      if (c.pid !== null) return { error: 'running' };
      if (c.restarting) return { error: 'restarting' };
      const r = yield* startChild(ctx, c.spec);
      if ('error' in r) return r;
      c.pid = 'ok' in r ? r.ok : null;
      return { ok: c.pid };
    }
    case 'deleteChild': {
      const i = st.children.findIndex((c) => c.spec.id === req.id);
      if (i < 0) return { error: 'not_found' };
      if (st.children[i]!.pid !== null) return { error: 'running' };
      if (st.children[i]!.restarting) return { error: 'restarting' };
      st.children.splice(i, 1);
      return 'ok';
    }
    default:
      return { error: 'unknown_request' };
  }
}

// -----------------------------------------------------------------------------------
// Portable specs (for requests and other threads)
// -----------------------------------------------------------------------------------
