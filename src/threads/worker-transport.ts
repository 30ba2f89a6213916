/**
 * The scheduler's Transport to the other endpoints of its node (core/router.ts), for every
 * endpoint that hosts a scheduler (a scheduler thread, worker-host.ts; the embedding
 * thread's gateway, gateway.ts): every
 * outbound operation on a pid another thread owns becomes one ring record (records.ts),
 * written with the Endpoint's header writer for its kind and emitted to the pid's
 * endpoint (or, for an actor of this scheduler that moved away, to where it went).
 *
 * When the destination is down the record is dropped, and what its owner would have
 * answered is answered here, after the current slice: a link gets an exit signal
 * 'noproc', a monitor a DOWN 'noproc'.
 *
 * An untrappable 'kill' (exit/2, not via a link) to another scheduler is committed and
 * then announced in that scheduler's kill block (kill-flags.ts, steps 1-2), so it ends
 * even an actor stuck in a loop.
 */
import type { Pid, Ref } from '../core/pid.ts';
import type { Transport } from '../core/router.ts';
import type { SchedulerEndpoint } from './scheduler-endpoint.ts';

export class ThreadTransport implements Transport {
  private readonly w: SchedulerEndpoint;

  constructor(host: SchedulerEndpoint) {
    this.w = host;
  }

  send(to: Pid, msg: unknown): void {
    const w = this.w;
    w.emitTo(to, w.hdrMsg(to), msg, true);
  }

  exit(to: Pid, from: Pid, reason: unknown, viaLink: boolean): void {
    const w = this.w;
    w.emitSignal(to, w.hdrExit(to, from, viaLink), reason);
    const dest = to.id % w.endpoints;
    if (reason === 'kill' && !viaLink && dest !== w.gateway && dest !== w.index) {
      // Commit the record, then announce it (kill-flags.ts, steps 1-2).
      w.flush();
      w.kills.request(to);
    }
  }

  link(to: Pid, from: Pid): void {
    const w = this.w;
    if (!w.emitTo(to, w.hdrLink(to, from), undefined, false)) {
      // Its scheduler is down: the process is gone.
      w.later(() => w.sched.inbound.exitIn(from, to, 'noproc', true));
    }
  }

  unlink(to: Pid, from: Pid): void {
    const w = this.w;
    w.emitTo(to, w.hdrUnlink(to, from), undefined, false);
  }

  monitor(to: Pid, watcher: Pid, ref: Ref): void {
    const w = this.w;
    if (!w.emitTo(to, w.hdrMonitor(to, watcher, ref), undefined, false)) {
      w.later(() => w.sched.inbound.downIn(watcher, ref, to, 'noproc'));
    }
  }

  demonitor(to: Pid, ref: Ref): void {
    const w = this.w;
    w.emitTo(to, w.hdrDemonitor(to, ref), undefined, false);
  }

  down(to: Pid, ref: Ref, pid: Pid, reason: unknown): void {
    const w = this.w;
    w.emitSignal(to, w.hdrDown(to, pid, ref), reason);
  }

  /** A name of a pid owned elsewhere was removed from the shared registry: tell its owner. */
  nameCleared(name: string, pid: Pid): void {
    const w = this.w;
    w.emitTo(pid, w.hdrNameClear(pid), name, true);
  }
}
