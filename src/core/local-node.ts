/**
 * LocalNode: the Node (node.ts) whose one scheduler runs on the calling thread —
 * `startNode({ schedulers: 0 })`, or `new LocalNode(options)`. It spawns closures (the
 * actors run on this thread), and it is the node kind of unit-sized embeddings and tests.
 *
 *        calling thread
 *        +--------------------------------------------------------------+
 *        | LocalNode: spawn/send/call/register/stats/applyOnSchedulers  |
 *        |    |  call: monitorAs(gateway, callee) + callRequest           |
 *        |    v                                                          |
 *        | Scheduler 0 (driven from the event loop: Scheduler.start)     |
 *        |   gateway actor (pid = node.pid, high priority, traps exits)  |
 *        |     every message -> PendingCalls.settle, else 'message'      |
 *        |   actors ...                                                  |
 *        +--------------------------------------------------------------+
 *
 * Calls (the one call protocol, call-protocol.ts; the gateway is a real actor):
 *   1. Check the timeout (checkCallTimeout: positive ms or Infinity) and resolve `to`
 *      (an unknown name rejects with NoProcError, nothing is sent).
 *   2. The gateway monitors the callee (`monitorAs`, in gatewayCall); the monitor ref is the call ref.
 *   3. `callRequest({ pid: gateway, ref }, msg)` is sent; the call is added to
 *      PendingCalls (a timer only for a finite timeout).
 *   4. The gateway's handler (gatewayReceive) gives every message to `PendingCalls.settle`: the reply
 *      resolves the call, the callee's DOWN rejects it (NoProcError / CallExitError), and
 *      the gateway demonitors (a DOWN already queued belongs to no call: dropped). A timeout demonitors and rejects with
 *      CallTimeoutError; the reply or DOWN arriving later belongs to no call and is
 *      dropped by the gateway, never emitted. Anything else sent to `node.pid` is
 *      emitted as a 'message' event.
 *
 * Stop: `stop()` runs the stop hooks (calls still work), then ends every actor with
 * reason 'shutdown' (terminate callbacks run), rejects pending calls with
 * NotRunningError, and releases every timer and handle. What happens to messages when
 * things fail is the Node interface's (node.ts).
 */
import { EventEmitter } from 'node:events';
import { checkCallTimeout, gatewayCall, gatewayReceive, kDefaultCallTimeoutMs, PendingCalls } from './call-protocol.ts';
import type { Context } from './context.ts';
import { BadArgError, InvalidOptionError, NoProcError, NotDistributedError, NotRunningError } from './errors.ts';
import { kMsIdle, microstateWord, msaccBytes } from './microstate.ts';
import { NodeMsacc, msaccInterval, msaccOptionCheck, type MsaccOption } from './msacc/node-msacc.ts';
import type { Node, NodeDistribution, NodeSpawnOptions, NodeStatsReport, SpawnTarget } from './node.ts';
import { nodeTable } from './node-table.ts';
import type { Dest, RemoteName } from './types.ts';
import { isRemoteName } from './remote-name.ts';
import { isGlobalName, resolveGlobalName } from './global-name.ts';
import { checkOptions, mustBeTimeout, type OptionCheck, type OptionChecks } from './options.ts';
import { Pid } from './pid.ts';
import { Scheduler, validateSchedulerOptions, type ProcessInfo, type SchedulerOptions, type SpawnOptions } from './scheduler.ts';

export interface LocalNodeOptions extends Partial<Omit<SchedulerOptions, 'index' | 'stride'>> {
  /** Default timeout of `call`, ms or Infinity (default 5000). */
  callTimeoutMs?: number;
  /** Accepted so `startNode` can pass its options on: must be 0. */
  schedulers?: 0;
  /** Microstate accounting of this thread (profile/msacc): true (default, every 1 ms), { intervalMs }, or false. */
  msacc?: MsaccOption;
}

/**
 * A scheduler option is checked by the scheduler's own validator, its requirement then
 * worded under the API the user called (`LocalNode: option "budget" must be ...`).
 */
