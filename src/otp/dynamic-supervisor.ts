/**
 * DynamicSupervisor: OTP's simple_one_for_one — one template child spec, children started
 * on demand with extra arguments, any number of them, restarted one for one.
 *
 *   const sup = await DynamicSupervisor.start(node, { child: { id: 'session', start: {
 *     behaviour: Session, args: [config] }, restart: 'temporary' }, intensity: 10 });
 *   const r = await DynamicSupervisor.startChild(node, sup, [userId]);  // args: [config, userId]
 *
 * Spec: { child: ChildSpec (the template; see child-spec.ts), intensity?, period?,
 *         maxChildren? (default: no limit) }
 *
 * Generic loop (a process-style actor trapping exits):
 *   1. Validate the spec, ack the starter (start-ack.ts). No child runs yet.
 *   2. Receive:
 *      - `$call` startChild(extraArgs): start `template.args ++ extraArgs` (waiting for its
 *        init), remember pid → args → `{ ok: pid } | { ok: null } (ignore) | { error }`;
 *        `{ error: 'max_children' }` when full.
 *      - `$call` terminateChild(pid): shutdown protocol (child-lifecycle.ts) → 'ok' |
 *        `{ error: 'not_found' }`. whichChildren / countChildren as Supervisor's.
 *      - EXIT from a child: by the template's restart type, restart it with the same args
 *        (counted against intensity/period; past it, every child is shut down and the
 *        supervisor exits `{ kind: 'shutdown', reason: 'reached_max_restart_intensity' }`).
 *        A restart that fails marks the child restarting (listed with its old pid,
 *        `restarting: true`, not active) and sends self `{ type: '$dynsup_try_again',
 *        key }`, which retries it as one more restart (OTP's try_again_restart).
 *      - terminateChild of a restarting child: it is forgotten ('ok').
 *      - EXIT from the parent, or a `stop` system request: every child is shut down at once
 *        (all are sent 'shutdown' together, then killed when the template's shutdown
 *        timeout expires; 'brutal_kill' kills them all), then exit.
 */
import { defineActor, type Behaviour } from '../core/behaviour.ts';
import { isCall } from '../core/call-protocol.ts';
import { Context } from '../core/context.ts';
import { BadArgError } from '../core/errors.ts';
import type { Node } from '../core/node.ts';
import type { Pid, Ref } from '../core/pid.ts';
import { TIMEOUT, isExitMessage } from '../core/reason.ts';
import { callOut, type CallGen, type CallOut as Out, type Via } from './call.ts';
import { startChild } from './child-lifecycle.ts';
import { kSupervisorFlagChecks, validateChildSpec, validateSupervisorFlags, type ChildSpec, type FullChildSpec } from './child-spec.ts';
import { checkOptions, mustBeNonNegativeInteger, type OptionCheck } from '../core/options.ts';
import { InvalidChildSpecError, isCleanExit, shutdownReason } from './errors.ts';
import { GenServer, type StartOptions } from './gen-server.ts';
import { RestartIntensity } from './restart-intensity.ts';
import { ackStart, isStartMarker, markAcksStart, type StartMarker } from './start-ack.ts';
import { handleSystemRequest, isSystemCall, isSystemRequest, type SystemServer, type SystemStatus } from './sys.ts';
import { specForNode } from './portable.ts';
import type { ChildCounts, StartChildResult } from './supervisor.ts';

export interface DynamicSupervisorSpec {
  readonly child: ChildSpec;
  readonly intensity?: number;
  readonly period?: number;
  readonly maxChildren?: number;
}

export type DynamicRequest =
  | { readonly type: '$dynsup'; readonly op: 'startChild'; readonly args: readonly unknown[] }
  | { readonly type: '$dynsup'; readonly op: 'terminateChild'; readonly pid: Pid }
  | { readonly type: '$dynsup'; readonly op: 'whichChildren' | 'countChildren' };

