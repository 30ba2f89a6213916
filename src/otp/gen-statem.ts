/**
 * GenStatem: OTP's gen_statem — an event-driven state machine — as a core Behaviour
 * (handler style: a generic handler wraps the user's impl), so it is spawned by every
 * spawn API, on any scheduler (by module + export), and called with `node.call(pid, msg)`,
 * `yield* GenStatem.call(ctx, pid, msg)` or `GenServer.call` (same wire format:
 * `{ type: '$call', from: { pid, ref }, msg }` answered with `ctx.reply(from, v)`; casts
 * `{ type: '$cast', msg }`). It answers the start protocol (start-ack.ts) and the `$system`
 * requests (sys.ts: getState -> { state, data }, suspend / resume, trace, ...).
 *
 *   export const Door = defineGenStatem(import.meta.url, {
 *     init: (ctx, code: string) => ({ next: 'locked', data: { code } }),
 *     stateEnter: true,
 *     states: {
 *       locked(ev, content, data, ctx) { ... return { next: 'open', data, actions: [Statem.reply(ev.from, 'ok')] } },
 *       open(ev, content, data, ctx) { ... },
 *     },
 *   }, 'Door');
 *
 * Callbacks and their return shapes:
 *   init(ctx, ...args)
 *       -> { next: state, data, actions? }      start in `state` (enter call first, when
 *                                               stateEnter), then run `actions`
 *        | { stop: reason }                     start fails; the process exits with reason
 *        | { ignore: true }                     no process; exits 'normal'
 *        | { error: reason }                    start fails with reason; exits 'normal'
 *   states[state](event, content, data, ctx)   state functions mode (the default), or
 *   handleEvent(event, content, state, data, ctx)   handle-event mode (if defined), where
 *       event: { type: 'call', from } | { type: 'cast' | 'info' | 'stateTimeout' |
 *              'timeout' | 'enter' | 'internal' } | { type: 'genericTimeout', name }
 *       -> { next: state, data?, actions? }     transition (a different state is a state
 *                                               change; the same state is not)
 *        | { keep: true, data?, actions? }      stay (Erlang's keep_state)
 *        | { repeat: true, data?, actions? }    stay, and run the enter call again
 *        | { stop: reason, data?, actions? }    reply actions are honoured, then the
 *                                               process exits with reason (terminate runs)
 *       An enter call (content = the previous state) may not change state, postpone, or
 *       insert events.
 *   terminate(reason, state, data, ctx)          on stop, a crash in a callback, or
 *                                               shutdown when trapping exits
 *   codeChange(oldVsn, state, data, extra)  -> { ok: { state, data } } | { error: reason }
 *       (hot code reload: called by the core when the actor moves to this version)
 *
 * Actions: the `Statem.*` builders (gen-statem-actions.ts): reply, postpone, hibernate, state / event
 * / generic time-outs (start, cancel, update), nextEvent. The time-outs live in a table
 * with a queue of zero time-outs (gen-statem-timeouts.ts).
 *
 * Generic loop (`handle` of the wrapper, per message):
 *   1. `$call` of a `$system` request -> sys.ts (answered even when suspended).
 *   2. EXIT from the parent (a supervisor) -> terminate, exit with its reason.
 *   3. Suspended -> the message is queued (resume replays the queue in order).
 *   4. A timer message of ours: dropped if stale (cancelled or restarted), else it becomes
 *      its event. `$call` -> call event, `$cast` -> cast, anything else -> info.
 *   5. Any event (from the mailbox, inserted, retried, a time-out) cancels the event
 *      time-out; the state function runs; its result is applied: data, replies, time-outs;
 *      on a state change the state time-out is cancelled and the queue of events to run
 *      becomes [inserted nextEvents..., postponed events in arrival order..., what was
 *      queued]; with stateEnter the new state's enter call runs first.
 *   6. Before the next mailbox message, in the same `handle`: the queued events, then the
 *      zero time-outs in the order they were set (OTP's dedicated queue), each through 5.
 *   A callback returning anything else ends the process with
 *   `{ kind: 'bad_return_value', callback, value }`; a missing state function with
 *   `{ kind: 'bad_state', state }`.
 */
