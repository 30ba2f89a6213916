/**
 * ThreadedNode: the multi-thread node (`startNode({ schedulers: N })`, N >= 1), seen from
 * the thread that embeds it. It implements the one Node interface (core/node.ts).
 *
 *   const node = await startNode({ schedulers: 4 });
 *   const pid = await node.spawn(Counter, [0]);          // a module-defined behaviour
 *   node.send(pid, { inc: 1 });
 *   const n = await node.call(pid, 'get', 1000);          // ctx.reply(msg.from, value)
 *   await node.stop();
 *
 *        calling thread (endpoint N = gateway, pid <0.N.0>)
 *        +-------------------------------------------------+
 *        | ThreadedNode: spawn/send/call/register/stats/stop |
 *        | Gateway (gateway.ts): rings to and from every     |
 *        |   scheduler, parks with Atomics.waitAsync; hosts  |
 *        |   Scheduler N (event-loop driven), whose gateway  |
 *        |   actor (pid = node.pid) makes the calls          |
 *        +-----------+------------------+------------------+
 *             ring ^ | ring        ^ |               ^ |
 *                  | v             | v               | v
 *        +-----------+--+   +---------+----+   +---------+----+
 *        | worker 0      |<->| worker 1     |<->| worker N-1   |   one SPSC ring per
 *        | Scheduler 0   |   | Scheduler 1  |   | Scheduler N-1|   ordered pair, one
 *        | (index 0,     |   | (index 1,    |   |              |   doorbell per endpoint
 *        |  stride N+1)  |   |  stride N+1) |   |              |   (layout.ts)
 *        +---------------+   +--------------+   +--------------+
 *          shared: names table (shared-registry.ts), stats blocks (stats.ts), alive flags
 *
 * Everything between endpoints is a ring record (endpoint.ts): messages, exit signals,
 * links, monitors, DOWNs, and the gateway's requests (spawn, process info, register,
 * apply, stop) with their replies, so a request and the messages around it keep their
 * order. `send`, `exit` and `call` from this thread go through the gateway's scheduler
 * (its router and thread transport, as an actor's would); calls follow the call protocol
 * (core/call-protocol.ts; steps in gateway.ts).
 * Starting (layout, shared memory, workers, module hooks): start-node.ts.
 *
 * Beyond messages and signals (each in its own file):
 *   - kill-flags.ts: an untrappable 'kill' is also announced in shared memory, so it ends
 *     an actor stuck in an instrumented loop (its scheduler never drains its rings);
 *   - placement.ts: `ctx.spawn(..., { scheduler: k })` from an actor reserves the pid in
 *     k's pid space and returns it at once; top-level `spawn` here goes round-robin;
 *   - stealing.ts (default `balance: 'steal'`): spawns stay local; an idle scheduler
 *     steals the next default spawns of busy ones, pid from its own space;
 *   - balancer.ts (`balance: 'spawn'`): spawns of an overloaded scheduler are shared;
 *   - migration.ts (`balance: 'migrate'`, with stealing): running actors of a scheduler that stays
 *     overloaded move to an idle one; their home forwards what is addressed to them;
 *   - dirty-pool.ts: `ctx.dirty(...)` tasks run on this thread's piscina pool (created on
 *     the first one, destroyed by `stop()`), their outcomes go back as messages;
 *   - scheduler-down.ts: a worker that exits without being asked takes only its
 *     scheduler down; links, monitors and calls to its processes fire, the rest runs on;
 *   - distribution (a named node, startThreads(config, dist)): the node's one Distribution
 *     runs on this thread next to the gateway (dist-gateway.ts); each scheduler reaches it
 *     through DISTOUT / DISTIN records (dist-records.ts, dist-forward.ts), and pids of other
 *     nodes cross the rings by node identity (endpoint.ts `ringNodeHooks`).
 */

