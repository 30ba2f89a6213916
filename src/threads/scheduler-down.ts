/**
 * Scheduler down: what the embedding thread does when a scheduler's worker exits without
 * being asked (an uncaught error in a callback of actor code, process.exit in the worker).
 * The other schedulers keep running; the dead one's processes are gone.
 *
 * Steps (takeSchedulerDown, on the embedding thread, once per scheduler):
 *   1. Clear its alive flag in the control block: peers stop writing to it.
 *   2. Mark its stats block 'down'.
 *   3. Recover name-table slots it held locked, and drop its processes' names.
 *   4. Drain every record it committed before dying (e.g. replies): they come first.
 *   5. Tell every scheduler still up (SCHEDDOWN with the reason): each fires the links
 *      and monitors to the dead scheduler's processes with the reason.
 *   6. Reject the gateway's calls to its processes (CallExitError with the reason) and its
 *      requests to it (NotRunningError); for the gateway's own scheduler, its processes
 *      are a peer gone (`peerGone`: the gateway actor's monitors on them go).
 *   7. Return the event the node reports (`onSchedulerDown`, 'schedulerDown').
 *
 * The reason links and monitors fire with: { kind: 'schedulerDown', scheduler, exitCode,
 * error } (error: "Name: message" of the worker's uncaught error, or null).
 */
import { Pid } from '../core/pid.ts';
import type { Gateway } from './gateway.ts';
import { kCtlAliveBase, statsOffset, type NodeLayout } from './layout.ts';
import type { SharedRegistry } from './shared-registry.ts';
import { kStateDown, markStatsState } from './stats.ts';

export interface SchedulerDownEvent {
  scheduler: number;
  /** The exit reason its processes' links and monitors fired with. */
  reason: SchedulerDownReason;
}

export interface SchedulerDownReason {
  readonly kind: 'schedulerDown';
  readonly scheduler: number;
  readonly exitCode: number;
  readonly error: string | null;
}

/** What the steps touch: the node's shared memory, its name table and its gateway. */
export interface SchedulerDownPort {
  readonly sab: SharedArrayBuffer;
  readonly layout: NodeLayout;
  readonly registry: SharedRegistry;
  readonly gateway: Gateway;
  /** Which schedulers are down; `k` is already marked when the steps run. */
  readonly down: readonly boolean[];
}

/** Steps 1-7 for scheduler `k`, whose worker exited with `exitCode` (after `error`, if any). */
export function takeSchedulerDown(port: SchedulerDownPort, k: number, exitCode: number, error: Error | null): SchedulerDownEvent {
  const { sab, layout, registry, gateway } = port;
  const reason: SchedulerDownReason = Object.freeze({
    kind: 'schedulerDown',
    scheduler: k,
    exitCode,
    error: error === null ? null : `${error.name}: ${error.message}`,
  });
  const control = new Int32Array(sab, 0, layout.controlWords);
  // Step 1: the store makes "k is gone" visible to every peer; a peer loads the flag
  // before writing to k's rings, so it writes nothing more there.
  Atomics.store(control, kCtlAliveBase + k, 0);
  markStatsState(sab, statsOffset(layout, k), kStateDown);
  registry.recoverFrom(k);
  registry.removeOwnedBy(k);
  gateway.drainFrom(k);
  gateway.markDead(k);
  for (let j = 0; j < layout.schedulers; j++) if (!port.down[j]) gateway.sendSchedulerDown(j, k, reason);
  gateway.flush();
  gateway.failCallsWhere((to) => to instanceof Pid && to.id % layout.endpoints === k, reason);
  gateway.sched.inbound.peerGone((p) => p.node === 0 && p.id % layout.endpoints === k, reason);
  gateway.failRequestsTo(k);
  return { scheduler: k, reason };
}