import { defineActor, type Behaviour, type CodeChangeResult, type HandlerImpl } from '../core/behaviour.ts';
import type { From } from '../core/call-protocol.ts';
import { contextInInit, type Context } from '../core/context.ts';
import { BadArgError } from '../core/errors.ts';
import type { Node } from '../core/node.ts';
import type { Pid } from '../core/pid.ts';
import { CAST, ENTER, INFO, type StatemAction, type StatemEvent } from './gen-statem-actions.ts';
import { StatemTimeouts, kEvent, kGeneric, kState, type TimeoutMessage } from './gen-statem-timeouts.ts';
import { callVia, castVia, type CallGen, type Via } from './call.ts';
import { GenServer } from './gen-server.ts';
import { ackStart, markAcksStart } from './start-ack.ts';
import { badReturn, failInit, splitStartArgs, trapsExits, type BadReturnReason } from './callback-result.ts';
import { GenericRecord } from './generic-record.ts';
import { Sys, handleSystemRequest, isSystemCall, sendTrace, stopProcess } from './sys.ts';

// -------------------------------------------------------------------------------------
// Types
// -------------------------------------------------------------------------------------

export { Statem, type StatemAction, type StatemEvent, type TimeoutMs } from './gen-statem-actions.ts';

type Actions = { readonly actions?: readonly StatemAction[] };

export type StatemResult<S, D> =
  | ({ readonly next: S; readonly data?: D } & Actions)
  | ({ readonly keep: true; readonly data?: D } & Actions)
  | ({ readonly repeat: true; readonly data?: D } & Actions)
  | ({ readonly stop: unknown; readonly data?: D } & Actions);

export type StatemInitResult<S, D> = ({ readonly next: S; readonly data: D } & Actions) | { readonly stop: unknown } | { readonly ignore: true } | { readonly error: unknown };

export type StateFunction<S, D> = (event: StatemEvent, content: any, data: D, ctx: Context) => StatemResult<S, D>;

export interface GenStatemImpl<S extends string, D, A extends unknown[]> {
  init(ctx: Context, ...args: A): StatemInitResult<S, D>;
  /** Call the state function with an `enter` event on every state change (and at start). */
  stateEnter?: boolean;
  /** State functions mode: one function per state. */
  states?: { readonly [K in S]?: StateFunction<S, D> };
  /** Handle-event mode: one function for every state (used when defined). */
  handleEvent?(event: StatemEvent, content: any, state: S, data: D, ctx: Context): StatemResult<S, D>;
  terminate?(reason: unknown, state: S, data: D, ctx: Context): void;
  codeChange?(oldVsn: unknown, state: S, data: D, extra: unknown): { readonly ok: { readonly state: S; readonly data: D } } | { readonly error: unknown };
}

/** Exit reason of a callback that returned an unknown shape (the same as GenServer's). */
export type StatemBadReturnReason = BadReturnReason;

// -------------------------------------------------------------------------------------
// Definition
// -------------------------------------------------------------------------------------

/** A GenStatem behaviour: a core Behaviour. */
export type GenStatem<A extends unknown[] = any[]> = Behaviour<A>;

export function defineGenStatem<S extends string, D, A extends unknown[] = []>(moduleUrl: string, impl: GenStatemImpl<S, D, A>, exportName?: string): GenStatem<A> {
  if (typeof impl !== 'object' || impl === null) throw new BadArgError('defineGenStatem: impl must be an object of callbacks');
  if (typeof impl.init !== 'function') throw new BadArgError('defineGenStatem: impl.init must be a function');
  if (impl.handleEvent !== undefined && typeof impl.handleEvent !== 'function') throw new BadArgError('defineGenStatem: impl.handleEvent must be a function');
  if (impl.handleEvent === undefined) {
    if (typeof impl.states !== 'object' || impl.states === null) throw new BadArgError('defineGenStatem: impl.states (state functions) or impl.handleEvent is required');
    for (const [k, f] of Object.entries(impl.states)) if (typeof f !== 'function') throw new BadArgError(`defineGenStatem: impl.states.${k} must be a function`);
  }
  for (const k of ['terminate', 'codeChange'] as const) {
    if (impl[k] !== undefined && typeof impl[k] !== 'function') throw new BadArgError(`defineGenStatem: impl.${k} must be a function`);
  }
  if (impl.stateEnter !== undefined && typeof impl.stateEnter !== 'boolean') throw new BadArgError('defineGenStatem: impl.stateEnter must be a boolean');
  const b = defineActor(moduleUrl, makeHandler(impl as unknown as AnyImpl) as HandlerImpl<StatemRecord, unknown, unknown[]>, exportName);
  markAcksStart(b);
  return b as unknown as GenStatem<A>;
}