export interface DynamicChildInfo {
  /** The child's pid (while restarting: the pid of the process that died). */
  readonly pid: Pid;
  readonly args: readonly unknown[];
  /** A failed restart waits for its retry (OTP shows `restarting` in place of the pid). */
  readonly restarting: boolean;
}

interface DynamicChild {
  pid: Pid;
  readonly args: readonly unknown[];
  restarting: boolean;
}

/** What the supervisor sends itself to retry a failed restart (OTP's try_again_restart). */
interface TryAgain {
  readonly type: '$dynsup_try_again';
  readonly key: string;
}

function isTryAgain(m: unknown): m is TryAgain {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$dynsup_try_again' && typeof (m as { key?: unknown }).key === 'string';
}

// -----------------------------------------------------------------------------------
// Definition
// -----------------------------------------------------------------------------------

export const DynamicSupervisorProcess: Behaviour<[DynamicSupervisorSpec]> = defineActor(import.meta.url, function* dynamicSupervisor(ctx: Context, ...raw: unknown[]) {
  return yield* dynamicLoop(ctx, raw);
}, 'DynamicSupervisorProcess') as unknown as Behaviour<[DynamicSupervisorSpec]>;
markAcksStart(DynamicSupervisorProcess);

// -----------------------------------------------------------------------------------
// API
// -----------------------------------------------------------------------------------

function request<V extends Via, R>(via: V, sup: Pid | string, req: DynamicRequest): Out<V, R> {
  return callOut<V, R>(via, sup, req, 60_000);
}

function start(ctx: Context, spec: DynamicSupervisorSpec, opts?: StartOptions): CallGen<Pid | null>;
function start(node: Node, spec: DynamicSupervisorSpec, opts?: StartOptions): Promise<Pid | null>;
function start(via: Via, spec: DynamicSupervisorSpec, opts?: StartOptions): CallGen<Pid | null> | Promise<Pid | null> {
  if (via instanceof Context) return GenServer.start(via, DynamicSupervisorProcess, [spec], opts);
  return GenServer.start(via, DynamicSupervisorProcess, [specForNode(via, spec)], opts);
}

function startLink(ctx: Context, spec: DynamicSupervisorSpec, opts?: StartOptions): CallGen<Pid | null> {
  return GenServer.startLink(ctx, DynamicSupervisorProcess, [spec], opts);
}

export const DynamicSupervisor = {
  start,
  startLink,
  /** Start a child with the template's args followed by `extraArgs`. */
  startChild<V extends Via>(via: V, sup: Pid | string, extraArgs: readonly unknown[] = []): Out<V, StartChildResult> {
    return request(via, sup, { type: '$dynsup', op: 'startChild', args: extraArgs });
  },
  terminateChild<V extends Via>(via: V, sup: Pid | string, pid: Pid): Out<V, 'ok' | { error: 'not_found' }> {
    return request(via, sup, { type: '$dynsup', op: 'terminateChild', pid });
  },
  whichChildren<V extends Via>(via: V, sup: Pid | string): Out<V, DynamicChildInfo[]> {
    return request(via, sup, { type: '$dynsup', op: 'whichChildren' });
  },
  countChildren<V extends Via>(via: V, sup: Pid | string): Out<V, ChildCounts> {
    return request(via, sup, { type: '$dynsup', op: 'countChildren' });
  },
};
// -----------------------------------------------------------------------------------
// Generic loop
// -----------------------------------------------------------------------------------

