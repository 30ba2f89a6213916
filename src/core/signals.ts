/**
 * Signals of a Scheduler: exit signals, links, monitors, the finalisation of an exiting
 * actor (where its links and monitors fire), the inbound side of every transport, and
 * "peer gone". Functions taking the scheduler.
 *
 * Semantics, as Erlang's:
 *   - an exit signal: 'kill' sent with exit/2 (not via a link) is untrappable (the target
 *     dies 'killed'); a trapping target gets an EXIT message; 'normal' is ignored unless
 *     the target is the sender itself; any other reason ends the target with it;
 *   - a link to a dead pid gives the linker an exit signal 'noproc'; a monitor on one a
 *     DOWN 'noproc';
 *   - a link or monitor to a pid another transport carries (router.ts) is recorded on this
 *     side at once; the owner answers 'noproc' if the pid is gone;
 *   - an exit signal through a link acts only while the link exists on the receiving side
 *     (an unlink may have crossed it), and removes it; a DOWN after a demonitor is dropped.
 *
 * Finalising an exiting actor (after its slice, from the exit queue, never recursively):
 *   1. terminate(reason, state) runs (handler style, started, not 'killed');
 *   2. each link gets an exit signal (local: now; elsewhere: through its transport);
 *   3. each monitor held on it delivers DOWN, and so does each local call still waiting
 *      on it (its pending-call markers, local-call.ts); monitors it held are removed on
 *      both sides;
 *   4. its mailbox and state are dropped, its slot freed (serial bumped), `onExit` told.
 *
 * Peer gone (a thread or a node that died, `peerGone`): every link of a local actor to a
 * pid of the peer fires as an exit signal with the reason, every monitor on such a pid as
 * DOWN with the reason, and monitors such pids held on local actors are dropped.
 */
import { channel } from 'node:diagnostics_channel';
import { Actor, kExiting, kDead, fTrapExit, fStarted } from './actor.ts';
import { BehaviourKind } from './behaviour.ts';
import { describe } from './describe.ts';
import { BadArgError, NoProcError } from './errors.ts';
import { Pid, Ref, kNoPid, pidEquals } from './pid.ts';
import { ExitException, type DownMessage, type ExitMessage } from './reason.ts';
import { reductions } from './reductions.ts';
import type { Inbound } from './router.ts';
import { isRemoteName } from './remote-name.ts';
import { fireCallers } from './local-call.ts';
import { isGlobalName, resolveGlobalName, type GlobalName } from './global-name.ts';
import { nodeTable } from './node-table.ts';
import type { RemoteName } from './types.ts';
import type { SchedulerState } from './scheduler-state.ts';

/**
 * diagnostics_channel 'switchboard:exit' (src/profile/metrics/diagnostics.ts documents it):
 * `{ pid, reason }` on the exiting actor's scheduler thread, once its slot is freed; only
 * while someone subscribes there (one boolean check per exit otherwise).
 */
const exitChannel = channel('switchboard:exit');

/** DOWN for a monitor on an unregistered name carries this placeholder pid. */
const deadNamePid = kNoPid;
/** The sender of an exit signal sent from outside any actor without an explicit `from`. */
const outsidePid = kNoPid;

/** Deliver an exit signal to a local actor (see the header). */
export function exitSignal(s: SchedulerState, target: Actor, from: Pid, reason: unknown, viaLink: boolean): void {
  if (target.status >= kExiting) return;
  if (reason === 'kill' && !viaLink) {
    s.beginExit(target, 'killed');
  } else if ((target.flags & fTrapExit) !== 0) {
    const m: ExitMessage = Object.freeze({ type: 'EXIT', from, reason });
    s.deliver(target, m, 64);
  } else if (reason === 'normal') {
    if (pidEquals(from, target.pid)) s.beginExit(target, 'normal');
  } else {
    s.beginExit(target, reason);
  }
}

export function linkActors(a: Actor, b: Actor): void {
  (a.x().links ??= new Set()).add(b.pid);
  (b.x().links ??= new Set()).add(a.pid);
}

/** Remove `pid` from a set of links; the set holds the canonical pid, `pid` may be an equal copy. */
function deleteLink(links: Set<Pid>, pid: Pid): boolean {
  if (links.delete(pid)) return true;
  for (const p of links) {
    if (pidEquals(p, pid)) {
      links.delete(p);
      return true;
    }
  }
  return false;
}

/**
 * Remove monitor `ref` from a watcher's monitors and return the watcher's own Ref object,
 * or null when it holds no such monitor (it fired already — a peer-gone DOWN — or was
 * demonitored). The map is keyed by the watcher's Ref; `ref` may be an equal copy that
 * crossed threads (a monitor set up through a ring record).
 */