// -------------------------------------------------------------------------------------
// Generic loop
// -------------------------------------------------------------------------------------

type AnyImpl = GenStatemImpl<string, unknown, unknown[]>;
type Queued = [StatemEvent, unknown];

/** The wrapper's state: the machine's state and data plus the loop's own fields. */
class StatemRecord extends GenericRecord {
  state = '';
  data: unknown = undefined;
  impl: AnyImpl;
  handler: StatemHandler;
  /** Events postponed in the current state, in arrival order. */
  postponed: Queued[] | null = null;
  /** Events to run before the zero time-outs and the next mailbox message (inserted, retried). */
  pending: Queued[] | null = null;
  /** Events put at the front of `pending` by the actions being applied (nextEvent). */
  insertedNow = 0;
  readonly timeouts = new StatemTimeouts();
  /** A hibernate action ran; the next message (not a system request) clears it. */
  hibernated = false;
  protected readonly kind = 'gen_statem';
  constructor(impl: AnyImpl, handler: StatemHandler, parent: Pid | null) {
    super(parent);
    this.impl = impl;
    this.handler = handler;
  }

  getState(): unknown {
    return { state: this.state, data: this.data };
  }
  replaceState(v: unknown): void {
    const s = v as { state?: unknown; data?: unknown };
    if (typeof s !== 'object' || s === null || typeof s.state !== 'string') throw new BadArgError('replaceState: a GenStatem state is { state, data }');
    this.state = s.state;
    this.data = s.data;
  }
  protected handleQueued(msg: unknown, ctx: Context): void {
    dispatch(this, msg, ctx);
  }
  protected statusState(): unknown {
    return { state: this.state, data: this.data, timeouts: this.timeouts.describe(), postponed: this.postponed === null ? 0 : this.postponed.length };
  }
  protected isHibernated(): boolean {
    return this.hibernated;
  }
  protected moveCode(oldVsn: unknown, extra: unknown): CodeChangeResult<unknown> {
    return this.handler.codeChange(oldVsn, this, extra);
  }
  protected runTerminate(reason: unknown, ctx: Context): void {
    if (this.impl.terminate !== undefined) this.impl.terminate(reason, this.state, this.data, ctx);
  }
}

export interface StatemHandler extends HandlerImpl<StatemRecord, unknown, unknown[]> {
  /** Hot code reload (core hook) and Sys.changeCode: move the record to this version. */
  codeChange(oldVsn: unknown, record: StatemRecord, extra: unknown): CodeChangeResult<StatemRecord>;
}

