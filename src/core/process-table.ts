/**
 * Process table of a Scheduler: slots, serials, spawning an actor into a slot, guests,
 * suspend / resume, shutdown, and introspection over the table. Functions taking the scheduler; `lookup` / `lookupId`
 * (the hot path) stay on the Scheduler class.
 *
 * Pid space. Scheduler `index` of a node with `stride` pid-owning endpoints owns the ids
 * `slot * stride + index`. A slot's serial counts the pids it has had, so a pid of a dead
 * actor never names the slot's next one:
 *
 *   table[slot]    the Actor, or undefined (free, or reserved, or moved away)
 *   serials[slot]  serial of the slot's current / next pid; -1: reserved by another thread
 *                  (placement.ts) whose SPAWN has not arrived yet
 *   freeSlots      slots to reuse (their serial already bumped)
 *
 * Slots come from `freeSlots`, then from the host's `nextSlot` (a node-wide counter), else
 * the end of the table.
 *
 * Guests: actors of another scheduler's pid space running here (slot -1, live migration);
 * kept in `guests` by id.
 */
import {
  Actor, kWaiting, kLoading, kExiting, kDead, kRunnable, fQueued, fTrapExit, fProcess, fLimits, fStarted, kPriorityNames,
  kStatusNames,
} from './actor.ts';
import { channel } from 'node:diagnostics_channel';
import { Behaviour, BehaviourKind, behaviourOf, loadBehaviour, loadedBehaviour, type BehaviourRef } from './behaviour.ts';
import { estimateSize } from './copy.ts';
import { BadArgError, NameTakenError, NoProcError, NotRegisteredError } from './errors.ts';
import { describe } from './describe.ts';
import { Pid } from './pid.ts';
import { reductions } from './reductions.ts';
import type { SchedulerState } from './scheduler-state.ts';
import { validateSpawnOptions } from './scheduler-options.ts';
import { linkActors } from './signals.ts';
import { processHasWork } from './receive.ts';
import type { Priority, ProcessInfo, SpawnOptions } from './types.ts';

/**
 * diagnostics_channel 'switchboard:spawn' (src/profile/metrics/diagnostics.ts documents
 * it): published on the spawning scheduler's thread, only while someone subscribes there
 * (one boolean check per spawn otherwise, nothing allocated).
 */
const spawnChannel = channel('switchboard:spawn');

function publishSpawn(pid: Pid, parent: Pid | null, beh: Behaviour | BehaviourRef): void {
  const behaviour = beh instanceof Behaviour ? beh.label : `${beh.module.slice(beh.module.lastIndexOf('/') + 1)}#${beh.export}`;
  spawnChannel.publish({ pid, parent, behaviour });
}

const kRecordBytes = 160;

/**
 * The Behaviour made for each closure spawned (a handler object or a generator function
 * that is not a Behaviour already): one per closure, not one per actor, so a million
 * actors of one closure share one (it is immutable: a closure is never code-upgraded).
 */
const closureBehaviours = new WeakMap<object, Behaviour>();

function sharedBehaviourOf(target: unknown): Behaviour | BehaviourRef {
  if (target instanceof Behaviour || (typeof target !== 'object' && typeof target !== 'function') || target === null) return behaviourOf(target);
  const hit = closureBehaviours.get(target);
  if (hit !== undefined) return hit;
  const b = behaviourOf(target);
  if (b instanceof Behaviour) closureBehaviours.set(target, b);
  return b;
}
export const kNoSpawnOptions: SpawnOptions = Object.freeze({});

/** A new actor in `at` (a reserved slot) or a fresh slot. */
export function allocate(s: SchedulerState, beh: Behaviour | null, at: number): Actor {
  let slot = at >= 0 ? at : s.freeSlots.pop();
  if (slot === undefined) slot = s.slotSource === null ? s.table.length : s.slotSource();
  if (slot >= s.table.length) {
    // Serial -1: a slot another thread reserved (placement.ts) and has not spawned in yet.
    while (s.table.length <= slot) {
      s.table.push(undefined);
      s.serials.push(-1);
    }
  }
  if (s.serials[slot]! < 0) s.serials[slot] = 0;
  const pid = new Pid(0, slot * s.stride + s.index, s.serials[slot]!);
  const actor = new Actor(pid, slot, beh);
  s.table[slot] = actor;
  s.alive++;
  return actor;
}