function takeMonitor(monitors: Map<Ref, Pid> | null | undefined, ref: Ref): Ref | null {
  if (monitors == null) return null;
  if (monitors.delete(ref)) return ref;
  for (const r of monitors.keys()) {
    if (r.equals(ref)) {
      monitors.delete(r);
      return r;
    }
  }
  return null;
}

// -----------------------------------------------------------------------------------
// The API of the running actor (and of the embedding)
// -----------------------------------------------------------------------------------

export function exitApi(s: SchedulerState, pid: Pid, reason: unknown, from: Pid | undefined): void {
  if (!(pid instanceof Pid)) throw new BadArgError(`exit: expected a pid, got ${describe(pid)}`);
  const cur = s.current;
  const sender = from ?? (cur !== null ? cur.pid : outsidePid);
  const target = s.lookup(pid);
  if (target === undefined) {
    s.router.transportFor(pid)?.exit(pid, sender, reason, false);
    return;
  }
  exitSignal(s, target, sender, reason, false);
  if (cur !== null && target === cur && cur.status === kExiting) {
    // The running actor ended itself: stop its code now.
    throw new ExitException(cur.x().exitReason);
  }
  if (cur === null) s.wake();
}

export function link(s: SchedulerState, pid: Pid): void {
  const cur = s.requireCurrent('link');
  if (!(pid instanceof Pid)) throw new BadArgError(`link: expected a pid, got ${describe(pid)}`);
  if (pidEquals(pid, cur.pid)) return;
  const other = s.lookup(pid);
  if (other === undefined) {
    const t = s.router.transportFor(pid);
    if (t !== null) {
      // Linked now on this side; the owner answers an exit signal 'noproc' if it is gone.
      (cur.x().links ??= new Set()).add(pid);
      t.link(pid, cur.pid);
      return;
    }
  }
  if (other === undefined || other.status >= kExiting) {
    exitSignal(s, cur, pid, 'noproc', true);
    if (cur.status === kExiting) throw new ExitException('noproc');
    return;
  }
  linkActors(cur, other);
}

export function unlink(s: SchedulerState, pid: Pid): void {
  const cur = s.requireCurrent('unlink');
  if (!(pid instanceof Pid)) throw new BadArgError(`unlink: expected a pid, got ${describe(pid)}`);
  const links = cur.ext?.links;
  if (links != null) deleteLink(links, pid);
  const other = s.lookup(pid);
  other?.ext?.links?.delete(cur.pid);
  if (other === undefined) s.router.transportFor(pid)?.unlink(pid, cur.pid);
}

export function monitor(s: SchedulerState, target: Pid | string | RemoteName | GlobalName): Ref {
  const cur = s.requireCurrent('monitor');
  let pid: Pid | undefined;
  if (target instanceof Pid) pid = target;
  else if (typeof target === 'string') pid = s.registry.whereis(target);
  else if (isRemoteName(target)) {
    if (target.node !== nodeTable.local.name) {
      const t = s.router.node;
      if (t !== null && t.monitorName !== undefined) {
        const ref = s.makeRef();
        (cur.x().monitors ??= new Map()).set(ref, t.monitorName(target.node, target.name, cur.pid, ref));
        return ref;
      }
    } else pid = s.registry.whereis(target.name);
  } else if (isGlobalName(target)) pid = resolveGlobalName(target.global);
  else throw new BadArgError(`monitor: expected a pid, a registered name, { name, node } or { global }, got ${describe(target)}`);
  const ref = s.makeRef();
  const watched = pid === undefined ? undefined : s.lookup(pid);
  if (watched === undefined && pid !== undefined) {
    const t = s.router.transportFor(pid);
    if (t !== null) {
      // The owner answers DOWN 'noproc' if it is gone.
      (cur.x().monitors ??= new Map()).set(ref, pid);
      t.monitor(pid, cur.pid, ref);
      return ref;
    }
  }
  if (watched === undefined || watched.status >= kExiting) {
    const down: DownMessage = Object.freeze({ type: 'DOWN', ref, pid: pid ?? deadNamePid, reason: 'noproc' });
    s.deliver(cur, down, 64);
    return ref;
  }
  const x = watched.x();
  (x.monitoredBy ??= new Map()).set(ref, cur.pid);
  (cur.x().monitors ??= new Map()).set(ref, watched.pid);
  return ref;
}

export function monitorAs(s: SchedulerState, watcher: Pid, target: Pid | RemoteName): Ref {
  const w = s.lookup(watcher);
  if (w === undefined || w.status >= kExiting) throw new NoProcError(watcher);
  const prev = s.current;
  s.current = w;
  try {
    return s.monitor(target);
  } finally {
    s.current = prev;
    // A dead target gives the watcher its DOWN now: run it (from outside a slice).
    if (prev === null) s.wake();
  }
}