function schedulerOption(key: string): OptionCheck {
  return (v) => {
    try {
      validateSchedulerOptions({ [key]: v });
      return null;
    } catch (e) {
      if (!(e instanceof InvalidOptionError)) throw e;
      const m = /option "[^"]*" (.*)$/s.exec(e.message);
      return m === null ? e.message : m[1]!;
    }
  };
}

const localNodeChecks: OptionChecks = {
  callTimeoutMs: mustBeTimeout,
  schedulers: (v) => (v === 0 ? null : 'must be 0 (one scheduler on the calling thread)'),
  budget: schedulerOption('budget'),
  maxReductionsPerMessage: schedulerOption('maxReductionsPerMessage'),
  maxHeapSize: schedulerOption('maxHeapSize'),
  maxBusyMs: schedulerOption('maxBusyMs'),
  clock: schedulerOption('clock'),
  msacc: msaccOptionCheck,
};

export class LocalNode extends EventEmitter implements Node {
  /** The one scheduler (for tools and tests on this thread; not part of the Node interface). */
  readonly scheduler: Scheduler;
  readonly pid: Pid;
  readonly schedulers = 0;
  readonly spawnsClosures = true;
  private readonly calls = new PendingCalls();
  private readonly callTimeoutMs: number;
  /** False once stop() was called (the stop hooks may still be running). */
  private accepting = true;
  /** False once the actors are stopped: every operation throws NotRunningError. */
  private alive = true;
  private readonly stopHooks: (() => Promise<void> | void)[] = [];
  private stopRequest: Promise<void> | null = null;
  /** The distribution layer (a node started with a name), else null. */
  private readonly dist: NodeDistribution | null;
  /** Microstate accounting of this thread (profile/msacc/node-msacc.ts): its own one-thread area. */
  private readonly msacc: NodeMsacc;

  /**
   * `api` names the function the user called, for option errors (`startNode` passes its
   * own); `dist` is the distribution layer of a named node (startNode makes it).
   */
  constructor(options?: LocalNodeOptions, api = 'LocalNode', dist: NodeDistribution | null = null) {
    super();
    checkOptions(api, localNodeChecks, options);
    const { callTimeoutMs = kDefaultCallTimeoutMs, schedulers: _zero, msacc, ...schedOpts } = options ?? {};
    this.callTimeoutMs = callTimeoutMs;
    this.dist = dist;
    this.scheduler = new Scheduler(schedOpts, dist === null ? undefined : { host: { node: dist.transport, dist: dist.hooks } });
    const area = new SharedArrayBuffer(msaccBytes(1));
    this.msacc = new NodeMsacc(area, 0, 1, 0, msaccInterval(msacc));
    if (this.msacc.intervalMs !== null) this.scheduler.ms = microstateWord(area, 0, 0);
    const node = this;
    this.pid = this.scheduler.spawn({
      handle(msg: unknown, state: unknown, ctx: Context) {
        node.onGatewayMessage(msg, ctx);
        return state;
      },
    }, [], { priority: 'high', trapExit: true });
    if (dist !== null) {
      const s = this.scheduler;
      dist.attach(s.inbound, s.registry, (target, args) => s.spawn(target, args), this.pid, (event, arg) => this.emit(event, arg), {
        currentPid: () => s.current?.pid ?? null,
        // An actor that exited meanwhile has nothing to hold or resume.
        suspend: (pid) => { if (s.isAlive(pid)) s.suspend(pid); },
        resume: (pid) => { if (s.isAlive(pid)) s.resume(pid); },
      });
    }
    this.scheduler.start();
  }

  get name(): string {
    return this.dist?.name ?? nodeTable.local.name;
  }

  nodes(which: 'visible' | 'hidden' | 'connected' = 'visible'): string[] {
    this.check();
    return this.dist?.nodes(which) ?? [];
  }

