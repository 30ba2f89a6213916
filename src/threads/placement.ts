/**
 * Placement: `ctx.spawn(behaviour, args, { scheduler: k })` by an actor of scheduler j
 * returns the new pid synchronously, although the actor is created on scheduler k's
 * thread. The pid is reserved in k's pid space from j's thread:
 *
 *   control word slotBase + k (layout.ts): the next fresh slot of scheduler k's actor table.
 *   Every fresh slot of k — k's own spawns when its free list is empty (the Scheduler's
 *   `SchedulerHost.nextSlot`) and reservations by other threads — is taken with one
 *   `Atomics.add(word, 1)`, so no two threads ever get the same slot. A fresh slot's
 *   serial is 0, so the reserved pid is `<0.slot*E+k.0>`, known before k hears of it.
 *
 * Protocol:
 *   1. j reserves a slot (above), builds the pid, and writes a SPAWN record
 *      `id parent.id parent.serial link | { module, export, args, opts }` into its ring to
 *      k (endpoint.ts). With `link`, j records the link on the parent's side at once.
 *      `spawnMonitor`'s MONITOR record follows in the same ring, so it arrives after.
 *   2. j returns the pid. Its later records to that pid follow the SPAWN record in the
 *      same FIFO ring, so k creates the actor before it sees them.
 *   3. A third endpoint that got the pid (in a message) may write to it on another ring,
 *      before the SPAWN record reached k. k recognises a reserved slot it has not spawned
 *      into (`Scheduler.isReservedSlot`: serial -1 or beyond its table) and keeps such
 *      records aside, in arrival order, instead of dropping them (or answering 'noproc').
 *   4. On SPAWN, k creates the actor in that slot (`Scheduler.spawnInSlot`, loading the
 *      module if needed while messages wait in its mailbox), records the link, registers
 *      the `name` option (if the name is taken by then, the new actor exits with
 *      `{ kind: 'nameTaken', name }` and its parent sees that through links/monitors),
 *      then replays the records kept aside for it.
 *
 * Only a module-defined behaviour can be placed on another thread: `{ module, export }`
 * or a Behaviour from `defineActor(import.meta.url, impl, 'ExportName')`. A closure, or a
 * Behaviour whose export name is unknown, gets a NotPortableError naming the problem.
 */

import { Behaviour, type BehaviourRef } from '../core/behaviour.ts';
import { BadArgError } from '../core/errors.ts';
import { NotPortableError } from './errors.ts';
import type { NodeLayout } from './layout.ts';

/** Reserve a fresh slot of scheduler `k` (any thread of the node). */
export function reserveSlot(control: Int32Array, layout: NodeLayout, k: number): number {
  // Hands this thread a slot number no other thread (nor k itself) will get; nothing else
  // is published by it: the SPAWN record carries the rest, through the ring.
  return Atomics.add(control, layout.slotBase + k, 1);
}

/**
 * The `{ module, export }` another thread can import for `target`. For an explicit
 * `scheduler` option a target that is not portable throws NotPortableError; for the
 * balancer's choice it returns null (the spawn then stays on the parent's scheduler).
 */
export function portableRef(target: unknown, explicit: boolean, k: number): BehaviourRef | null {
  if (target instanceof Behaviour) {
    if (target.module !== null && target.exportName !== null) return { module: target.module, export: target.exportName };
    if (!explicit) return null;
    if (target.module === null) {
      throw new NotPortableError(`spawn on scheduler ${k}: a closure behaviour (${target.label}) cannot run on another scheduler; define it with defineActor(import.meta.url, impl, 'ExportName') in a module that exports it`);
    }
    throw new NotPortableError(`spawn on scheduler ${k}: the export name of the behaviour from ${target.module} is unknown; pass it: defineActor(import.meta.url, impl, 'ExportName')`);
  }
  if (typeof target === 'object' && target !== null) {
    const r = target as Partial<BehaviourRef>;
    if (typeof r.module === 'string' && typeof r.export === 'string') return { module: r.module, export: r.export };
  }
  if (!explicit) return null;
  if (typeof target === 'function' || (typeof target === 'object' && target !== null)) {
    throw new NotPortableError(`spawn on scheduler ${k}: a closure (${typeof target === 'function' ? 'function' : 'handler object'}) cannot run on another scheduler; use defineActor(import.meta.url, impl, 'ExportName') or { module, export }`);
  }
  throw new BadArgError('spawn: expected a Behaviour, a closure or { module, export }');
}