/** Remove monitor `ref` held by `w` on both sides. */
function dropMonitor(s: SchedulerState, w: Actor, ref: Ref): boolean {
  const target = w.ext?.monitors?.get(ref);
  if (target === undefined) return false;
  w.ext!.monitors!.delete(ref);
  const watched = s.lookup(target);
  if (watched !== undefined) watched.ext?.monitoredBy?.delete(ref);
  else s.router.transportFor(target)?.demonitor(target, ref);
  return true;
}

export function demonitorAs(s: SchedulerState, watcher: Pid, ref: Ref): void {
  const w = s.lookup(watcher);
  if (w !== undefined) dropMonitor(s, w, ref);
}

export function demonitor(s: SchedulerState, ref: Ref, opts: { flush?: boolean } | undefined): boolean {
  const cur = s.requireCurrent('demonitor');
  if (!(ref instanceof Ref)) throw new BadArgError(`demonitor: expected a ref, got ${describe(ref)}`);
  const removed = dropMonitor(s, cur, ref);
  if (opts?.flush === true) {
    for (let i = 0; i < cur.mlen; i++) {
      const m = cur.at(i) as DownMessage;
      if (typeof m === 'object' && m !== null && m.type === 'DOWN' && m.ref === ref) {
        s.removeMessage(cur, i);
        break;
      }
    }
  }
  return removed;
}

// -----------------------------------------------------------------------------------
// Finalisation (steps 1-4 of the header)
// -----------------------------------------------------------------------------------

export function finalize(s: SchedulerState, actor: Actor): void {
  const x = actor.ext!;
  const reason = x.exitReason;
  const beh = actor.behaviour;
  if (beh !== null && beh.kind === BehaviourKind.Handler && beh.handler!.terminate !== undefined && reason !== 'killed' && (actor.flags & fStarted) !== 0) {
    runTerminate(s, actor, reason);
  }
  actor.status = kDead;
  if (x.timer !== null) {
    s.wheel.cancel(x.timer);
    x.timer = null;
  }
  if (x.links !== null) {
    for (const pid of x.links) {
      const other = s.lookup(pid);
      if (other === undefined) {
        s.router.transportFor(pid)?.exit(pid, actor.pid, reason, true);
        continue;
      }
      // Only a link the other side still holds carries the exit: one that already fired
      // (a peer-gone exit for a guest's dead home) or was unlinked does not fire again.
      const links = other.ext?.links;
      if (links != null && deleteLink(links, actor.pid)) exitSignal(s, other, actor.pid, reason, true);
    }
    x.links = null;
  }
  if (x.monitoredBy !== null) {
    for (const [ref, watcherPid] of x.monitoredBy) {
      const watcher = s.lookup(watcherPid);
      if (watcher === undefined) {
        s.router.transportFor(watcherPid)?.down(watcherPid, ref, actor.pid, reason);
        continue;
      }
      if (watcher.status >= kExiting) continue;
      // One DOWN per monitor: none when the watcher no longer holds it (see takeMonitor).
      const held = takeMonitor(watcher.ext?.monitors, ref);
      if (held === null) continue;
      const down: DownMessage = Object.freeze({ type: 'DOWN', ref: held, pid: actor.pid, reason });
      s.deliver(watcher, down, 64);
    }
    x.monitoredBy = null;
  }
  // Calls in flight to it from this scheduler (local-call.ts): their DOWNs, as monitors'.
  if (x.callers !== null) fireCallers(s, actor, reason);
  if (x.monitors !== null) {
    for (const [ref, target] of x.monitors) {
      const watched = s.lookup(target);
      if (watched !== undefined) watched.ext?.monitoredBy?.delete(ref);
      else s.router.transportFor(target)?.demonitor(target, ref);
    }
    x.monitors = null;
  }
  actor.clearMailbox();
  actor.state = undefined;
  // A dead actor still in a run queue stays there and is skipped when picked (runSlice
  // checks the status): removing it here would cost O(queue length) per exit, and a
  // shutdown of n runnable actors O(n^2).
  if (actor.slot >= 0) {
    s.table[actor.slot] = undefined;
    s.serials[actor.slot]!++;
    s.freeSlots.push(actor.slot);
  } else {
    s.guests!.delete(actor.pid.id);
  }
  s.alive--;
  s.counters.exits++;
  if (exitChannel.hasSubscribers) exitChannel.publish({ pid: actor.pid, reason });
  if (s.onExit !== null) s.onExit(actor.pid, reason);
  if (actor.slot < 0 && s.guestExited !== null) s.guestExited(actor.pid);
}

function runTerminate(s: SchedulerState, actor: Actor, reason: unknown): void {
  const R = reductions;
  const prev = s.current;
  s.current = actor;
  // The status stays kExiting: a signal the actor sends itself from terminate (exit,
  // link to a dead pid, an overfull mailbox) must not start a second exit.
  R.left = s.options.budget;
  R.overrun = 0;
  R.kill = 0;
  R.beginMessage();
  try {
    actor.behaviour!.handler!.terminate!(reason, actor.state, s.ctx);
  } catch {
    // The exit reason stays the one that ended the actor.
  }
  s.current = prev;
}

