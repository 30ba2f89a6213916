/**
 * The messages of global names: what the API, the registrar, the replicas and the name
 * servers of other nodes send to a node's global name server (name-server.ts), and what it
 * sends back. One definition, used by every side.
 *
 *   caller (API) --call { op: 'register' | 'unregister', ... }--> server --> registrar
 *   registrar    --call set_lock / apply / table / install--> every node's server
 *   registrar    --info del_lock--> every node's server (no answer: per-pair order puts it
 *                                   before the registrar's next set_lock on that server)
 *   server       --info $global_replica (snapshot | change | barrier)--> replica subscribers
 *   server       --info hello--> a peer's server (a server started after the nodeup)
 *
 * Erlang mapping: global's `global_name_server` gen_server (here `kServerName`), its
 * registrar process, and the `{set_lock, ...}` / `{del_lock, ...}` / `{register, ...}`
 * requests that global:set_lock/trans and register_name send with gen_server:multi_call.
 */
import type { Pid, Ref } from '../../core/pid.ts';

/** The local name every node's global name server is registered under. */
export const kServerName = 'global_name_server';

/** The one lock resource registrations, unregistrations and merges take (Erlang's ?GLOBAL_RID). */
export const kGlobalLock = 'global';

/** A module-defined resolve function: `fn(name, pid1, pid2, ctx) -> pid1 | pid2 | 'none'`. */
export interface ResolveFunctionRef {
  readonly module: string;
  readonly export: string;
}

/**
 * How a name clash found when two partitions merge is settled (given at register time, as
 * Erlang's register_name/3):
 *   'random_exit'  keep one (deterministically: see resolve.ts), exit the other with
 *                  `{ kind: 'global_name_conflict', name }` (Erlang: random_exit_name)
 *   'notify_all'   unregister the name, send both owners
 *                  `{ type: 'global_name_conflict', name, other }` (Erlang: notify_all_name)
 *   { module, export }  a user function, loaded on the node that resolves
 */
export type ResolveMethod = 'random_exit' | 'notify_all' | ResolveFunctionRef;

/** One name of the table as it travels: [name, owner, resolve method]. */
export type NameRow = readonly [string, Pid, ResolveMethod];

/** One write of a transaction: the name's new owner, or null to remove it. */
export interface NameChange {
  readonly name: string;
  readonly pid: Pid | null;
  readonly method: ResolveMethod;
}

/** Requests answered by the server (call protocol). */
export type ServerCall =
  /** `force`: re-register (the name moves to pid whoever holds it; Erlang's re_register_name). */
  | { readonly op: 'register'; readonly name: string; readonly pid: Pid; readonly method: ResolveMethod; readonly force: boolean }
  | { readonly op: 'unregister'; readonly name: string }
  | { readonly op: 'known' }
  | { readonly op: 'set_lock'; readonly resource: string; readonly holder: Pid; readonly names: readonly string[] }
  | { readonly op: 'apply'; readonly changes: readonly NameChange[] }
  | { readonly op: 'table' }
  | { readonly op: 'install'; readonly rows: readonly NameRow[]; readonly nodes: readonly string[] }
  | { readonly op: 'sync' };

/** What `{ op: 'table' }` answers: the server's names and the nodes it has synced with. */
export interface TableAnswer {
  readonly rows: readonly NameRow[];
  readonly known: readonly string[];
}

/** What the registrar answers a register / unregister with (seq: the local server's change number). */
export interface TxnAnswer {
  readonly result: 'yes' | 'no' | 'ok';
  readonly seq: number;
  readonly epoch: string;
}

/** Messages to the server that need no answer (tagged `$global`). */
export type ServerInfo =
  | { readonly type: '$global'; readonly op: 'del_lock'; readonly resource: string; readonly holder: Pid }
  /** `drive`: the receiver runs the sync whatever the names' order (global-erlang.ts: an Erlang node, whose global is not ours, never would). */
  | { readonly type: '$global'; readonly op: 'hello'; readonly node: string; readonly drive?: boolean }
  | { readonly type: '$global'; readonly op: 'sync_done'; readonly node: string; readonly outcome: 'ok' | 'no_server' | 'failed' }
  | { readonly type: '$global'; readonly op: 'retry_sync'; readonly node: string }
  | { readonly type: '$global'; readonly op: 'forget'; readonly node: string }
  | { readonly type: '$global'; readonly op: 'subscribe'; readonly pid: Pid }
  | { readonly type: '$global'; readonly op: 'barrier_ack'; readonly ref: Ref; readonly pid: Pid }
  | { readonly type: '$global'; readonly op: 'register_self'; readonly name: string; readonly pid: Pid; readonly method: ResolveMethod; readonly onTaken: 'exit' | 'message' };

/** Jobs the server hands its registrar (one at a time, in order). */
export type RegistrarJob =
  | { readonly job: 'register'; readonly name: string; readonly pid: Pid; readonly method: ResolveMethod; readonly force: boolean; readonly replyTo: RegistrarReplyTo }
  | { readonly job: 'unregister'; readonly name: string; readonly replyTo: RegistrarReplyTo }
  | { readonly job: 'sync'; readonly node: string };

/** Where a registrar's result goes: a caller waiting in a call, or a registerSelf process (a message). */
export type RegistrarReplyTo =
  | { readonly kind: 'call'; readonly from: { readonly pid: Pid; readonly ref: Ref } }
  | { readonly kind: 'self'; readonly onTaken: 'exit' | 'message' };

/**
 * What the server sends a replica subscriber (replica-actor.ts, or a ThreadedNode's
 * embedding thread through `node.pid`): the whole table once, then each change, and
 * barriers it must acknowledge (Global.sync waits for them).
 */
export type ReplicaMessage =
  | { readonly type: '$global_replica'; readonly kind: 'snapshot'; readonly epoch: string; readonly seq: number; readonly rows: readonly (readonly [string, Pid, number])[] }
  | { readonly type: '$global_replica'; readonly kind: 'change'; readonly epoch: string; readonly seq: number; readonly name: string; readonly pid: Pid | null }
  | { readonly type: '$global_replica'; readonly kind: 'barrier'; readonly epoch: string; readonly ref: Ref; readonly server: Pid };

export function isReplicaMessage(m: unknown): m is ReplicaMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$global_replica';
}

/** What a process gets from `Global.registerSelf` with `onTaken: 'message'`, or from `notify_all`. */
export interface NameTakenMessage {
  readonly type: 'global_name_taken';
  readonly name: string;
  readonly owner: Pid | null;
}
export interface NameConflictMessage {
  readonly type: 'global_name_conflict';
  readonly name: string;
  readonly other: Pid;
}

/** The exit reason of the loser of a 'random_exit' resolution. */
export interface NameConflictReason {
  readonly kind: 'global_name_conflict';
  readonly name: string;
}
/** The exit reason of a `registerSelf` process whose name was taken (onTaken: 'exit'). */
export interface NameTakenReason {
  readonly kind: 'global_name_taken';
  readonly name: string;
  readonly owner: Pid | null;
}
