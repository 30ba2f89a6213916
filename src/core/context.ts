/**
 * Context: what an actor's code uses to act — `ctx` in `handle(msg, state, ctx)` and in
 * `function* (ctx, ...args)`.
 *
 * There is one Context per scheduler, shared by its actors: `ctx.self` is whoever is
 * running. So a ctx must only be used while its actor runs (inside `handle`, `init`,
 * `terminate`, or between the generator's yields); used elsewhere (a callback after
 * `await`, a timer of Node's), it throws NotInActorError instead of acting as someone else.
 */
import type { GlobalName } from './global-name.ts';
import { callReply, type From } from './call-protocol.ts';
import { BadArgError, NotDistributedError } from './errors.ts';
import type { Pid, Ref } from './pid.ts';
import type { Pattern } from './pattern.ts';
import { ExitException, type ExitReason } from './reason.ts';
import { reductions } from './reductions.ts';
import type { ContextHost, Dest, Priority, ProcessInfo, RemoteName, SpawnOptions } from './types.ts';
import { nodeTable } from './node-table.ts';
import { answersCall, beginLocalCall, endLocalCall, replyLocal } from './local-call.ts';
import { forgetMonitor, replyDemonitoring } from './thread-call.ts';
import type { SchedulerState } from './scheduler-state.ts';

/** Yielded by `ctx.receive(...)`; the scheduler resumes the generator with the message. */
export const RECEIVE: unique symbol = Symbol.for('switchboard.receive');
export type ReceiveRequest = typeof RECEIVE;

/**
 * The ctx of the scheduler whose handler-style actor is in `init` right now (null
 * otherwise): handler `init(...args)` receives only its args, and a behaviour built on it
 * (GenServer) reads its ctx here with `contextInInit()`.
 */
export const initContext: { current: Context | null } = { current: null };

/** The ctx of the running actor, from inside a handler-style `init`. */
export function contextInInit(): Context {
  const c = initContext.current;
  if (c === null) throw new BadArgError('contextInInit: only valid inside a handler-style init');
  return c;
}

/**
 * Runs dirty work for `ctx.dirty` (set by the host of the scheduler: src/threads/dirty-pool.ts):
 * must eventually deliver `{ type: '$dirty', ref, ok, value | error }` to `pid`.
 */
export type DirtyRunner = (pid: Pid, ref: Ref, module: string, exportName: string, args: readonly unknown[]) => void;

/** The message `ctx.dirty` delivers when its work ends. */
export type DirtyResult =
  | { readonly type: '$dirty'; readonly ref: Ref; readonly ok: true; readonly value: unknown }
  | { readonly type: '$dirty'; readonly ref: Ref; readonly ok: false; readonly error: { name: string; message: string; code?: string } };

export class Context {
  private readonly s: ContextHost;
  /** The same scheduler, as its function groups see it (the local call fast path). */
  private readonly st: SchedulerState;
  /** Where `dirty` sends work; null where no dirty pool is available. */
  dirtyRunner: DirtyRunner | null = null;
  /** The receive pattern of a local call's answer (local-call.ts step 2): one per scheduler. */
  private readonly answerPattern: (msg: unknown) => boolean;
  constructor(scheduler: ContextHost & SchedulerState) {
    this.s = scheduler;
    this.st = scheduler;
    this.answerPattern = (msg: unknown): boolean => answersCall(scheduler.current!, msg);
  }

  /** The running actor's pid. */
  get self(): Pid {
    return this.s.requireCurrent('self').pid;
  }

  /**
   * Send a message (copied into the receiver) to a pid, a registered name or
   * `{ name, node }`. To a dead pid it is dropped silently; so is a message to a node that
   * cannot be reached (see the distribution docs).
   */
  send(to: Dest, msg: unknown): void {
    this.s.requireCurrent('send');
    this.s.send(to, msg);
  }

  spawn(target: unknown, args: readonly unknown[] = [], opts?: SpawnOptions): Pid {
    this.s.requireCurrent('spawn');
    return this.s.spawn(target, args, opts);
  }

  spawnLink(target: unknown, args: readonly unknown[] = [], opts?: SpawnOptions): Pid {
    this.s.requireCurrent('spawnLink');
    return this.s.spawn(target, args, { ...opts, link: true });
  }

  spawnMonitor(target: unknown, args: readonly unknown[] = [], opts?: SpawnOptions): [Pid, Ref] {
    this.s.requireCurrent('spawnMonitor');
    return this.s.spawnMonitor(target, args, opts);
  }

  link(pid: Pid): void {
    this.s.link(pid);
  }

  unlink(pid: Pid): void {
    this.s.unlink(pid);
  }

  monitor(target: Pid | string | RemoteName | GlobalName): Ref {
    return this.s.monitor(target);
  }

  demonitor(ref: Ref, opts?: { flush?: boolean }): boolean {
    return this.s.demonitor(ref, opts);
  }