class DynamicState implements SystemServer {
  readonly template: FullChildSpec;
  readonly intensity: RestartIntensity;
  readonly maxChildren: number;
  readonly parent: Pid | null;
  /**
   * Children in start order: the pid's printable form → pid and extra args; `restarting`:
   * its restart failed and waits for its retry (the pid is then the one that died).
   */
  readonly children = new Map<string, DynamicChild>();
  suspended = false;
  constructor(template: FullChildSpec, intensity: RestartIntensity, maxChildren: number, parent: Pid | null) {
    this.template = template;
    this.intensity = intensity;
    this.maxChildren = maxChildren;
    this.parent = parent;
  }
  getState(): unknown {
    return which(this);
  }
  getStatus(ctx: Context): SystemStatus {
    return { pid: ctx.self, status: this.suspended ? 'suspended' : 'running', behaviour: 'dynamic_supervisor', state: { children: this.children.size }, queued: 0, hibernated: false, parent: this.parent };
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
  setTracer(): void {}
  changeCode(): void {}
  prepareStop(): void {}
}

/** The spec's fields other than the child (validated by validateChildSpec): options. */
const kDynamicSpecChecks: Readonly<Record<string, OptionCheck>> = {
  child: () => null,
  intensity: kSupervisorFlagChecks.intensity!,
  period: kSupervisorFlagChecks.period!,
  maxChildren: mustBeNonNegativeInteger,
};

function* dynamicLoop(ctx: Context, raw: unknown[]): CallGen<void> {
  let marker: StartMarker | null = null;
  let args = raw;
  if (isStartMarker(raw[0])) {
    marker = raw[0];
    args = raw.slice(1);
  }
  ctx.trapExit(true);
  let st: DynamicState;
  try {
    const spec = args[0] as DynamicSupervisorSpec;
    if (typeof spec !== 'object' || spec === null) throw new InvalidChildSpecError('dynamic supervisor spec must be an object { child, intensity?, period?, maxChildren? }');
    checkOptions('dynamic supervisor spec', kDynamicSpecChecks, spec);
    const { child, maxChildren, intensity, period } = spec;
    const f = validateSupervisorFlags({ intensity, period }, 'dynamic supervisor spec');
    st = new DynamicState(validateChildSpec(child), new RestartIntensity(f.intensity, f.period), maxChildren ?? Infinity, marker === null ? null : marker.starter);
  } catch (e) {
    const reason = e instanceof Error ? { kind: 'error', name: e.name, message: e.message } : e;
    if (marker !== null) ackStart(ctx, marker, { error: reason });
    return ctx.exit(reason);
  }
  if (marker !== null) ackStart(ctx, marker, 'ok');
  for (;;) {
    const m = (yield (st.suspended ? ctx.receive(isSystemCall) : ctx.receive())) as { type?: unknown; from?: unknown; msg?: unknown; reason?: unknown };
    if (isExitMessage(m)) {
      const from = m.from;
      if (st.parent !== null && st.parent.equals(from)) {
        yield* shutdownAll(ctx, st);
        return ctx.exit(m.reason);
      }
      const key = String(from);
      const c = st.children.get(key);
      if (c === undefined || c.restarting) continue;
      const restart = st.template.restart;
      if (restart === 'temporary' || (restart === 'transient' && isCleanExit(m.reason))) {
        st.children.delete(key);
        continue;
      }
      yield* restartChild(ctx, st, key, c);
    } else if (isTryAgain(m)) {
      const c = st.children.get(m.key);
      if (c !== undefined && c.restarting) {
        c.restarting = false;
        yield* restartChild(ctx, st, m.key, c);
      }
    } else if (isCall(m)) {
      const from = m.from;
      const req = m.msg;
      if (isSystemRequest(req)) {
        if (req.req === 'stop') {
          yield* shutdownAll(ctx, st);
          ctx.reply(from, 'ok');
          return ctx.exit(req.reason);
        }
        handleSystemRequest(st, req, from, ctx);
      } else if (isDynamicRequest(req)) {
        ctx.reply(from, yield* serve(ctx, st, req));
      }
    }
  }
}

function isDynamicRequest(m: unknown): m is DynamicRequest {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$dynsup';
}

function which(st: DynamicState): DynamicChildInfo[] {
  const out: DynamicChildInfo[] = [];
  for (const c of st.children.values()) out.push({ pid: c.pid, args: c.args, restarting: c.restarting });
  return out;
}

function* serve(ctx: Context, st: DynamicState, req: DynamicRequest): CallGen<unknown> {
  switch (req.op) {
    case 'startChild': {
      if (!Array.isArray(req.args)) return { error: 'args must be an array' };
      if (st.children.size >= st.maxChildren) return { error: 'max_children' };
      const r = yield* startChild(ctx, st.template, req.args);
      if ('ok' in r) {
        st.children.set(String(r.ok), { pid: r.ok, args: req.args, restarting: false });
        return { ok: r.ok };
      }
      if ('ignore' in r) return { ok: null };
      return r;
    }
    case 'terminateChild': {
      const c = st.children.get(String(req.pid));
      if (c === undefined) return { error: 'not_found' };
      st.children.delete(String(req.pid));
      if (!c.restarting) yield* shutdownMany(ctx, [c.pid], st.template.shutdown);
      return 'ok';
    }
    case 'whichChildren':
      return which(st);
    case 'countChildren': {
      const n = st.children.size;
      let active = 0;
      for (const c of st.children.values()) if (!c.restarting) active++;
      const sup = st.template.type === 'supervisor';
      return { specs: n, active, supervisors: sup ? n : 0, workers: sup ? 0 : n } satisfies ChildCounts;
    }
    default:
      return { error: 'unknown_request' };
  }
}

/**
 * Restart the child under `key` with its args: one attempt, counted against the
 * intensity. Started: it is listed under its new pid. Ignored: it is gone. Failed: it is
 * marked restarting and a `$dynsup_try_again` to self retries it later (calls queued
 * meanwhile are answered first), as OTP's try_again_restart.
 */
function* restartChild(ctx: Context, st: DynamicState, key: string, c: DynamicChild): CallGen<void> {
  if (!st.intensity.add(ctx.now())) {
    yield* shutdownAll(ctx, st);
    return ctx.exit(shutdownReason('reached_max_restart_intensity'));
  }
  const r = yield* startChild(ctx, st.template, c.args);
  if ('error' in r) {
    c.restarting = true;
    ctx.send(ctx.self, { type: '$dynsup_try_again', key } satisfies TryAgain);
    return;
  }
  st.children.delete(key);
  if ('ok' in r) st.children.set(String(r.ok), { pid: r.ok, args: c.args, restarting: false });
}

function* shutdownAll(ctx: Context, st: DynamicState): CallGen<void> {
  const pids: Pid[] = [];
  for (const c of st.children.values()) if (!c.restarting) pids.push(c.pid);
  st.children.clear();
  yield* shutdownMany(ctx, pids, st.template.shutdown);
}

/** The shutdown protocol of child-lifecycle.ts, for many children at once. */
function* shutdownMany(ctx: Context, pids: Pid[], shutdown: FullChildSpec['shutdown']): CallGen<void> {
  const refs = new Map<string, { pid: Pid; ref: Ref }>();
  for (const pid of pids) {
    const ref = ctx.monitor(pid);
    ctx.unlink(pid);
    refs.set(String(ref), { pid, ref });
    ctx.exit(pid, shutdown === 'brutal_kill' ? 'kill' : 'shutdown');
  }
  const deadline = typeof shutdown === 'number' ? ctx.now() + shutdown : Infinity;
  const isOurDown = (m: unknown): boolean => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'DOWN' && refs.has(String((m as { ref?: unknown }).ref));
  while (refs.size > 0) {
    const left = deadline === Infinity ? undefined : Math.max(0, deadline - ctx.now());
    const m = (yield ctx.receive(isOurDown, left)) as { ref: Ref } | typeof TIMEOUT;
    if (m === TIMEOUT) {
      for (const { pid } of refs.values()) ctx.exit(pid, 'kill');
      while (refs.size > 0) {
        const d = (yield ctx.receive(isOurDown)) as { ref: Ref };
        refs.delete(String(d.ref));
      }
      break;
    }
    refs.delete(String(m.ref));
  }
  for (const pid of pids) yield ctx.receive({ type: 'EXIT', from: pid }, 0);
}