function makeHandler(impl: AnyImpl): StatemHandler {
  const handler: StatemHandler = {
    init(...raw: unknown[]): StatemRecord {
      const ctx = contextInInit();
      const { marker, args } = splitStartArgs(raw);
      const rec = new StatemRecord(impl, handler, marker === null ? null : marker.starter);
      const r = impl.init(ctx, ...args) as StatemInitResult<string, unknown> | undefined;
      if (typeof r === 'object' && r !== null && 'next' in r && typeof r.next === 'string') {
        rec.state = r.next;
        rec.data = r.data;
        if (marker !== null) ackStart(ctx, marker, 'ok');
        // The initial state's enter call, then init's actions, then inserted events and
        // zero time-outs.
        if (impl.stateEnter === true) enter(rec, r.next, ctx);
        applyActions(rec, null, r.actions, false, ctx);
        runPending(rec, ctx);
        return rec;
      }
      return failInit(ctx, marker, r);
    },
    handle(msg: unknown, rec: StatemRecord, ctx: Context): StatemRecord {
      dispatch(rec, msg, ctx);
      return rec;
    },
    terminate(reason: unknown, rec: StatemRecord, ctx: Context): void {
      if (rec.terminated || impl.terminate === undefined) return;
      if (!rec.stopping && !rec.inCallback && !trapsExits(ctx)) return;
      rec.terminated = true;
      impl.terminate(reason, rec.state, rec.data, ctx);
    },
    codeChange(oldVsn: unknown, rec: StatemRecord, extra: unknown): CodeChangeResult<StatemRecord> {
      rec.impl = impl;
      rec.handler = handler;
      if (impl.codeChange === undefined) return { ok: rec };
      const r = impl.codeChange(oldVsn, rec.state, rec.data, extra);
      if (typeof r === 'object' && r !== null && 'ok' in r && typeof r.ok === 'object' && r.ok !== null && typeof r.ok.state === 'string') {
        rec.state = r.ok.state;
        rec.data = r.ok.data;
        return { ok: rec };
      }
      return { error: typeof r === 'object' && r !== null && 'error' in r ? r.error : badReturn('codeChange', r) };
    },
  };
  return handler;
}

interface Envelope {
  readonly type?: unknown;
  readonly msg?: unknown;
  readonly from?: From;
  readonly reason?: unknown;
}

function dispatch(rec: StatemRecord, msg: unknown, ctx: Context): void {
  const m = (typeof msg === 'object' && msg !== null ? msg : null) as Envelope | null;
  const type = m === null ? undefined : m.type;
  if (isSystemCall(msg)) {
    handleSystemRequest(rec, msg.msg, msg.from, ctx);
    return;
  }
  rec.hibernated = false;
  if (type === 'EXIT' && rec.parent !== null && rec.parent.equals((m as { from?: unknown }).from)) {
    rec.stopping = true;
    ctx.exit(m!.reason);
  }
  if (rec.suspended) {
    rec.enqueue(msg);
    return;
  }
  let event: StatemEvent;
  let content: unknown;
  if (type === '$statem_timeout') {
    const fired = rec.timeouts.fired(msg as TimeoutMessage);
    if (fired === null) return; // stale: cancelled or restarted since
    event = fired[0];
    content = fired[1];
  } else if (type === '$call') {
    event = { type: 'call', from: m!.from! };
    content = m!.msg;
  } else if (type === '$cast') {
    event = CAST;
    content = m!.msg;
  } else {
    event = INFO;
    content = msg;
  }
  if (rec.tracer !== null) sendTrace(rec, 'in', msg, undefined, ctx);
  runEvent(rec, event, content, ctx);
  runPending(rec, ctx);
}

/**
 * Run, before the next mailbox message, the events inserted or retried by the last
 * transitions, then the zero time-outs in the order they were set (each event run may
 * insert more, or cancel a zero time-out: both are looked at again after every event).
 */
function runPending(rec: StatemRecord, ctx: Context): void {
  for (;;) {
    if (rec.suspended) return;
    const p = rec.pending;
    if (p !== null && p.length > 0) {
      const [event, content] = p.shift()!;
      runEvent(rec, event, content, ctx);
      continue;
    }
    if (p !== null) rec.pending = null;
    const zero = rec.timeouts.takeZero();
    if (zero === null) return;
    runEvent(rec, zero[0], zero[1], ctx);
  }
}

function runEvent(rec: StatemRecord, event: StatemEvent, content: unknown, ctx: Context): void {
  // Any event cancels a running event time-out: one from the mailbox, an inserted one, a
  // retried postponed one, another time-out (the event time-out's own slot is gone by now).
  if (rec.timeouts.hasEventTimeout) rec.timeouts.cancel(kEvent, undefined, ctx);
  const r = callState(rec, event, content, ctx);
  apply(rec, event, content, r, ctx);
}

