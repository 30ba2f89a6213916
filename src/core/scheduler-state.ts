/**
 * SchedulerState: the part of a Scheduler that its function groups work on
 * (process-table.ts, signals.ts, limits.ts, scheduler-timers.ts, receive.ts,
 * code-upgrade.ts, driver.ts). The Scheduler class implements it; the groups depend on
 * this interface, never on the class, so no core module imports scheduler.ts back.
 */
import type { GlobalName } from './global-name.ts';
import type { Actor, ActorTimer } from './actor.ts';
import type { Context } from './context.ts';
import type { Pid, Ref } from './pid.ts';
import type { Registry } from './registry.ts';
import type { Router, Transport } from './router.ts';
import type { RunQueue } from './run-queue.ts';
import type { SchedulerOptions } from './scheduler-options.ts';
import type { TimerWheel } from './timer-wheel.ts';
import type { RemoteName, SchedulerCounters, SpawnOptions } from './types.ts';

export interface SchedulerState {
  readonly options: SchedulerOptions;
  readonly index: number;
  readonly stride: number;
  readonly registry: Registry;
  readonly ctx: Context;
  readonly router: Router;
  readonly counters: SchedulerCounters;
  /** The actor running right now, or null. */
  current: Actor | null;
  /** The thread's current-microstate word (microstate.ts). */
  readonly ms: Int32Array;
  onExit: ((pid: Pid, reason: unknown) => void) | null;
  /** Actors of another scheduler's pid space running here, by id. */
  guests: Map<number, Actor> | null;

  // The process table (process-table.ts).
  readonly table: (Actor | undefined)[];
  readonly serials: number[];
  readonly freeSlots: number[];
  alive: number;
  migrationCursor: number;
  /** Run queues by priority, and the exit queue. */
  readonly queues: RunQueue<Actor>[];
  readonly exiting: RunQueue<Actor>;

  // Timers (scheduler-timers.ts).
  readonly wheel: TimerWheel<ActorTimer>;
  readonly timersByRef: Map<Ref, ActorTimer>;
  readonly clock: () => number;
  /** Actors whose receive timer is deferred to the next tick (scheduler-timers.ts). */
  readonly deferredTimers: Actor[];

  // Host hooks (scheduler-host.ts), null when absent.
  readonly placer: ((target: unknown, args: readonly unknown[], opts: SpawnOptions | undefined) => Pid | null) | null;
  readonly slotSource: (() => number) | null;
  readonly guestExited: ((pid: Pid) => void) | null;

  now(): number;
  makeRef(): Ref;
  lookup(pid: Pid): Actor | undefined;
  deliver(actor: Actor, msg: unknown, bytes: number): void;
  sendOut(t: Transport, to: Pid, msg: unknown): void;
  beginExit(actor: Actor, reason: unknown): void;
  makeRunnable(actor: Actor): void;
  wake(): void;
  requireCurrent(method: string): Actor;
  removeMessage(actor: Actor, i: number): unknown;
  monitor(target: Pid | string | RemoteName | GlobalName): Ref;
  processes(): Pid[];
  processExits(): void;
  runSlice(): boolean;
  fireDueTimers(): number;
  msUntilNextTimer(): number;
  hasWork(): boolean;
}