  async connectNode(name: string): Promise<boolean> {
    this.check();
    if (this.dist === null) throw new NotDistributedError('connectNode');
    return this.dist.connectNode(name);
  }

  async disconnectNode(name: string): Promise<boolean> {
    this.check();
    if (this.dist === null) throw new NotDistributedError('disconnectNode');
    return this.dist.disconnectNode(name);
  }

  get running(): boolean {
    return this.accepting;
  }

  async spawn(target: SpawnTarget, args: readonly unknown[] = [], opts?: NodeSpawnOptions): Promise<Pid> {
    this.check();
    if (opts !== undefined && opts.node !== undefined) {
      const { node, ...rest } = opts;
      if (node !== this.name) {
        if (this.dist === null) throw new NotDistributedError('spawn on a node');
        if (Object.keys(rest).length > 0) throw new BadArgError(`spawn: on another node only { node } is supported, got ${Object.keys(rest).join(', ')}`);
        return this.dist.spawnOn(node, target, args);
      }
      return this.scheduler.spawn(target, args, rest);
    }
    return this.scheduler.spawn(target, args, opts);
  }

  send(to: Dest, msg: unknown): void {
    this.check();
    this.scheduler.send(to, msg);
  }

  /** Call an actor from the gateway (steps 1-4 above). */
  call<R = unknown>(to: Dest, msg: unknown, timeoutMs: number = this.callTimeoutMs): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.check();
      checkCallTimeout('call', timeoutMs);
      const s = this.scheduler;
      let pid: Pid | RemoteName | undefined;
      if (to instanceof Pid) pid = to;
      else if (typeof to === 'string') pid = s.whereis(to);
      else if (isRemoteName(to)) pid = to.node === this.name ? s.whereis(to.name) : to;
      else if (isGlobalName(to)) pid = resolveGlobalName(to.global);
      else throw new BadArgError('call: destination must be a pid, a registered name, { name, node } or { global }');
      if (pid === undefined) throw new NoProcError(to);
      const gateway = this.pid;
      const ref = gatewayCall(s, gateway, pid, msg);
      // Nothing is settled before this runs: the gateway handles its mailbox in a later slice.
      this.calls.add(ref, to, timeoutMs, resolve as (v: unknown) => void, reject, (r) => s.demonitorAs(gateway, r));
    });
  }

  exit(pid: Pid, reason: unknown): void {
    this.check();
    this.scheduler.exit(pid, reason, this.pid);
  }

  async register(name: string, pid: Pid): Promise<void> {
    this.check();
    this.scheduler.register(name, pid);
  }

  unregister(name: string): void {
    this.check();
    this.scheduler.unregister(name);
  }

  whereis(name: string): Pid | undefined {
    this.check();
    return this.scheduler.whereis(name);
  }

  registered(): string[] {
    this.check();
    return this.scheduler.registry.registered();
  }

  async processInfo(pid: Pid): Promise<ProcessInfo | undefined> {
    this.check();
    return this.scheduler.processInfo(pid);
  }

  async processes(): Promise<Pid[]> {
    this.check();
    const gateway = this.pid;
    return this.scheduler.processes().filter((p) => !p.equals(gateway));
  }

  /**
   * Run `fn(scheduler, ...args)` on the one scheduler (index 0): the module is imported on
   * this thread, the function may be async. Resolves with `[result]`.
   */
  async applyOnSchedulers(fn: { module: string; export: string }, args: readonly unknown[] = [], schedulers?: readonly number[]): Promise<unknown[]> {
    this.check();
    if (typeof fn !== 'object' || fn === null || typeof fn.module !== 'string' || typeof fn.export !== 'string') {
      throw new BadArgError('applyOnSchedulers: fn must be { module, export } naming an exported function');
    }
    if (!Array.isArray(args)) throw new BadArgError('applyOnSchedulers: args must be an array');
    const ks = schedulers ?? [0];
    for (const k of ks) if (k !== 0) throw new BadArgError(`applyOnSchedulers: no scheduler ${String(k)}`);
    if (ks.length === 0) return [];
    const ns = (await import(fn.module)) as Record<string, unknown>;
    const f = ns[fn.export];
    if (typeof f !== 'function') throw new BadArgError(`applyOnSchedulers: module ${fn.module} has no function export ${fn.export}`);
    const out: unknown[] = [];
    for (let i = 0; i < ks.length; i++) {
      this.check();
      out.push(await (f as (s: Scheduler, ...a: unknown[]) => unknown)(this.scheduler, ...args));
    }
    return out;
  }

  /**
   * The scheduler's counters as one NodeSchedulerStats entry. `state` is 'running' while
   * something is runnable, 'parked' when it waits for work or a timer, 'stopped' after
   * stop; `actors` excludes the gateway.
   */
  ioStats(): Promise<Readonly<Record<string, unknown>> | null> {
    return this.dist === null ? Promise.resolve(null) : this.dist.ioStats();
  }

  stats(): NodeStatsReport {
    const s = this.scheduler;
    const c = s.counters;
    const state = !this.alive ? 'stopped' : s.hasWork() ? 'running' : 'parked';
    return {
      schedulers: [{
        // This thread's microstates ('idle' = its event loop, outside the scheduler); samples 0 with msacc: false.
        msacc: this.msacc.report(0),
        rates: this.msacc.rates(0, performance.now(), c),
        scheduler: 0,
        state,
        runQueue: s.runQueueLength,
        reductions: c.reductions,
        messagesIn: c.messagesIn,
        messagesOut: c.messagesOut,
        actors: this.alive ? s.size - 1 : 0,
        spawns: c.spawns,
        exits: c.exits,
        slices: c.slices,
        messagesDropped: c.messagesDropped,
        timersFired: c.timersFired,
        pendingTimers: s.pendingTimers,
      }],
      gateway: { pendingCalls: this.calls.size },
      dist: this.dist?.stats() ?? null,
    };
  }

  /** Resolves when nothing is runnable (timers may still be pending). */
  async idle(): Promise<void> {
    while (this.alive && this.scheduler.hasWork()) await new Promise((r) => setImmediate(r));
  }

  /**
   * Run `hook` when `stop()` begins, while the node still runs (calls work), before any
   * actor is stopped; hooks run last added first. The application controller stops the
   * applications this way (src/otp/application.ts).
   */
  onStop(hook: () => Promise<void> | void): void {
    this.stopHooks.push(hook);
  }

  /** Run the stop hooks, then stop every actor ('shutdown'), reject pending calls, release every handle. */
  stop(): Promise<void> {
    this.accepting = false;
    return (this.stopRequest ??= runStopHooks(this.stopHooks).then(() => this.stopNow()));
  }

  private async stopNow(): Promise<void> {
    if (!this.alive) return;
    this.alive = false;
    this.calls.failAll(new NotRunningError('the node stopped before the call was answered'));
    this.scheduler.stop();
    this.scheduler.shutdown('shutdown');
    this.scheduler.ms[0] = kMsIdle;
    this.msacc.stop();
    // After the actors: their exit signals and DOWNs to other nodes are written first.
    if (this.dist !== null) await this.dist.stop();
  }

  /** The gateway's handler: step 4 for call replies and DOWNs, else a 'message' event. */
  private onGatewayMessage(msg: unknown, ctx: Context): void {
    gatewayReceive(this.calls, msg, ctx, this.emitMessage);
  }

  private readonly emitMessage = (msg: unknown): void => {
    this.emit('message', msg);
  };

  private check(): void {
    if (!this.alive) throw new NotRunningError();
  }
}

/** Run stop hooks, last added first; a failing hook does not keep the node from stopping. */
export async function runStopHooks(hooks: (() => Promise<void> | void)[]): Promise<void> {
  const list = hooks.splice(0);
  for (let i = list.length - 1; i >= 0; i--) {
    try {
      await list[i]!();
    } catch {
      // The node stops anyway.
    }
  }
}
