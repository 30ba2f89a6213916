/**
 * Router: where a pid lives, as the scheduler sees it, and the Transport interface every
 * way out of this scheduler implements.
 *
 *   route(pid)          pid.node   pid.id % stride      moved out?   ->
 *   ---------------------------------------------------------------------------------
 *                       !== 0      -                    -            kRouteNode   (another node)
 *                       0          !== index            -            kRouteThread (another endpoint)
 *                       0          === index            yes          kRouteThread (it moved away)
 *                       0          === index            no           kRouteHere
 *
 * Node index 0 is always this node (the codec's node table maps the other indexes to a
 * node identity); `stride` endpoints of this node own the pid space by `id % stride`.
 *
 * The scheduler asks the router only when its own table has no actor for the pid (the
 * local send path never reaches here): `transportFor(pid)` answers the transport that
 * carries it, or null when nothing does — then the pid is treated as dead, as before there
 * was a router: a send is dropped, a link gets an exit signal 'noproc', a monitor a DOWN
 * 'noproc'. Two integer compares and a null test decide.
 *
 * The inbound side, `Inbound` (what a transport hands the scheduler: `scheduler.inbound`,
 * signals.ts), mirrors the outbound one, plus `peerGone`: a transport whose peer (a thread,
 * a node) is gone fires every link and monitor local actors hold on the peer's pids.
 */
import type { Pid, Ref } from './pid.ts';

/** This node's index in every pid (index 0 of the node table). */
export const kLocalNode = 0;

export const kRouteHere = 0;
export const kRouteThread = 1;
export const kRouteNode = 2;

/**
 * The outbound operations to pids this scheduler does not own. The threads layer
 * implements it for "another endpoint of this node" (worker-host transport); the
 * distribution layer implements it for "another node".
 */
export interface Transport {
  /** A message (not yet copied: the encoding is the copy). May throw UnsendableError. */
  send(to: Pid, msg: unknown): void;
  /** An exit signal; `viaLink` when it comes from a linked process's exit. */
  exit(to: Pid, from: Pid, reason: unknown, viaLink: boolean): void;
  link(to: Pid, from: Pid): void;
  unlink(to: Pid, from: Pid): void;
  monitor(to: Pid, watcher: Pid, ref: Ref): void;
  demonitor(to: Pid, ref: Ref): void;
  /** The DOWN message of a monitor `to` holds on `pid`. */
  down(to: Pid, ref: Ref, pid: Pid, reason: unknown): void;
  /**
   * A message to the name `name` registered on node `node` (Erlang's `{Name, Node} ! Msg`);
   * only the node transport has it. Dropped if that node has no such name.
   */
  sendNamed?(node: string, name: string, from: Pid, msg: unknown): void;
  /**
   * `watcher` monitors the name `name` on node `node` with `ref`: returns the pid the
   * watcher records the monitor on (a placeholder of that node, remote-name.ts), whose
   * DOWN comes from that node (or 'noconnection' at its nodedown).
   */
  monitorName?(node: string, name: string, watcher: Pid, ref: Ref): Pid;
}

/** Ids of this scheduler's own pid space whose actors now run on another endpoint. */
export interface MovedOut {
  has(id: number): boolean;
}

export class Router {
  readonly index: number;
  readonly stride: number;
  /** To the other endpoints of this node, or null (a node with one endpoint). */
  readonly thread: Transport | null;
  /** To other nodes, or null (no distribution: their pids are dead pids). */
  readonly node: Transport | null;
  private readonly movedOut: MovedOut | null;

  constructor(index: number, stride: number, thread: Transport | null, node: Transport | null, movedOut: MovedOut | null) {
    this.index = index;
    this.stride = stride;
    this.thread = thread;
    this.node = node;
    this.movedOut = movedOut;
  }

  /** Where `pid` lives (kRouteHere, kRouteThread, kRouteNode). */
  route(pid: Pid): number {
    if (pid.node !== kLocalNode) return kRouteNode;
    const id = pid.id;
    if (id % this.stride !== this.index) return kRouteThread;
    return this.movedOut !== null && this.movedOut.has(id) ? kRouteThread : kRouteHere;
  }

  /** The transport that carries what is addressed to `pid`, or null if it lives here or nothing carries it. */
  transportFor(pid: Pid): Transport | null {
    if (pid.node !== kLocalNode) return this.node;
    if (this.thread === null) return null;
    const id = pid.id;
    if (id % this.stride !== this.index) return this.thread;
    return this.movedOut !== null && this.movedOut.has(id) ? this.thread : null;
  }
}

/**
 * What a transport hands the scheduler (`scheduler.inbound`, implemented in signals.ts).
 * `to` / `watcher` are this scheduler's pids; `from` / `pid` the transport's side.
 */
export interface Inbound {
  /** A message, already a copy (decoded), for `to`; false when dropped (a dead pid). */
  deliverTo(to: Pid, msg: unknown, bytes: number): boolean;
  /** An exit signal; through a link it acts only while the link exists on this side. */
  exitIn(to: Pid, from: Pid, reason: unknown, viaLink: boolean): void;
  /** `from` linked to `to` (an exit signal 'noproc' goes back if `to` is gone). */
  linkIn(to: Pid, from: Pid): void;
  unlinkIn(to: Pid, from: Pid): void;
  /** `watcher` monitors `to` with `ref` (DOWN 'noproc' goes back if `to` is gone). */
  monitorIn(to: Pid, watcher: Pid, ref: Ref): void;
  demonitorIn(to: Pid, ref: Ref): void;
  /** The DOWN of monitor `ref` that `watcher` holds on `pid` (dropped if demonitored). */
  downIn(watcher: Pid, ref: Ref, pid: Pid, reason: unknown): void;
  /**
   * A peer is gone: every link of a local actor to a pid `peer` matches gets an exit
   * signal with `reason`, every monitor on such a pid a DOWN with `reason`; monitors such
   * pids held on local actors are dropped. `peer`: a node index, or a predicate (e.g.
   * "owned by scheduler k").
   */
  peerGone(peer: number | ((pid: Pid) => boolean), reason: unknown): void;
  /**
   * Optional: true while what was handed in already waits for room on its way to the
   * actors (a threaded node's rings to its schedulers are full): the transport stops
   * taking more in until it is false again.
   */
  backlogged?(): boolean;
}