import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { checkCallTimeout } from '../core/call-protocol.ts';
import { BadArgError, InvalidOptionError, NoProcError, NotDistributedError, NotRegisteredError, NotRunningError } from '../core/errors.ts';
import { runStopHooks } from '../core/local-node.ts';
import type { Node, NodeDistribution, NodeSpawnOptions as CoreNodeSpawnOptions, NodeStatsReport } from '../core/node.ts';
import { nodeTable } from '../core/node-table.ts';
import { isRemoteName } from '../core/scheduler.ts';
import { describeGlobalName, isGlobalName, resolveGlobalName } from '../core/global-name.ts';
import type { Dest } from '../core/types.ts';
import { Pid } from '../core/pid.ts';
import { validateSpawnOptions, type ProcessInfo, type SpawnOptions } from '../core/scheduler.ts';
import { DirtyPool, type DirtyOutcome, type DirtyPoolStats } from './dirty-pool.ts';
import type { MicrostateReport } from '../core/microstate.ts';
import { NodeMsacc } from '../core/msacc/node-msacc.ts';
import './msacc-sampler.ts'; // installs the process's microstate sampler
import { kOpApply, kOpInfo, kOpRegister, kOpSpawn } from './endpoint.ts';
import { Gateway } from './gateway.ts';
import type { KillFlags } from './kill-flags.ts';
import { statsOffset, type NodeLayout } from './layout.ts';
import type { ThreadedNodeConfig } from './node-options.ts';
import { takeSchedulerDown } from './scheduler-down.ts';
import { processesQuery } from './scheduler-queries.ts';
import type { SharedRegistry } from './shared-registry.ts';
import { importableBehaviour } from './spawn-target.ts';
import { readStats, type SchedulerStats } from './stats.ts';

/** Spawn options of a ThreadedNode: `scheduler` pins the new actor (default: round-robin). */
export type NodeSpawnOptions = CoreNodeSpawnOptions;

/** `stats()` of a ThreadedNode: the Node report, with ring counters. */
export interface NodeStats extends NodeStatsReport {
  readonly schedulers: SchedulerStats[];
  /** The embedding thread: ring counters, calls waiting, its microstates (samples 0 with `msacc: false`). */
  readonly gateway: { recordsIn: number; recordsOut: number; ringFull: number; overflowBytes: number; pendingCalls: number; msacc: MicrostateReport };
  /** The dirty pool (dirty-pool.ts), null until the first `ctx.dirty`. */
  readonly dirty: DirtyPoolStats | null;
}

/** The worker threads of a started node (start-node.ts), handed to the ThreadedNode. */
export interface SchedulerThreads {
  readonly workers: Worker[];
  /** Resolves with each worker's exit code. */
  readonly exited: Promise<number>[];
}

export class ThreadedNode extends EventEmitter implements Node {
  /** Number of schedulers (worker threads). */
  readonly schedulers: number;
  /** The gateway's pid: call replies, and anything actors send to the embedding thread. */
  readonly pid: Pid;
  /** Behaviours must be module-defined: every scheduler thread imports them. */
  readonly spawnsClosures = false;
  private readonly layout: NodeLayout;
  private readonly sab: SharedArrayBuffer;
  private readonly gw: Gateway;
  private readonly registry: SharedRegistry;
  private readonly workers: Worker[];
  private readonly exited: Promise<number>[];
  private readonly workerErrors: (Error | null)[];
  private readonly down: boolean[];
  private readonly config: ThreadedNodeConfig;
  private rr = 0;
  private stopping: Promise<void> | null = null;
  private stopRequest: Promise<void> | null = null;
  private readonly stopHooks: (() => Promise<void> | void)[] = [];
  private readonly kills: KillFlags;
  /** The node's dirty pool, created by the first `ctx.dirty` (dirty-pool.ts). */
  private dirty: DirtyPool | null = null;
  private killRetry: ReturnType<typeof setImmediate> | null = null;
  /** The distribution layer of a named node (dist-gateway.ts), else null. */
  private readonly dist: NodeDistribution | null;
  /** Microstate accounting (profile/msacc/node-msacc.ts). */
  private readonly msacc: NodeMsacc;

