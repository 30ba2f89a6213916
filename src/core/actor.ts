/**
 * Actor: the record of one process on its scheduler.
 *
 * It extends Mailbox so the mailbox fields sit inline. Everything an idle actor rarely
 * needs (links, monitors, registered name, limits, receive state, call markers) lives in
 * `ext`, an ActorExt allocated on first use, so an idle handler-style actor — spawned by
 * another or not — costs one object of sixteen fields plus its Pid (its Behaviour is
 * shared: process-table.ts).
 */
import { Mailbox } from './mailbox.ts';
import type { Pid, Ref } from './pid.ts';
import type { Behaviour } from './behaviour.ts';
import { TimerNode } from './timer-wheel.ts';
import type { Priority } from './types.ts';
import type { PendingCallers } from './local-call.ts';

/** Actor.status values. */
export const kInit = 0; // spawned, init (or the generator's first step) not run yet
export const kWaiting = 1; // idle: waiting for a message (not in a run queue)
export const kRunnable = 2; // in a run queue
export const kRunning = 3; // running right now
export const kLoading = 4; // its behaviour module is being imported
export const kExiting = 5; // marked to exit; links/monitors not yet fired
export const kDead = 6;

export { kStatusNames } from './types.ts';

/** Actor.flags bits. */
export const fQueued = 1; // in a run queue (never twice)
export const fTrapExit = 2;
export const fProcess = 4; // generator actor
export const fLimits = 8; // has maxHeapSize or maxMailbox: deliveries take the slow path
export const fStarted = 16; // init / first generator step done

/** Priorities, as on the BEAM: low runs less often than normal; high runs first. */
export const kPriorityHigh = 0;
export const kPriorityNormal = 1;
export const kPriorityLow = 2;
export type { Priority };
export const kPriorityNames: readonly Priority[] = ['high', 'normal', 'low'];

export class ActorExt {
  links: Set<Pid> | null = null;
  /** Monitors this actor holds on others: ref -> target. */
  monitors: Map<Ref, Pid> | null = null;
  /** Monitors others hold on this actor: ref -> watcher. */
  monitoredBy: Map<Ref, Pid> | null = null;
  name: string | null = null;
  maxHeapSize = 0;
  maxMailbox = 0;
  dropNewest = false;
  dropped = 0;
  /** Byte estimate of each queued message, kept only when limits are set. */
  sizes: number[] | null = null;
  /** Process style: in a receive, with this pattern (undefined = any message). */
  inReceive = false;
  pattern: unknown = undefined;
  timeoutMs = -1;
  /** Index in the mailbox from which the current receive still has to look. */
  scanFrom = 0;
  timer: ActorTimer | null = null;
  /** The receive-after timer node, kept for reuse by the next receive-after (not in the wheel). */
  spareTimer: ActorTimer | null = null;
  timedOut = false;
  exitReason: unknown = undefined;
  maxReductionsPerMessage = 0;
  /** Arguments for init / the generator until the first run. */
  args: unknown[] | null = null;
  /** Suspended by the embedding/sys API: not scheduled until resumed. */
  suspended = false;
  /**
   * Refs of calls this actor gave up on (timed out): a `$reply` carrying one is dropped on
   * delivery, like a reply to a deactivated alias in Erlang. Oldest first, bounded (see
   * Scheduler.expireCall).
   */
  expiredCalls: Ref[] | null = null;
  /**
   * Local call fast path (local-call.ts). As a server: the calls in flight to it from
   * actors of this scheduler (its pending-call markers, fired at its finalisation). As a
   * client: the ref of the call it waits for.
   */
  callers: PendingCallers | null = null;
  callRef: Ref | null = null;
}

export class Actor extends Mailbox {
  readonly pid: Pid;
  readonly slot: number;
  behaviour: Behaviour | null;
  /** Handler style: the user's state. Process style: the generator. */
  state: unknown = undefined;
  status: number = kInit;
  flags = 0;
  priority: number = kPriorityNormal;
  reductions = 0;
  msgsIn = 0;
  msgsOut = 0;
  ext: ActorExt | null = null;
  /**
   * The spawning process (Erlang's `parent`), or null. Kept here, not in `ext`: every
   * child has one, and an ext allocated for it alone would triple an idle child's record.
   */
  parent: Pid | null = null;

  constructor(pid: Pid, slot: number, behaviour: Behaviour | null) {
    super();
    this.pid = pid;
    this.slot = slot;
    this.behaviour = behaviour;
  }

  x(): ActorExt {
    return this.ext ?? (this.ext = new ActorExt());
  }
}

/** Timer kinds. */
export const kTimerSend = 0;
export const kTimerReceive = 1;
export const kTimerCallback = 2;

export class ActorTimer extends TimerNode {
  kind = kTimerSend;
  /** kTimerSend: destination pid or name; kTimerReceive: the waiting actor. */
  target: Pid | string | Actor | null = null;
  msg: unknown = undefined;
  /** kTimerSend: byte estimate of the copied message (for mailbox accounting). */
  bytes = 0;
  ref: Ref | null = null;
  callback: (() => void) | null = null;
}