export function applyOptions(s: SchedulerState, actor: Actor, opts: SpawnOptions): void {
  if (opts.priority !== undefined) actor.priority = kPriorityNames.indexOf(opts.priority);
  if (opts.trapExit === true) actor.flags |= fTrapExit;
  const heap = opts.maxHeapSize ?? s.options.maxHeapSize;
  if (heap > 0 || opts.maxMailbox !== undefined) {
    const x = actor.x();
    x.maxHeapSize = heap;
    x.maxMailbox = opts.maxMailbox ?? 0;
    x.dropNewest = opts.mailboxPolicy !== 'kill';
    x.sizes = [];
    actor.flags |= fLimits;
  }
  if (opts.maxReductionsPerMessage !== undefined) actor.x().maxReductionsPerMessage = opts.maxReductionsPerMessage;
}

export function startActor(s: SchedulerState, actor: Actor, beh: Behaviour): void {
  // A superseded behaviour starts on the current version of its module (hot code reload).
  while (beh.upgrade !== null && beh.upgrade.to !== null) beh = beh.upgrade.to;
  actor.behaviour = beh;
  if (beh.upgrade !== null) {
    s.beginExit(actor, Object.freeze({
      kind: 'undef', module: beh.upgrade.module, export: beh.exportName ?? '?', message: 'the current version of the module does not export it',
    }));
    return;
  }
  if (beh.kind === BehaviourKind.Process) {
    const x = actor.x();
    const args = x.args ?? [];
    x.args = null;
    actor.flags |= fProcess;
    actor.state = beh.process!(s.ctx, ...args);
    s.makeRunnable(actor);
  } else if (beh.handler!.init === undefined) {
    actor.flags |= fStarted;
    actor.status = kWaiting;
    if (actor.mlen > 0) s.makeRunnable(actor);
  } else {
    s.makeRunnable(actor);
  }
}

/** A `{ module, export }` spawn: start now if the module is loaded, else once it is. */
export function startLoading(s: SchedulerState, actor: Actor, ref: BehaviourRef): void {
  const hit = loadedBehaviour(ref);
  if (hit !== undefined) {
    startActor(s, actor, hit);
    return;
  }
  actor.status = kLoading;
  loadBehaviour(ref).then(
    (beh) => {
      if (actor.status !== kLoading) return;
      startActor(s, actor, beh);
      s.wake();
    },
    (err: unknown) => loadFailed(s, actor, ref, err),
  );
}

function loadFailed(s: SchedulerState, actor: Actor, ref: BehaviourRef, err: unknown): void {
  if (actor.status !== kLoading) return;
  s.beginExit(actor, Object.freeze({
    kind: 'undef', module: ref.module, export: ref.export, message: err instanceof Error ? err.message : String(err),
  }));
  s.wake();
}

export function registerActor(s: SchedulerState, name: string, actor: Actor): void {
  const x = actor.x();
  if (x.name !== null) throw new NameTakenError(name, `process ${actor.pid} is already registered as ${x.name}`);
  s.registry.add(name, actor.pid);
  x.name = name;
}

/**
 * Threads layer: spawn into `slot`, which another thread reserved (serial 0) and whose pid
 * it already handed out. `parent` may live on another scheduler; with `link` the link is
 * recorded here (the parent's side recorded it when it reserved the slot).
 */
/** `register(name, pid)` of the Scheduler API: a live local actor only. */
export function registerPid(s: SchedulerState, name: string, pid: Pid): void {
  s.registry.check(name);
  if (!(pid instanceof Pid)) throw new BadArgError(`register: expected a pid, got ${describe(pid)}`);
  const actor = s.lookup(pid);
  if (actor === undefined || actor.status >= kExiting) throw new NoProcError(pid);
  registerActor(s, name, actor);
}

/** `unregister(name)` of the Scheduler API. */
export function unregisterName(s: SchedulerState, name: string): void {
  const pid = s.registry.whereis(name);
  if (pid === undefined) throw new NotRegisteredError(name);
  s.registry.remove(name);
  const actor = s.lookup(pid);
  if (actor?.ext) actor.ext.name = null;
}

/** `trapExit(flag)` of the running actor; returns the old flag. */
export function setTrapExit(s: SchedulerState, flag: boolean): boolean {
  const cur = s.requireCurrent('trapExit');
  const old = (cur.flags & fTrapExit) !== 0;
  if (flag) cur.flags |= fTrapExit;
  else cur.flags &= ~fTrapExit;
  return old;
}

/** `setPriority(p)` of the running actor; returns the old priority. */
export function setPriority(s: SchedulerState, priority: Priority): Priority {
  const cur = s.requireCurrent('setPriority');
  const p = kPriorityNames.indexOf(priority);
  if (p < 0) throw new BadArgError(`setPriority: expected 'high', 'normal' or 'low', got ${describe(priority)}`);
  const old = kPriorityNames[cur.priority];
  cur.priority = p;
  return old;
}

