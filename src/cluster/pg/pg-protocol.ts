/**
 * The pg protocol: the messages between the scope servers of one scope on different nodes,
 * the requests a client (pg.ts) calls its local scope server with, and the event messages
 * subscribers get. One definition, used by scope-server.ts and pg.ts.
 *
 * Naming: the server of scope S is registered locally as `pg:S` (`serverName(S)`), so the
 * server of S on node N is `{ name: 'pg:S', node: N }`. Scopes are independent: servers of
 * different scopes never talk to each other.
 *
 * Between servers (plain sends, Erlang's pg exchange protocol):
 *   1. discover { peer }           "I run this scope": sent to every connected node's
 *                                  server at start and to a node's server at its nodeup.
 *                                  The receiver answers with sync, and if it did not know
 *                                  the peer, monitors it and sends its own discover back.
 *   2. sync { peer, groups }       every LOCAL member of the sender, by group: replaces all
 *                                  the receiver knew about the sender's members.
 *   3. join { peer, group, pids }  local pids of the sender joined `group` (each counts).
 *   4. leave { peer, pids, groups } local pids of the sender left each of `groups` (one
 *                                  occurrence each), or died (then every group they were in).
 *   A join/leave from a peer the receiver does not know (a node flickering down and up,
 *   a late message) is ignored: the next sync brings the truth.
 *
 * Client calls (answered by the server of the caller's node; one call protocol):
 *   join / leave / members / localMembers / whichGroups / whichLocalGroups / monitor /
 *   monitorScope / demonitor, shapes below.
 *
 * Events to subscribers (monitor / monitorScope):
 *   { type: 'pg', ref, event: 'join' | 'leave', group, pids }
 */
import type { Pid, Ref } from '../../core/pid.ts';

export const kDefaultScope = 'default';

/** The local registered name of the server of `scope`. */
export function serverName(scope: string): string {
  return `pg:${scope}`;
}

// --- between servers --------------------------------------------------------------

export interface DiscoverMsg {
  readonly type: '$pg.discover';
  readonly peer: Pid;
}
export interface SyncMsg {
  readonly type: '$pg.sync';
  readonly peer: Pid;
  /** [group, local pids of the sender in it (with repetitions)] */
  readonly groups: ReadonlyArray<readonly [string, readonly Pid[]]>;
}
export interface JoinMsg {
  readonly type: '$pg.join';
  readonly peer: Pid;
  readonly group: string;
  readonly pids: readonly Pid[];
}
export interface LeaveMsg {
  readonly type: '$pg.leave';
  readonly peer: Pid;
  readonly pids: readonly Pid[];
  readonly groups: readonly string[];
}
export type PeerMsg = DiscoverMsg | SyncMsg | JoinMsg | LeaveMsg;

export function isPeerMsg(m: unknown): m is PeerMsg {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  return t === '$pg.discover' || t === '$pg.sync' || t === '$pg.join' || t === '$pg.leave';
}

// --- client calls -----------------------------------------------------------------

export type PgRequest =
  | { readonly op: 'join'; readonly group: string; readonly pids: readonly Pid[] }
  | { readonly op: 'leave'; readonly group: string; readonly pids: readonly Pid[] }
  | { readonly op: 'members'; readonly group: string }
  | { readonly op: 'localMembers'; readonly group: string }
  | { readonly op: 'whichGroups' }
  | { readonly op: 'whichLocalGroups' }
  | { readonly op: 'monitor'; readonly group: string }
  | { readonly op: 'monitorScope' }
  | { readonly op: 'demonitor'; readonly ref: Ref };

/** The server's answer to a join/leave naming a pid of another node (the client checks first). */
export interface NotLocalReply {
  readonly notLocal: Pid;
}

/** What `monitor` answers: the subscription ref and the group's members now. */
export interface GroupSubscription {
  readonly ref: Ref;
  readonly members: Pid[];
}

/** What `monitorScope` answers: the subscription ref and every group with its members now. */
export interface ScopeSubscription {
  readonly ref: Ref;
  readonly groups: Map<string, Pid[]>;
}

// --- events -------------------------------------------------------------------------

/** Erlang's {Ref, join | leave, Group, Pids}. */
export interface PgEvent {
  readonly type: 'pg';
  readonly ref: Ref;
  readonly event: 'join' | 'leave';
  readonly group: string;
  readonly pids: readonly Pid[];
}