  /**
   * `exit(reason)`: end the running actor now with `reason`.
   * `exit(pid, reason)`: send an exit signal to `pid` (Erlang's exit/2).
   */
  exit(reason: ExitReason): never;
  exit(pid: Pid, reason: ExitReason): void;
  exit(a: unknown, b?: unknown): void {
    this.s.requireCurrent('exit');
    if (arguments.length >= 2) {
      this.s.exit(a as Pid, b);
      return;
    }
    // exit/1 is an exception, not a signal: it ends the caller whatever its trapExit flag,
    // even with reason 'normal', and puts no EXIT message in its own mailbox. 'kill' ends
    // it as exit(self, 'kill') would: with reason 'killed'.
    throw new ExitException(a === 'kill' ? 'killed' : a);
  }

  /** Set whether exit signals become EXIT messages. Returns the old value. */
  trapExit(flag: boolean): boolean {
    if (typeof flag !== 'boolean') throw new BadArgError('trapExit: flag must be a boolean');
    return this.s.setTrapExit(flag);
  }

  setPriority(priority: Priority): Priority {
    return this.s.setPriority(priority);
  }

  register(name: string, pid?: Pid): void {
    const cur = this.s.requireCurrent('register');
    this.s.register(name, pid ?? cur.pid);
  }

  unregister(name: string): void {
    this.s.requireCurrent('unregister');
    this.s.unregister(name);
  }

  whereis(name: string): Pid | undefined {
    this.s.requireCurrent('whereis');
    return this.s.whereis(name);
  }

  sendAfter(ms: number, to: Pid | string, msg: unknown): Ref {
    this.s.requireCurrent('sendAfter');
    return this.s.sendAfter(ms, to, msg);
  }

  cancelTimer(ref: Ref): number | false {
    this.s.requireCurrent('cancelTimer');
    return this.s.cancelTimer(ref);
  }