export function spawnInSlot(
  s: SchedulerState, slot: number, target: unknown, args: readonly unknown[], opts: SpawnOptions | undefined, parent: Pid | null, link: boolean,
): Pid {
  const beh = behaviourOf(target);
  const actor = allocate(s, beh instanceof Behaviour ? beh : null, slot);
  if (opts !== undefined) applyOptions(s, actor, opts);
  else if (s.options.maxHeapSize > 0) applyOptions(s, actor, kNoSpawnOptions);
  if (args.length > 0) actor.x().args = args.slice();
  actor.parent = parent;
  if (link && parent !== null) (actor.x().links ??= new Set()).add(parent);
  s.counters.spawns++;
  if (spawnChannel.hasSubscribers) publishSpawn(actor.pid, parent, beh);
  if (beh instanceof Behaviour) startActor(s, actor, beh);
  else startLoading(s, actor, beh);
  s.wake();
  return actor.pid;
}

/** Is local `id` in a slot reserved by another thread and not spawned in yet? */
export function isReservedSlot(s: SchedulerState, id: number): boolean {
  const slot = (id - s.index) / s.stride;
  return id % s.stride === s.index && (slot >= s.table.length || s.serials[slot] === -1);
}

export function processes(s: SchedulerState): Pid[] {
  const out: Pid[] = [];
  for (const a of s.table) if (a !== undefined && a.status < kDead) out.push(a.pid);
  if (s.guests !== null) for (const a of s.guests.values()) if (a.status < kDead) out.push(a.pid);
  return out;
}

export function processInfo(s: SchedulerState, pid: Pid): ProcessInfo | undefined {
  const a = s.lookup(pid);
  if (a === undefined || a.status === kDead) return undefined;
  const x = a.ext;
  let mailboxBytes = 0;
  for (let i = 0; i < a.mlen; i++) mailboxBytes += estimateSize(a.at(i));
  const stateBytes = (a.flags & fProcess) !== 0 ? 256 : estimateSize(a.state);
  const beh = a.behaviour;
  return {
    pid: a.pid,
    status: kStatusNames[a.status]!,
    messageQueueLen: a.mlen,
    reductions: a.reductions,
    messagesIn: a.msgsIn,
    messagesOut: a.msgsOut,
    memory: kRecordBytes + mailboxBytes + stateBytes,
    links: x?.links ? [...x.links] : [],
    monitors: x?.monitors ? [...x.monitors.keys()] : [],
    monitoredBy: x?.monitoredBy ? [...x.monitoredBy.values()] : [],
    trapExit: (a.flags & fTrapExit) !== 0,
    priority: kPriorityNames[a.priority]!,
    behaviour: beh === null ? 'loading' : beh.label,
    instrumented: beh !== null && beh.module !== null && reductions.instrumented.has(beh.module),
    registeredName: x?.name ?? null,
    inReceive: x?.inReceive ?? false,
    dropped: x?.dropped ?? 0,
  };
}

/**
 * Spawn an actor (Scheduler.spawn). The parent is the running actor, if any; the host may
 * place the spawn elsewhere (SchedulerHost.place).
 */
export function spawn(s: SchedulerState, target: unknown, args: readonly unknown[], opts: SpawnOptions | undefined): Pid {
  const beh = sharedBehaviourOf(target);
  validateSpawnOptions(opts);
  if (!Array.isArray(args)) throw new BadArgError('spawn: args must be an array');
  if (opts?.name !== undefined) s.registry.check(opts.name);
  const parent = s.current;
  if (parent !== null && s.placer !== null) {
    const placed = s.placer(target, args, opts);
    if (placed !== null) return placed;
  }
  if (parent !== null) reductions.left -= 10;
  const actor = allocate(s, beh instanceof Behaviour ? beh : null, -1);
  if (opts !== undefined) applyOptions(s, actor, opts);
  else if (s.options.maxHeapSize > 0) applyOptions(s, actor, kNoSpawnOptions);
  if (args.length > 0) actor.x().args = args.slice();
  if (parent !== null) actor.parent = parent.pid;
  s.counters.spawns++;
  if (spawnChannel.hasSubscribers) publishSpawn(actor.pid, parent === null ? null : parent.pid, beh);
  if (opts?.name !== undefined) registerActor(s, opts.name, actor);
  if (opts?.link === true && parent !== null) linkActors(parent, actor);
  if (beh instanceof Behaviour) startActor(s, actor, beh);
  else startLoading(s, actor, beh);
  if (parent === null) s.wake();
  return actor.pid;
}