// -----------------------------------------------------------------------------------
// Inbound: what a transport hands the scheduler (router.ts)
// -----------------------------------------------------------------------------------

/**
 * The scheduler's inbound API (router.ts `Inbound`): what a transport hands it. Pids are
 * local (`to`, `watcher`) or of the transport's side (`from`, `pid`); answers that must go
 * back ('noproc') go through the router, to the transport of the asking pid.
 */
export class SchedulerInbound implements Inbound {
  private readonly s: SchedulerState;

  constructor(s: SchedulerState) {
    this.s = s;
  }

  /** A message (already a copy: decoded) for local `to`; false when dropped (a dead pid). */
  deliverTo(to: Pid, msg: unknown, bytes: number): boolean {
    const s = this.s;
    const a = s.lookup(to);
    if (a === undefined || a.status >= kExiting) {
      s.counters.messagesDropped++;
      return false;
    }
    s.deliver(a, msg, bytes);
    if (s.current === null) s.wake();
    return true;
  }

  /** An exit signal to local `to` from `from`; through a link only while the link exists here. */
  exitIn(to: Pid, from: Pid, reason: unknown, viaLink: boolean): void {
    const s = this.s;
    const target = s.lookup(to);
    if (target === undefined) return;
    if (viaLink) {
      const links = target.ext?.links;
      if (links == null || !deleteLink(links, from)) return;
    }
    exitSignal(s, target, from, reason, viaLink);
    if (s.current === null) s.wake();
  }

  /** `from` linked to local `to`: an exit signal 'noproc' goes back if `to` is gone. */
  linkIn(to: Pid, from: Pid): void {
    const s = this.s;
    const a = s.lookup(to);
    if (a === undefined || a.status >= kExiting) {
      s.router.transportFor(from)?.exit(from, a?.pid ?? to, 'noproc', true);
      return;
    }
    (a.x().links ??= new Set()).add(from);
  }

  unlinkIn(to: Pid, from: Pid): void {
    const s = this.s;
    const links = s.lookup(to)?.ext?.links;
    if (links != null) deleteLink(links, from);
  }

  /** `watcher` monitors local `to` with `ref`: DOWN 'noproc' goes back if `to` is gone. */
  monitorIn(to: Pid, watcher: Pid, ref: Ref): void {
    const s = this.s;
    const a = s.lookup(to);
    if (a === undefined || a.status >= kExiting) {
      s.router.transportFor(watcher)?.down(watcher, ref, a?.pid ?? to, 'noproc');
      return;
    }
    (a.x().monitoredBy ??= new Map()).set(ref, watcher);
  }

  demonitorIn(to: Pid, ref: Ref): void {
    const s = this.s;
    const by = s.lookup(to)?.ext?.monitoredBy;
    if (by == null || by.delete(ref)) return;
    for (const r of by.keys()) {
      if (r.equals(ref)) {
        by.delete(r);
        return;
      }
    }
  }

  /** The DOWN of monitor `ref` local `watcher` holds on `pid`, if it still holds it. */
  downIn(watcher: Pid, ref: Ref, pid: Pid, reason: unknown): void {
    const s = this.s;
    const a = s.lookup(watcher);
    const monitors = a?.ext?.monitors;
    if (a === undefined || monitors == null || a.status >= kExiting) return;
    for (const [r, target] of monitors) {
      if (r === ref || r.equals(ref)) {
        monitors.delete(r);
        const down: DownMessage = Object.freeze({ type: 'DOWN', ref: r, pid: pidEquals(target, pid) ? target : pid, reason });
        s.deliver(a, down, 64);
        if (s.current === null) s.wake();
        return;
      }
    }
    // Demonitored meanwhile: dropped, as Erlang guarantees.
  }

  /** Peer gone (see the header): `peer` is a node index, or a predicate on pids. */
  peerGone(peer: number | ((pid: Pid) => boolean), reason: unknown): void {
    const s = this.s;
    const hit = typeof peer === 'number' ? (p: Pid): boolean => p.node === peer : peer;
    for (const pid of s.processes()) {
      const a = s.lookup(pid);
      const x = a?.ext;
      if (a === undefined || x == null) continue;
      if (x.links !== null) for (const p of [...x.links]) if (hit(p)) this.exitIn(pid, p, reason, true);
      if (x.monitors !== null) for (const [ref, t] of [...x.monitors]) if (hit(t)) this.downIn(pid, ref, t, reason);
      if (x.monitoredBy !== null) for (const [ref, w] of [...x.monitoredBy]) if (hit(w)) x.monitoredBy.delete(ref);
    }
  }
}