function callState(rec: StatemRecord, event: StatemEvent, content: unknown, ctx: Context): StatemResult<string, unknown> {
  const impl = rec.impl;
  rec.inCallback = true;
  let r: StatemResult<string, unknown>;
  if (impl.handleEvent !== undefined) {
    r = impl.handleEvent(event, content, rec.state, rec.data, ctx);
  } else {
    const f = impl.states![rec.state];
    if (f === undefined) {
      rec.stopping = true;
      ctx.exit(Object.freeze({ kind: 'bad_state', state: rec.state }));
    }
    r = f(event, content, rec.data, ctx);
  }
  rec.inCallback = false;
  return r;
}

/** Apply a state function's result to the record. */
function apply(rec: StatemRecord, event: StatemEvent, content: unknown, r: StatemResult<string, unknown>, ctx: Context): void {
  if (typeof r !== 'object' || r === null) return badResult(rec, r, ctx);
  if ('stop' in r) {
    if ('data' in r) rec.data = r.data;
    if (r.actions !== undefined) for (const a of r.actions) if (a.type === 'reply') reply(rec, a.from, a.value, ctx);
    rec.stopping = true;
    ctx.exit(r.stop);
  }
  let next: string;
  let repeat = false;
  if ('next' in r) {
    if (typeof r.next !== 'string') return badResult(rec, r, ctx);
    next = r.next;
  } else if ('keep' in r && r.keep === true) {
    next = rec.state;
  } else if ('repeat' in r && r.repeat === true) {
    next = rec.state;
    repeat = true;
  } else {
    return badResult(rec, r, ctx);
  }
  if ('data' in r) rec.data = r.data;
  const prev = rec.state;
  const changed = next !== prev;
  rec.state = next;
  // A state change cancels the state time-out (before this transition's actions start one).
  if (changed && rec.timeouts.hasStateTimeout) rec.timeouts.cancel(kState, undefined, ctx);
  const postpone = applyActions(rec, [event, content], r.actions, false, ctx);
  if (postpone) (rec.postponed ??= []).push([event, content]);
  if (changed && rec.postponed !== null) {
    // Retry the postponed events, in arrival order, before anything else queued (but after
    // the events this transition inserted, which applyActions put in front already).
    const retry = rec.postponed;
    rec.postponed = null;
    const inserted = rec.insertedNow;
    rec.insertedNow = 0;
    const p = (rec.pending ??= []);
    p.splice(inserted, 0, ...retry);
  }
  rec.insertedNow = 0;
  if ((changed || repeat) && rec.impl.stateEnter === true) enter(rec, prev, ctx);
}

/** Run the enter call of the current state (content: the previous state). */
function enter(rec: StatemRecord, prev: string, ctx: Context): void {
  const r = callState(rec, ENTER, prev, ctx);
  if (typeof r !== 'object' || r === null) return badResult(rec, r, ctx);
  if ('stop' in r) return apply(rec, ENTER, prev, r, ctx);
  if ('next' in r && r.next !== rec.state) {
    rec.stopping = true;
    ctx.exit(Object.freeze({ kind: 'bad_state_enter_return', state: rec.state, next: String(r.next) }));
  }
  if (!('next' in r) && !('keep' in r && r.keep === true) && !('repeat' in r && r.repeat === true)) return badResult(rec, r, ctx);
  if ('data' in r) rec.data = r.data;
  applyActions(rec, null, r.actions, true, ctx);
  if ('repeat' in r && r.repeat === true) enter(rec, prev, ctx);
}

/**
 * Apply actions in order. Returns whether the current event is postponed. `nextEvent`s
 * are put at the front of `pending` in their order (before events already there).
 */