  /**
   * @internal use startNode(). `dist`: the distribution layer of a named node (the workers
   * were started with its identity, start-node.ts): the gateway's scheduler gets its
   * transport and hooks, the schedulers reach it through the gateway, then it is attached.
   */
  constructor(config: ThreadedNodeConfig, layout: NodeLayout, sab: SharedArrayBuffer, threads: SchedulerThreads, dist: NodeDistribution | null = null) {
    super();
    this.config = config;
    this.schedulers = layout.schedulers;
    this.layout = layout;
    this.msacc = new NodeMsacc(sab, layout.msaccOffset, layout.endpoints, layout.gateway, config.msaccIntervalMs);
    this.sab = sab;
    this.workers = threads.workers;
    this.exited = threads.exited;
    this.workerErrors = threads.workers.map(() => null);
    this.down = threads.workers.map(() => false);
    this.dist = dist;
    this.gw = new Gateway(sab, layout, config.overflowBytes, dist);
    this.kills = this.gw.kills;
    this.registry = this.gw.registry;
    this.pid = this.gw.pid;
    this.gw.onMessage = (m) => this.emit('message', m);
    this.gw.onDirtyTask = (k, id, serial, n, task) => {
      if (this.stopping !== null) return;
      this.dirty ??= new DirtyPool(undefined, this.config.msaccIntervalMs);
      void this.dirty.run(task).then((out) => this.dirtyDone(k, id, serial, n, out));
    };
    this.workers.forEach((w, k) => {
      w.on('error', (e) => {
        this.workerErrors[k] = e;
      });
      void this.exited[k]!.then((code) => {
        if (this.stopping === null) this.schedulerDown(k, code);
      });
    });
    this.gw.service();
    if (dist !== null) {
      const routing = this.gw.dist!;
      dist.attach(routing, this.registry, (target, args) => this.spawn(target, args), this.pid, (event, arg) => {
        // The schedulers' ctx.nodes() sees the change before anyone hears of it.
        routing.pushNodes();
        this.emit(event, arg);
      });
    }
  }

  get running(): boolean {
    return this.stopping === null;
  }

  /** This node's name ('nonode@nohost' when started without one). */
  get name(): string {
    return this.dist?.name ?? nodeTable.local.name;
  }

  nodes(which: 'visible' | 'hidden' | 'connected' = 'visible'): string[] {
    this.assertRunning();
    return this.dist?.nodes(which) ?? [];
  }

  async connectNode(name: string): Promise<boolean> {
    this.assertRunning();
    if (this.dist === null) throw new NotDistributedError('connectNode');
    return this.dist.connectNode(name);
  }

  async disconnectNode(name: string): Promise<boolean> {
    this.assertRunning();
    if (this.dist === null) throw new NotDistributedError('disconnectNode');
    return this.dist.disconnectNode(name);
  }

  /**
   * Spawn an actor on a scheduler (round-robin, or `opts.scheduler`). `target` must be
   * loadable on another thread: a Behaviour from `defineActor(import.meta.url, impl,
   * 'Export')` that its module exports, or `{ module, export }`. Resolves with its pid.
   * @throws (rejects) NotPortableError for a closure, InvalidOptionError, UndefinedBehaviourError, NameTakenError
   */
  async spawn(target: unknown, args: readonly unknown[] = [], opts?: NodeSpawnOptions): Promise<Pid> {
    this.assertRunning();
    if (opts?.node !== undefined) {
      const { node, ...others } = opts;
      if (node !== this.name) {
        if (this.dist === null) throw new NotDistributedError('spawn on a node');
        if (Object.keys(others).length > 0) throw new BadArgError(`spawn: on another node only { node } is supported, got ${Object.keys(others).join(', ')}`);
        return this.dist.spawnOn(node, target, args);
      }
      opts = others;
    }
    const ref = await importableBehaviour(target);
    if (!Array.isArray(args)) throw new BadArgError('spawn: args must be an array');
    validateSpawnOptions(opts);
    let k: number;
    let rest: SpawnOptions | undefined;
    if (opts !== undefined) {
      const { scheduler, ...others } = opts;
      rest = others;
      if (scheduler !== undefined) {
        if (scheduler >= this.schedulers) throw new InvalidOptionError('scheduler', `spawn: option "scheduler" must be below ${this.schedulers} (the node's schedulers), got ${scheduler}`);
        if (this.down[scheduler]) throw new NotRunningError(`scheduler ${scheduler} is down`);
        k = scheduler;
      } else k = this.pick();
    } else k = this.pick();
    return (await this.gw.request(k, kOpSpawn, { module: ref.module, export: ref.export, args, opts: rest })) as Pid;
  }