/** Suspend / resume (sys-style): a suspended actor keeps receiving but does not run. */
export function suspend(s: SchedulerState, pid: Pid): void {
  const a = s.lookup(pid);
  if (a === undefined || a.status >= kExiting) throw new NoProcError(pid);
  a.x().suspended = true;
}

export function resume(s: SchedulerState, pid: Pid): void {
  const a = s.lookup(pid);
  if (a === undefined || a.status >= kExiting) throw new NoProcError(pid);
  const x = a.x();
  if (!x.suspended) return;
  x.suspended = false;
  const hasWork = (a.flags & fProcess) === 0 ? a.mlen > 0 || (a.flags & fStarted) === 0 : processHasWork(x, a.mlen);
  if (a.status === kWaiting && hasWork) s.makeRunnable(a);
  s.wake();
}

/** Kill every actor with `reason` and finalise them; cancel the message timers. */
export function shutdown(s: SchedulerState, reason: unknown): void {
  for (const a of s.table) {
    if (a !== undefined && a.status < kExiting) s.beginExit(a, reason);
  }
  if (s.guests !== null) for (const a of [...s.guests.values()]) if (a.status < kExiting) s.beginExit(a, reason);
  s.processExits();
  for (const t of s.timersByRef.values()) s.wheel.cancel(t);
  s.timersByRef.clear();
  // Drop the run-queue entries of the dead (kept by finalize), keeping any live actor a
  // terminate callback may have spawned.
  for (const q of s.queues) {
    for (let n = q.length; n > 0; n--) {
      const a = q.shift()!;
      if (a.status === kDead) a.flags &= ~fQueued;
      else q.push(a);
    }
  }
}

// -----------------------------------------------------------------------------------
// Live migration (src/threads/migration.ts)
// -----------------------------------------------------------------------------------

/**
 * Up to `max` runnable actors of this scheduler's own table that `ok` accepts, scanning
 * at most `scan` slots from where the last call stopped.
 */
export function runnableActors(s: SchedulerState, max: number, scan: number, ok: (a: Actor) => boolean): Actor[] {
  const out: Actor[] = [];
  const t = s.table;
  const n = t.length;
  if (n === 0) return out;
  let i = s.migrationCursor % n;
  for (let seen = 0; seen < scan && seen < n && out.length < max; seen++) {
    const a = t[i];
    if (a !== undefined && a.status === kRunnable && a !== s.current && ok(a)) out.push(a);
    if (++i === n) i = 0;
  }
  s.migrationCursor = i;
  return out;
}

/**
 * Take `actor` out of this scheduler (it moves to another one): its slot stays reserved
 * (not reused) until `releaseSlot`; a run-queue entry left behind is skipped.
 */
export function detach(s: SchedulerState, actor: Actor): void {
  s.table[actor.slot] = undefined;
  s.alive--;
  actor.status = kDead;
  // Out of its run queue now (O(queue) once per move), so the load it leaves is not counted.
  if ((actor.flags & fQueued) !== 0 && s.queues[actor.priority]!.remove(actor)) actor.flags &= ~fQueued;
}

/** Undo `detach` (the move did not happen): the actor runs here again. */
export function reattach(s: SchedulerState, actor: Actor): void {
  s.table[actor.slot] = actor;
  s.alive++;
  actor.status = kWaiting;
  if (actor.mlen > 0 || (actor.flags & fStarted) === 0) s.makeRunnable(actor);
  s.wake();
}

/** The moved actor of local `id` ended where it went: its slot can be reused. */
export function releaseSlot(s: SchedulerState, id: number): void {
  const slot = (id - s.index) / s.stride;
  if (s.table[slot] !== undefined) return;
  s.serials[slot]!++;
  s.freeSlots.push(slot);
}

/**
 * Run `actor` (slot -1, a pid of another scheduler) here as a guest. Its behaviour is
 * loaded first if this thread has not imported it yet; messages wait in its mailbox.
 */
export function installGuest(s: SchedulerState, actor: Actor, ref: BehaviourRef): void {
  (s.guests ??= new Map()).set(actor.pid.id, actor);
  s.alive++;
  actor.flags &= ~fQueued;
  const start = (beh: Behaviour): void => {
    actor.behaviour = beh;
    actor.status = kWaiting;
    if (actor.mlen > 0 || (actor.flags & fStarted) === 0) s.makeRunnable(actor);
    s.wake();
  };
  const hit = loadedBehaviour(ref);
  if (hit !== undefined) {
    start(hit);
    return;
  }
  actor.status = kLoading;
  loadBehaviour(ref).then(
    (beh) => {
      if (actor.status === kLoading) start(beh);
    },
    (err: unknown) => loadFailed(s, actor, ref, err),
  );
}