function applyActions(rec: StatemRecord, current: Queued | null, actions: readonly StatemAction[] | undefined, inEnter: boolean, ctx: Context): boolean {
  rec.insertedNow = 0;
  if (actions === undefined) return false;
  if (!Array.isArray(actions)) {
    rec.stopping = true;
    ctx.exit(badReturn('actions', actions));
  }
  let postpone = false;
  for (const a of actions) {
    switch (a?.type) {
      case 'reply':
        reply(rec, a.from, a.value, ctx);
        break;
      case 'postpone':
        if (inEnter || current === null) {
          rec.stopping = true;
          ctx.exit(Object.freeze({ kind: 'bad_action', action: 'postpone', message: 'postpone is not allowed in an enter call or init' }));
        }
        postpone = true;
        break;
      case 'hibernate':
        rec.hibernated = true;
        if (rec.queue !== null && rec.queue.length === 0) rec.queue = null;
        break;
      case 'stateTimeout':
        timeoutAction(rec, kState, undefined, a, ctx);
        break;
      case 'timeout':
        timeoutAction(rec, kEvent, undefined, a, ctx);
        break;
      case 'genericTimeout':
        if (typeof a.name !== 'string') badAction(rec, a, ctx);
        timeoutAction(rec, kGeneric, a.name, a, ctx);
        break;
      case 'nextEvent': {
        if (inEnter) {
          rec.stopping = true;
          ctx.exit(Object.freeze({ kind: 'bad_action', action: 'nextEvent', message: 'nextEvent is not allowed in an enter call' }));
        }
        if (typeof a.event !== 'object' || a.event === null || a.event.type === 'enter') badAction(rec, a, ctx);
        const p = (rec.pending ??= []);
        p.splice(rec.insertedNow, 0, [a.event, a.content]);
        rec.insertedNow++;
        break;
      }
      default:
        badAction(rec, a, ctx);
    }
  }
  return postpone;
}

/** A time-out action: start (ms >= 0), cancel (Infinity) or update ('update'). */
function timeoutAction(rec: StatemRecord, kind: number, name: string | undefined, a: { readonly ms: unknown; readonly content: unknown }, ctx: Context): void {
  const ms = a.ms;
  if (ms === 'update') rec.timeouts.update(kind, name, a.content, ctx);
  else if (typeof ms === 'number' && ms >= 0 && (Number.isFinite(ms) || ms === Infinity)) rec.timeouts.set(kind, name, ms, a.content, ctx);
  else badAction(rec, a, ctx);
}

function badAction(rec: StatemRecord, a: unknown, ctx: Context): never {
  rec.stopping = true;
  return ctx.exit(badReturn('action', a));
}

function reply(rec: StatemRecord, from: From, value: unknown, ctx: Context): void {
  ctx.reply(from, value);
  if (rec.tracer !== null) sendTrace(rec, 'out', value, from.pid, ctx);
}

function badResult(rec: StatemRecord, r: unknown, ctx: Context): never {
  rec.stopping = true;
  return ctx.exit(badReturn(`states.${rec.state}`, r));
}


// -------------------------------------------------------------------------------------
// API
// -------------------------------------------------------------------------------------

function call<R = unknown>(ctx: Context, to: Pid | string, msg: unknown, timeoutMs?: number): CallGen<R>;
function call<R = unknown>(node: Node, to: Pid | string, msg: unknown, timeoutMs?: number): Promise<R>;
function call<R = unknown>(via: Via, to: Pid | string, msg: unknown, timeoutMs?: number): CallGen<R> | Promise<R> {
  return callVia<R>(via, to, msg, timeoutMs);
}

function cast(via: Via, to: Pid | string, msg: unknown): void {
  castVia(via, to, msg);
}

/**
 * Client API: `start`/`startLink` (synchronous start, as GenServer's), `call` (typed
 * errors: NoProcError, CallTimeoutError, CallExitError), `cast`, `reply` (deferred reply
 * from a state function), `stop` (via sys).
 */
export const GenStatem = {
  start: GenServer.start,
  startLink: GenServer.startLink,
  call,
  cast,
  reply: (ctx: Context, from: From, value: unknown): void => ctx.reply(from, value),
  stop<V extends Via>(via: V, machine: Pid | string, reason: unknown = 'normal', timeoutMs = Infinity): V extends Context ? CallGen<'ok'> : Promise<'ok'> {
    return stopProcess('GenStatem.stop', via, machine, reason, timeoutMs) as never;
  },
  getState: Sys.getState,
};