  /**
   * Send a message to a pid or registered name (copied: encoded into a ring), from the
   * gateway's scheduler. To `node.pid` it comes back as a 'message' event.
   * @throws BackpressureError when the destination scheduler's overflow is at its bound
   */
  send(to: Dest, msg: unknown): void {
    this.assertRunning();
    if (isRemoteName(to)) {
      if (to.node !== this.name) {
        // Through the node transport; without distribution dropped, as Erlang drops it.
        if (this.dist !== null) this.gw.sched.send(to, msg);
        return;
      }
      to = to.name;
    }
    if (isGlobalName(to)) {
      const owner = resolveGlobalName(to.global);
      if (owner === undefined) throw new NotRegisteredError(describeGlobalName(to));
      to = owner;
    }
    if (to instanceof Pid && to.node !== 0) {
      if (this.dist !== null) this.gw.sched.send(to, msg);
      return;
    }
    const pid = this.resolve(to, 'send');
    if (pid === null) return;
    const k = pid.id % this.layout.endpoints;
    if (k !== this.layout.gateway) this.gw.checkRoom(k);
    this.gw.sched.send(pid, msg);
  }

  /** Send an exit signal from the gateway (Erlang's exit/2; 'kill' is untrappable). */
  exit(pid: Pid, reason: unknown): void {
    this.assertRunning();
    if (!(pid instanceof Pid)) throw new BadArgError('exit: expected a pid');
    if (pid.node !== 0) {
      // A pid of another node: through the node transport (without distribution: nothing to signal).
      if (this.dist !== null) this.gw.sched.exit(pid, reason, this.pid);
      return;
    }
    const k = pid.id % this.layout.endpoints;
    if (k === this.layout.gateway || this.down[k]) return;
    this.gw.checkRoom(k);
    // The transport commits a 'kill' and announces it in shared memory, so an actor stuck
    // in an instrumented loop on scheduler k ends too (kill-flags.ts, steps 1-2).
    this.gw.sched.exit(pid, reason, this.pid);
    if (reason === 'kill' && this.kills.pendingCount > 0) this.retryKills();
  }

  /** A dirty task settled: send its outcome to the actor's scheduler (dirty-pool.ts, step 3). */
  private dirtyDone(k: number, id: number, serial: number, n: number, out: DirtyOutcome): void {
    if (this.stopping !== null || this.down[k]) return;
    this.gw.sendDirtyOutcome(k, id, serial, n, out);
  }

  /** Retry kills whose slot was full, once per event-loop turn, until all are written. */
  private retryKills(): void {
    if (this.killRetry !== null) return;
    this.killRetry = setImmediate(() => {
      this.killRetry = null;
      if (this.stopping !== null) return;
      this.kills.retry();
      if (this.kills.pendingCount > 0) this.retryKills();
    });
  }

