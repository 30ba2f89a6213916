/**
 * Leaf types of the core: what spawn takes, what processInfo answers, and ContextHost, the
 * part of a scheduler an actor's Context uses. This module imports nothing but pid types,
 * so actor.ts -> behaviour.ts -> context.ts -> types.ts has no cycle back to the scheduler.
 */
import type { Pid, Ref } from './pid.ts';
import type { DistHooks } from './scheduler-host.ts';
import type { GlobalName } from './global-name.ts';

/** Priorities, as on the BEAM: low runs less often than normal; high runs first. */
export type Priority = 'high' | 'normal' | 'low';

/** A name registered on a node, as Erlang's `{Name, Node}`: `{ name: 'echo', node: 'b@host' }`. */
export interface RemoteName {
  readonly name: string;
  readonly node: string;
}

/** Where a message can go: a pid, a name registered here, a name on a node, or a cluster-wide name. */
export type Dest = Pid | string | RemoteName | GlobalName;

/** Actor status names, by status value (actor.ts kInit .. kDead). */
export const kStatusNames = ['init', 'waiting', 'runnable', 'running', 'loading', 'exiting', 'exited'] as const;
export type StatusName = (typeof kStatusNames)[number];

export interface SpawnOptions {
  link?: boolean;
  priority?: Priority;
  trapExit?: boolean;
  /** Kill the actor with {kind:'maxHeapSize'} when mailbox + state exceed this many bytes. */
  maxHeapSize?: number;
  /** Bound the mailbox to this many messages. */
  maxMailbox?: number;
  /** What happens to a message arriving at a full mailbox: dropped, or the actor is killed. */
  mailboxPolicy?: 'drop-newest' | 'kill';
  maxReductionsPerMessage?: number;
  /** Register the new actor under this name (atomically with the spawn). */
  name?: string;
  /**
   * Multi-thread node (src/threads): the scheduler to run the actor on (its parent's by
   * default). Ignored by a node with one scheduler in the calling thread (LocalNode).
   */
  scheduler?: number;
}

export interface ProcessInfo {
  pid: Pid;
  status: StatusName;
  messageQueueLen: number;
  reductions: number;
  messagesIn: number;
  messagesOut: number;
  /** Bytes: mailbox estimate + state estimate + the record itself. */
  memory: number;
  links: Pid[];
  monitors: Ref[];
  monitoredBy: Pid[];
  trapExit: boolean;
  priority: Priority;
  behaviour: string;
  /** Whether the behaviour's module was compiled with reduction counting. */
  instrumented: boolean;
  registeredName: string | null;
  /** Process style: waiting in a receive. */
  inReceive: boolean;
  dropped: number;
}

export interface SchedulerCounters {
  reductions: number;
  slices: number;
  messagesIn: number;
  messagesOut: number;
  messagesDropped: number;
  spawns: number;
  exits: number;
  timersFired: number;
}

/** What a Context needs to know of the running actor. */
export interface RunningActor {
  readonly pid: Pid;
}

/**
 * What an actor's Context asks of its scheduler (context.ts). The Scheduler implements it;
 * Context depends on this interface only, never on the Scheduler class.
 */
export interface ContextHost {
  /** The running actor, or a NotInActorError naming `method`. */
  requireCurrent(method: string): RunningActor;
  send(to: Dest, msg: unknown): void;
  /** The distribution layer, or null on a node without a name. */
  readonly dist: DistHooks | null;
  spawn(target: unknown, args?: readonly unknown[], opts?: SpawnOptions): Pid;
  spawnMonitor(target: unknown, args?: readonly unknown[], opts?: SpawnOptions): [Pid, Ref];
  link(pid: Pid): void;
  unlink(pid: Pid): void;
  monitor(target: Pid | string | RemoteName | GlobalName): Ref;
  demonitor(ref: Ref, opts?: { flush?: boolean }): boolean;
  exit(pid: Pid, reason: unknown, from?: Pid): void;
  setTrapExit(flag: boolean): boolean;
  setPriority(priority: Priority): Priority;
  register(name: string, pid: Pid): void;
  unregister(name: string): void;
  whereis(name: string): Pid | undefined;
  sendAfter(ms: number, to: Pid | string, msg: unknown): Ref;
  cancelTimer(ref: Ref): number | false;
  /** Process style: record the receive the running generator is about to yield. */
  prepareReceive(pattern: unknown, timeoutMs: number): void;
  expireCall(ref: Ref): void;
  makeRef(): Ref;
  now(): number;
  processInfo(pid: Pid): ProcessInfo | undefined;
  isAlive(pid: Pid): boolean;
}