  /**
   * Process style only: `const msg = yield ctx.receive(pattern?, timeoutMs?)`.
   * Takes the oldest message matching `pattern` (see pattern.ts), leaving the others in
   * order; with `timeoutMs`, resumes with TIMEOUT if none arrives in time (0 = poll).
   */
  receive(pattern?: Pattern, timeoutMs?: number): ReceiveRequest {
    let t = -1;
    if (timeoutMs !== undefined && timeoutMs !== Infinity) {
      if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) throw new BadArgError(`receive: timeoutMs must be a number >= 0, got ${String(timeoutMs)}`);
      t = timeoutMs;
    }
    this.s.prepareReceive(pattern, t);
    return RECEIVE;
  }

  /** Wait `ms` milliseconds (process style): `yield ctx.sleep(100)`. */
  sleep(ms: number): ReceiveRequest {
    return this.receive(neverMatches, ms);
  }

  /** Charge extra reductions to the running actor (for expensive work not instrumented). */
  bumpReductions(n: number): void {
    this.s.requireCurrent('bumpReductions');
    if (!Number.isInteger(n) || n < 0) throw new BadArgError('bumpReductions: n must be a non-negative integer');
    reductions.left -= n;
  }

  /** Answer a call (call-protocol.ts: the reply carries the call's ref). */
  reply(from: From, value: unknown): void {
    this.s.requireCurrent('reply');
    if (typeof from !== 'object' || from === null) throw new BadArgError('reply: from must be the `from` of a call request');
    if (!replyLocal(this.st, from, value) && !replyDemonitoring(this.st, from, value)) this.s.send(from.pid, callReply(from.ref, value));
  }

  /**
   * @internal otp/call.ts: step 1 of a local call (local-call.ts): the request is
   * delivered to `to` and its ref returned; null when `to` lives on another thread or node
   * (use the monitor protocol); undefined when `to` is a dead local pid.
   */
  callLocal(to: Pid, msg: unknown): Ref | null | undefined {
    return beginLocalCall(this.st, to, msg);
  }

  /** @internal otp/call.ts: `yield` it to wait for the answer of the local call (step 2). */
  awaitAnswer(timeoutMs: number): ReceiveRequest {
    this.s.prepareReceive(this.answerPattern, timeoutMs === Infinity ? -1 : timeoutMs);
    return RECEIVE;
  }

  /**
   * @internal otp/call.ts and the gateways: the reply to the monitored call `ref` said its
   * server dropped the monitor (thread-call.ts, step 3): forget it here, without a record.
   */
  forgetCallMonitor(ref: Ref): void {
    forgetMonitor(this.st, ref);
  }

  /** @internal otp/call.ts: the local call `ref` to `server` ended (answered or timed out; step 4). */
  endLocalCall(server: Pid, ref: Ref): void {
    endLocalCall(this.st, server, ref);
  }

  /**
   * Give up on the call whose reply carries `ref` (its timeout fired): a reply already in
   * the mailbox is removed and one arriving later is dropped, never delivered (Erlang's
   * deactivated alias).
   */
  expireCall(ref: Ref): void {
    this.s.expireCall(ref);
  }

  /**
   * Run `module`'s export `exportName(...args)` (may be async) on the node's dirty pool, a
   * piscina pool of worker threads, for CPU-heavy or blocking work: the scheduler keeps
   * running actors meanwhile. Returns a ref; the result comes back as a message
   * `{ type: '$dirty', ref, ok: true, value }`, or `{ ..., ok: false, error }` if it threw.
   * `module` is a module URL or specifier importable from the pool's threads.
   */
  dirty(module: string | URL, exportName: string, args: readonly unknown[] = []): Ref {
    const cur = this.s.requireCurrent('dirty');
    const mod = module instanceof URL ? module.href : module;
    if (typeof mod !== 'string' || mod.length === 0) throw new BadArgError('dirty: module must be a module URL or specifier');
    if (typeof exportName !== 'string' || exportName.length === 0) throw new BadArgError('dirty: exportName must be a non-empty string');
    if (!Array.isArray(args)) throw new BadArgError('dirty: args must be an array');
    if (this.dirtyRunner === null) throw new BadArgError('dirty: this scheduler has no dirty pool (use startNode or LocalNode)');
    const ref = this.s.makeRef();
    this.dirtyRunner(cur.pid, ref, mod, exportName, args);
    return ref;
  }

  makeRef(): Ref {
    this.s.requireCurrent('makeRef');
    return this.s.makeRef();
  }

  now(): number {
    this.s.requireCurrent('now');
    return this.s.now();
  }

  processInfo(pid: Pid): ProcessInfo | undefined {
    this.s.requireCurrent('processInfo');
    return this.s.processInfo(pid);
  }

  isAlive(pid: Pid): boolean {
    this.s.requireCurrent('isAlive');
    return this.s.isAlive(pid);
  }

  // --- distribution (Erlang's node(), nodes(), monitor_node, spawn_request) ---

  /** This node's name: 'a@host', or 'nonode@nohost' on a node without distribution. */
  get nodeName(): string {
    return this.s.dist?.nodeName ?? nodeTable.local.name;
  }

  /** Connected nodes: 'visible' (default), 'hidden' or 'connected' (both); [] without distribution. */
  nodes(which: 'visible' | 'hidden' | 'connected' = 'visible'): string[] {
    this.s.requireCurrent('nodes');
    return this.s.dist?.nodes(which) ?? [];
  }

  /**
   * Erlang's monitor_node: with `on` (default), this actor gets `{ type: 'nodedown', node }`
   * once when `node` goes down or cannot be reached (a connection is tried first); each
   * call adds one such message, `on: false` removes one.
   * @throws NotDistributedError on a node without distribution
   */
  monitorNode(node: string, on = true): void {
    const cur = this.s.requireCurrent('monitorNode');
    if (typeof node !== 'string' || node === '') throw new BadArgError('monitorNode: node must be a node name');
    const d = this.s.dist;
    if (d === null) throw new NotDistributedError('monitorNode');
    d.monitorNode(cur.pid, node, on);
  }

  /**
   * Erlang's net_kernel:monitor_nodes(true): from now on this actor gets
   * `{ type: 'nodeup', node }` and `{ type: 'nodedown', node, reason: 'noconnection' }` for
   * every visible node that connects or goes down (nothing for nodes already up: read
   * `ctx.nodes()` right after). A nodeup comes before any message from that node's new
   * connection. Each call adds one subscription, `on: false` removes one.
   * @throws NotDistributedError on a node without distribution
   */
  monitorNodes(on = true): void {
    const cur = this.s.requireCurrent('monitorNodes');
    if (typeof on !== 'boolean') throw new BadArgError('monitorNodes: on must be a boolean');
    const d = this.s.dist;
    if (d === null) throw new NotDistributedError('monitorNodes');
    d.monitorNodes(cur.pid, on);
  }

  /**
   * Erlang's spawn_request: spawn a module-defined behaviour ({ module, export } or a
   * Behaviour from defineActor with its module URL) on `node`. Returns the request's ref;
   * the answer is the message `{ type: 'spawn_reply', ref, ok: true, pid }` or
   * `{ type: 'spawn_reply', ref, ok: false, error }`. With `link: true` the new actor is
   * linked to this one as it starts (a node that is down: EXIT 'noconnection').
   * @throws NotDistributedError on a node without distribution
   */
  spawnRequest(node: string, target: unknown, args: readonly unknown[] = [], opts?: { link?: boolean }): Ref {
    const cur = this.s.requireCurrent('spawnRequest');
    if (typeof node !== 'string' || node === '') throw new BadArgError('spawnRequest: node must be a node name');
    if (!Array.isArray(args)) throw new BadArgError('spawnRequest: args must be an array');
    const d = this.s.dist;
    if (d === null) throw new NotDistributedError('spawnRequest');
    return d.spawnRequest(cur.pid, node, target, args, opts?.link === true);
  }
}

const neverMatches = (): boolean => false;