  /**
   * Call an actor: it gets `{ type: '$call', from, msg }` and answers with
   * `ctx.reply(from, value)`. Rejects with CallTimeoutError after `timeoutMs` (Infinity:
   * never), NoProcError if it does not exist, CallExitError if it exits first.
   */
  call<R = unknown>(to: Dest, msg: unknown, timeoutMs: number = this.config.callTimeoutMs): Promise<R> {
    try {
      this.assertRunning();
      checkCallTimeout('call', timeoutMs);
      if (isRemoteName(to)) {
        if (to.node !== this.name) {
          if (this.dist === null) throw new NotDistributedError('call to a name on another node');
          // Monitored by name on that node (the DOWN or 'noconnection' settles it).
          return this.gw.call(to, msg, timeoutMs) as Promise<R>;
        }
        to = to.name;
      }
      if (isGlobalName(to)) {
        const owner = resolveGlobalName(to.global);
        if (owner === undefined) throw new NoProcError(to);
        to = owner;
      }
      if (to instanceof Pid && to.node !== 0 && this.dist !== null) return this.gw.call(to, msg, timeoutMs) as Promise<R>;
      const pid = this.resolve(to, 'call');
      if (pid === null) throw new NoProcError(to);
      const k = pid.id % this.layout.endpoints;
      if (k === this.layout.gateway || this.down[k]) throw new NoProcError(pid);
      return this.gw.call(pid, msg, timeoutMs) as Promise<R>;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Register `name` for `pid` (node-wide). Resolves once the owner scheduler did it. */
  async register(name: string, pid: Pid): Promise<void> {
    this.assertRunning();
    if (!(pid instanceof Pid)) throw new BadArgError('register: expected a pid');
    this.registry.check(name);
    const k = pid.id % this.layout.endpoints;
    if (k === this.layout.gateway || this.down[k] || pid.node !== 0) throw new NoProcError(pid);
    await this.gw.request(k, kOpRegister, { name, pid });
  }

  unregister(name: string): void {
    this.assertRunning();
    if (this.registry.whereis(name) === undefined) throw new NotRegisteredError(name);
    this.registry.remove(name);
  }

  whereis(name: string): Pid | undefined {
    return this.registry.whereis(name);
  }

  registered(): string[] {
    return this.registry.registered();
  }

  /**
   * Process info, from the scheduler that owns `pid` (`node.pid`: the gateway actor, on
   * this thread); undefined if it does not exist.
   */
  async processInfo(pid: Pid): Promise<ProcessInfo | undefined> {
    this.assertRunning();
    if (!(pid instanceof Pid)) throw new BadArgError('processInfo: expected a pid');
    const k = pid.id % this.layout.endpoints;
    if (pid.node !== 0 || this.down[k]) return undefined;
    if (k === this.layout.gateway) return this.gw.sched.processInfo(pid);
    return (await this.gw.request(k, kOpInfo, pid)) as ProcessInfo | undefined;
  }

  /**
   * Every live process of every scheduler that is up, asked on each scheduler's thread
   * (an actor that is moving between schedulers is listed once).
   */
  async processes(): Promise<Pid[]> {
    const lists = (await this.applyOnSchedulers(processesQuery)) as Pid[][];
    const seen = new Set<string>();
    const out: Pid[] = [];
    for (const list of lists) {
      for (const p of list) {
        const key = `${p.id}.${p.serial}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(p);
      }
    }
    return out;
  }

  /**
   * Run `fn(scheduler, ...args)` — a function exported by a module, named `{ module, export }`
   * — on the thread of every scheduler that is up (or of those listed), and resolve with
   * the results in that order. The function may be async; args and results travel
   * encoded; a throw rejects (SwitchboardError codes are kept). The OTP code server loads
   * code on every scheduler with it.
   */
  applyOnSchedulers(fn: { module: string; export: string }, args: readonly unknown[] = [], schedulers?: readonly number[]): Promise<unknown[]> {
    this.assertRunning();
    if (typeof fn !== 'object' || fn === null || typeof fn.module !== 'string' || typeof fn.export !== 'string') {
      throw new BadArgError('applyOnSchedulers: fn must be { module, export } naming an exported function');
    }
    if (!Array.isArray(args)) throw new BadArgError('applyOnSchedulers: args must be an array');
    const ks = schedulers ?? [...Array(this.schedulers).keys()].filter((k) => !this.down[k]);
    for (const k of ks) {
      if (!Number.isInteger(k) || k < 0 || k >= this.schedulers) throw new BadArgError(`applyOnSchedulers: no scheduler ${String(k)}`);
    }
    const body = { module: fn.module, export: fn.export, args };
    return Promise.all(ks.map((k) => this.gw.request(k, kOpApply, body)));
  }

  /** Every scheduler's counters, read from the shared stats blocks (no messaging). */
  ioStats(): Promise<Readonly<Record<string, unknown>> | null> {
    return this.dist === null ? Promise.resolve(null) : this.dist.ioStats();
  }

  stats(): NodeStats {
    const out: SchedulerStats[] = [];
    const now = performance.now();
    for (let k = 0; k < this.schedulers; k++) {
      const st = readStats(this.sab, statsOffset(this.layout, k), k);
      st.msacc = this.msacc.report(k);
      st.rates = this.msacc.rates(k, now, st);
      out.push(st);
    }
    return {
      schedulers: out,
      gateway: {
        recordsIn: this.gw.recordsIn,
        recordsOut: this.gw.recordsOut,
        ringFull: this.gw.ringFull,
        overflowBytes: this.gw.overflowBytes,
        pendingCalls: this.gw.calls.size,
        msacc: this.msacc.report(this.layout.gateway),
      },
      dirty: this.dirty?.stats() ?? null,
      dist: this.dist?.stats() ?? null,
    };
  }

  /**
   * Resolves when everything this thread sent has entered the rings (no overflow left):
   * after a BackpressureError, `await node.drained()` and send again.
   */
  drained(): Promise<void> {
    return this.gw.whenDrained();
  }

  /** Is scheduler `k` up? */
  isSchedulerUp(k: number): boolean {
    return k >= 0 && k < this.schedulers && !this.down[k];
  }

  /**
   * Stop: every actor exits with reason 'shutdown', every worker thread ends; resolves when
   * all have exited (a worker that does not exit within `stopTimeoutMs` is terminated).
   * Calls still pending once the stop hooks ran reject with NotRunningError before any
   * actor is stopped (as LocalNode's), requests when the node is down. Leaves no handle
   * behind (an ended thread's message port closes within a few event-loop turns after).
   */
  stop(): Promise<void> {
    if (this.stopping !== null) return this.stopping;
    // The stop hooks run first, while the node still runs (see onStop).
    return (this.stopRequest ??= runStopHooks(this.stopHooks).then(() => (this.stopping ??= this.doStop())));
  }

  /**
   * Run `hook` when `stop()` begins, while the node still runs (calls work), before any
   * actor is stopped; hooks run last added first (the application controller uses it).
   */
  onStop(hook: () => Promise<void> | void): void {
    this.stopHooks.push(hook);
  }

  private async doStop(): Promise<void> {
    if (this.killRetry !== null) clearImmediate(this.killRetry);
    this.killRetry = null;
    // Before any actor stops: a callee's DOWN 'shutdown' must not settle a call first.
    this.gw.calls.failAll(new NotRunningError('the node stopped before the call was answered'));
    for (let k = 0; k < this.schedulers; k++) if (!this.down[k]) this.gw.sendStop(k);
    this.gw.flush();
    await Promise.all(
      this.workers.map(async (w, k) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<'timeout'>((r) => {
          timer = setTimeout(() => r('timeout'), this.config.stopTimeoutMs);
        });
        const r = await Promise.race([this.exited[k]!, timeout]);
        clearTimeout(timer);
        if (r === 'timeout') {
          await w.terminate();
          await this.exited[k];
        }
      }),
    );
    if (this.dirty !== null) await this.dirty.destroy();
    this.msacc.stop();
    // What the actors' ends sent to other nodes (exit signals, DOWNs) is in the rings: it
    // goes to the node transport before the gateway closes.
    if (this.dist !== null) while (this.gw.drain(4096) > 0);
    this.gw.close(new NotRunningError('the node stopped'));
    if (this.dist !== null) await this.dist.stop();
  }

  // ---------------------------------------------------------------------------------

  private assertRunning(): void {
    if (this.stopping !== null) throw new NotRunningError();
  }

  private resolve(to: Pid | string, op: string): Pid | null {
    if (to instanceof Pid) return to.node === 0 ? to : null;
    if (typeof to === 'string') {
      const pid = this.registry.whereis(to);
      if (pid === undefined) {
        if (op === 'call') return null;
        throw new NotRegisteredError(to);
      }
      return pid;
    }
    throw new BadArgError(`${op}: destination must be a pid or a registered name`);
  }

  private pick(): number {
    for (let i = 0; i < this.schedulers; i++) {
      const k = this.rr;
      this.rr = (this.rr + 1) % this.schedulers;
      if (!this.down[k]) return k;
    }
    throw new NotRunningError('every scheduler is down');
  }

  private schedulerDown(k: number, exitCode: number): void {
    if (this.down[k]) return;
    this.down[k] = true;
    const event = takeSchedulerDown(
      { sab: this.sab, layout: this.layout, registry: this.registry, gateway: this.gw, down: this.down },
      k, exitCode, this.workerErrors[k] ?? null,
    );
    this.config.onSchedulerDown?.(event);
    this.emit('schedulerDown', event);
  }
}
