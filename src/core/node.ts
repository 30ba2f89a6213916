/**
 * Node: the one interface of a Switchboard node, whatever runs it.
 *
 *   startNode({ schedulers: 0 })   one scheduler on the calling thread (LocalNode)
 *   startNode({ schedulers: N })   N scheduler worker threads (ThreadedNode)
 *
 * Both return this interface, async-uniform: every operation that may have to ask a
 * scheduler (spawn, register, processInfo, processes, applyOnSchedulers) returns a
 * promise on every node kind, so code written against one kind runs on the other.
 * OTP (src/otp) and tools use only this interface; none of them tests for a node class.
 *
 * The embedding thread is not an actor. It acts through the node's gateway, a real actor
 * whose pid is `node.pid`: calls from the embedding thread are made by the gateway (one
 * call protocol, call-protocol.ts), exit signals sent with `exit` come from it, and a
 * message sent to `node.pid` is emitted as a `'message'` event.
 *
 * What happens to messages when things fail (the same on every node kind):
 *   - `send` to a dead pid drops the message (as in Erlang); to an unknown name it throws
 *     NotRegisteredError; an unsendable value throws UnsendableError and nothing is sent.
 *   - `call` rejects with CallTimeoutError after `timeoutMs` (a late reply is dropped,
 *     never delivered anywhere), NoProcError when the callee is dead or unknown,
 *     CallExitError (carrying the reason) when it exits before replying, NotRunningError
 *     when the node stops first. `timeoutMs: Infinity` waits for ever.
 *   - after `stop()` resolves every operation throws (or rejects with) NotRunningError.
 *
 * Distribution (a node started with a `name`; src/dist): pids of other nodes are used
 * exactly as local ones. When a node goes down (its socket closes, or nothing is heard
 * from it for the tick time): every link to its pids fires with 'noconnection', every
 * monitor gets DOWN 'noconnection', calls to it reject with CallExitError('noconnection'),
 * `monitorNode` watchers get `{ type: 'nodedown', node }`, the node emits 'nodedown'.
 * Messages already handed to the connection but not yet written are lost with it (as in
 * Erlang). A later send to that node connects again first (auto-connect); if the
 * connection cannot be made the message is dropped, as Erlang drops it, and links and
 * monitors set up meanwhile fire with 'noconnection'.
 */
import type { BehaviourRef } from './behaviour.ts';
import type { Pid } from './pid.ts';
import type { ProcessInfo, SpawnOptions } from './scheduler.ts';
import type { Dest } from './types.ts';
import type { DistHooks } from './scheduler-host.ts';
import type { Transport, Inbound } from './router.ts';
import type { Registry } from './registry.ts';

/** What the distribution layer may do to the node's actors: hold a sender while its connection is busy. */
export interface SenderControl {
  currentPid(): Pid | null;
  suspend(pid: Pid): void;
  resume(pid: Pid): void;
}

/** What `spawn` takes: a Behaviour, `{ module, export }`, or (schedulers: 0 only) a closure. */
export type SpawnTarget = object | BehaviourRef;

/** Counters of one scheduler, as `node.stats()` reports them. */
export interface NodeSchedulerStats {
  readonly scheduler: number;
  readonly state: string;
  readonly runQueue: number;
  readonly reductions: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
  readonly actors: number;
  readonly spawns: number;
  readonly exits: number;
  /** Node kinds add their own fields (ring and migration counters on ThreadedNode). */
  readonly [field: string]: unknown;
}

export interface NodeStatsReport {
  readonly schedulers: readonly NodeSchedulerStats[];
  /** The embedding thread's gateway: calls waiting for a reply, and kind-specific fields. */
  readonly gateway: { readonly pendingCalls: number; readonly [field: string]: unknown };
  /** A named node's distribution counters (null without a name); the I/O thread's own are `await` away (Distribution.ioStats). */
  readonly dist?: DistStats | null;
}

export type NodeEvent = 'message' | 'schedulerDown' | 'nodeup' | 'nodedown';

/** `spawn` options of a Node: a scheduler's SpawnOptions, and `node` to spawn on another node. */
export interface NodeSpawnOptions extends SpawnOptions {
  /** Spawn on this node (a module-defined behaviour, resolved by that node's code root). */
  readonly node?: string;
}

/** What `'nodedown'` carries. */
export interface NodeDownEvent {
  readonly name: string;
  /** Always 'noconnection' (Erlang's reason). */
  readonly reason: string;
  /** What happened: 'closed', 'tick_timeout', 'disconnect', 'stopped', or an error's text. */
  readonly detail: string;
}

