/**
 * The global seam of the Erlang bridge: how a layer above dist (cluster/global, whose
 * Global is Switchboard's `global`) shares its names with the `global` of Erlang nodes,
 * without dist knowing that layer. global-sync.ts speaks OTP global's protocol to the
 * Erlang node; the handler set here says what the names are on our side. One handler per
 * thread, set by that layer on the embedding thread (where the Distribution serving
 * Erlang peers runs); none set: global-sync.ts shares no names (the connect protocol
 * still completes).
 *
 *   Erlang node's global                global-sync.ts                 handler (cluster/global)
 *   --------------------------------------------------------------------------------------------
 *   exchange (connect)          <-->    our names from  names()
 *   {register | unregister} call -->    view updated,   erlangChanged(name, pid | null, io)
 *   resolved {insert | delete}   -->    view updated,   erlangChanged(name, pid | null, io)
 *   (our server or registrar sends to {global_name_server, ErlangNode})
 *                                       outbound(peer, msg, io) -> what to do instead (not sent as is),
 *                                       run after the op encoder returns (never inside it)
 *   set_lock / register / unregister / del_lock calls   <--   io.lock / io.register / io.unregister / io.unlock
 *
 * `io` (ErlangGlobalIo) is global-sync.ts's side: the Erlang node's lock, its names as far as
 * this node knows them (`owner`: every change of it passes through us — its own calls while
 * it holds its lock, our pushes while we hold it), and local delivery for the answers.
 */
import type { Pid } from '../../core/pid.ts';

/** What global-sync.ts offers the handler. */
export interface ErlangGlobalIo {
  /** Deliver `msg` to the local process `to` (an answer to one of our processes). */
  deliver(to: Pid, msg: unknown): void;
  /** The local process registered as `name`, if any. */
  whereis(name: string): Pid | undefined;
  /** A pid of this node no actor has: the sender of our calls (answers to it are dropped). */
  readonly standIn: Pid;
  /** Take the global lock `{global, StandIn}` on the Erlang node `peer`; `done(granted)` when it answers (not called if it goes down first). */
  lock(peer: string, done: (granted: boolean) => void): void;
  /** Release it (`{del_lock, ...}`; a no-op on erl if not held). */
  unlock(peer: string): void;
  /** `{register, Name, Pid, Method}` on `peer` (send it while holding the lock: erl drops a name registered under another's lock). */
  register(peer: string, name: string, pid: Pid, notifyAll: boolean): void;
  /** `{unregister, Name}` on `peer`. */
  unregister(peer: string, name: string): void;
  /** The owner of `name` on the Erlang node `peer`, as far as this node knows (null: none). */
  owner(peer: string, name: string): Pid | null;
  /** Every name the Erlang node `peer` holds, as far as this node knows. */
  view(peer: string): Iterable<readonly [string, Pid]>;
  /** Whether `peer` is an Erlang node connected to this one. */
  isErlangPeer(peer: string): boolean;
}

export interface ErlangGlobalHandler {
  /** This node's names, to give an Erlang node at connect: [name, owner, notifyAll]. */
  names(): Iterable<readonly [string, Pid, boolean]>;
  /** The owner of `name` in this node's table, if any. */
  whereis(name: string): Pid | undefined;
  /** The Erlang node's global changed `name` (null: removed): make this node's table say so. */
  erlangChanged(name: string, pid: Pid | null, io: ErlangGlobalIo): void;
  /**
   * A message of ours to `{global_name_server, peer}` (an Erlang node): what to do instead
   * (the message is not sent as it is; run in a microtask, outside the op encoder), or null
   * when it is not the handler's (sent as it is).
   */
  outbound(peer: string, msg: unknown, io: ErlangGlobalIo): (() => void) | null;
}

let handler: ErlangGlobalHandler | null = null;

export function setErlangGlobalHandler(h: ErlangGlobalHandler | null): void {
  handler = h;
}

export function erlangGlobalHandler(): ErlangGlobalHandler | null {
  return handler;
}