/** What a named node counts on its node thread (node.stats().dist). */
export interface DistStats {
  readonly nodes: number;
  readonly opsOut: number;
  /** Ops that waited for a connection (auto-connect). */
  readonly queuedForConnect: number;
  /** Ops to a pid of a gone incarnation, dropped. */
  readonly droppedStale: number;
  /** Ops dropped because 64 MiB already waited for that node's connection. */
  readonly droppedPendingFull: number;
  /** Busy periods of connections, ops written while busy, senders held (busy_dist_port). */
  readonly busyEvents: number;
  readonly sendsWhileBusy: number;
  readonly holds: number;
  /** Undecodable ops received (their connection was closed). */
  readonly badOps: number;
  /** Times the node thread left the I/O thread's records waiting because the actors' side was behind. */
  readonly inputHolds: number;
}

/**
 * The distribution layer as a node kind sees it (src/dist/distribution.ts implements it;
 * core never knows what is behind it). Given to the node at construction; the node
 * hands its scheduler the transport and hooks, then attaches.
 */
export interface NodeDistribution {
  readonly name: string;
  /** To pass on in the scheduler's SchedulerHost. */
  readonly transport: Transport;
  readonly hooks: DistHooks;
  /** The node's scheduler, its registry and gateway exist: start handing traffic in. */
  attach(inbound: Inbound, registry: Pick<Registry, 'whereis'>, spawnHere: (target: unknown, args: readonly unknown[]) => Pid | Promise<Pid>, gateway: Pid, emit: (event: 'nodeup' | 'nodedown', arg: unknown) => void, senders?: SenderControl): void;
  nodes(which?: 'visible' | 'hidden' | 'connected'): string[];
  connectNode(name: string): Promise<boolean>;
  disconnectNode(name: string): Promise<boolean>;
  spawnOn(node: string, target: unknown, args: readonly unknown[]): Promise<Pid>;
  stats(): DistStats;
  /** The I/O thread's counters (connections, refusals, input pauses, the link). */
  ioStats(): Promise<Readonly<Record<string, unknown>>>;
  /** Close every connection (peers see nodedown), unregister, end the I/O thread. */
  stop(): Promise<void>;
}

export interface Node {
  /** The gateway actor of the embedding thread: `exit` and `call` come from it. */
  readonly pid: Pid;
  /** Scheduler threads: 0 when the one scheduler runs on the calling thread. */
  readonly schedulers: number;
  /** False once `stop()` has begun. */
  readonly running: boolean;
  /**
   * Whether `spawn` accepts closures (a handler object or generator function defined
   * anywhere): only where the actor runs on the calling thread (schedulers: 0). Elsewhere
   * behaviours must be module-defined so every scheduler thread can import them.
   */
  readonly spawnsClosures: boolean;

  /** This node's name ('a@127.0.0.1'), 'nonode@nohost' when started without one. */
  readonly name: string;

  spawn(target: SpawnTarget, args?: readonly unknown[], opts?: NodeSpawnOptions): Promise<Pid>;
  send(to: Dest, msg: unknown): void;
  /** An exit signal from the gateway (Erlang's exit/2; 'kill' is untrappable). */
  exit(pid: Pid, reason: unknown): void;
  /** Call a pid, a registered name, or `{ name, node }` (monitored by name on that node). */
  call<R = unknown>(to: Dest, msg: unknown, timeoutMs?: number): Promise<R>;
  register(name: string, pid: Pid): Promise<void>;
  unregister(name: string): void;
  whereis(name: string): Pid | undefined;
  registered(): string[];
  processInfo(pid: Pid): Promise<ProcessInfo | undefined>;
  /** Every live process of the node (the gateway excluded). */
  processes(): Promise<Pid[]>;
  /**
   * Run `fn(scheduler, ...args)` — a function exported by a module — on the thread of
   * every scheduler that is up (or of those listed), results in scheduler order.
   */
  applyOnSchedulers(fn: { module: string; export: string }, args?: readonly unknown[], schedulers?: readonly number[]): Promise<unknown[]>;
  stats(): NodeStatsReport;
  /**
   * A named node's I/O thread counters (src/dist/io-thread-config.ts IoStats: each
   * connection's bytes, messages, ticks and busy state, refusals, input pauses, the link
   * to the node thread); null on a node without a name.
   */
  ioStats(): Promise<Readonly<Record<string, unknown>> | null>;
  /** Connected nodes: 'visible' (default; hidden ones excluded), 'hidden', or 'connected'. [] without a name. */
  nodes(which?: 'visible' | 'hidden' | 'connected'): string[];
  /** Connect to a node (Erlang's net_kernel:connect_node): true when connected. @throws NotDistributedError */
  connectNode(name: string): Promise<boolean>;
  /** Close the connection to a node (both sides see nodedown): false if none. @throws NotDistributedError */
  disconnectNode(name: string): Promise<boolean>;
  /** Run `hook` when `stop()` begins, while calls still work; last added runs first. */
  onStop(hook: () => Promise<void> | void): void;
  stop(): Promise<void>;

  on(event: 'message', listener: (msg: unknown) => void): this;
  on(event: NodeEvent, listener: (arg: any) => void): this;
  off(event: NodeEvent, listener: (arg: any) => void): this;
  once(event: NodeEvent, listener: (arg: any) => void): this;
}
