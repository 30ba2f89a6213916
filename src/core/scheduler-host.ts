/**
 * SchedulerHost: what the host of a scheduler (the threads layer's worker; later the
 * distribution layer) plugs in, once, at construction:
 *   `new Scheduler(options, { registry?, host? })`.
 * Core code never knows what the host is: it sees transports (router.ts) and hooks.
 */
import type { DirtyRunner } from './context.ts';
import type { Pid, Ref } from './pid.ts';
import type { Registry } from './registry.ts';
import type { MovedOut, Transport } from './router.ts';
import type { SpawnOptions } from './types.ts';

/**
 * What the host of a scheduler plugs in, once, at construction (every member optional;
 * `new Scheduler()` has none: one scheduler, one endpoint, no other nodes).
 */
export interface SchedulerHost {
  /** Transport to pids of the other endpoints of this node (other threads), see router.ts. */
  readonly thread?: Transport | null;
  /** Transport to pids of other nodes. Without it they are dead pids. */
  readonly node?: Transport | null;
  /** Ids of this scheduler's pid space whose actors moved to another endpoint. */
  readonly movedOut?: MovedOut | null;
  /** Runs `ctx.dirty` work (dirty-pool.ts). */
  readonly dirty?: DirtyRunner | null;
  /** Work arrived from outside a slice: the host's loop should run soon. */
  workArrived?(): void;
  /**
   * A spawn by the running actor: the pid of an actor the host placed elsewhere, or null to
   * spawn it here.
   */
  place?(target: unknown, args: readonly unknown[], opts: SpawnOptions | undefined): Pid | null;
  /** A fresh slot of this scheduler's pid space (when the host shares slot allocation). */
  nextSlot?(): number;
  /**
   * Whether guests (actors of another scheduler's pid space running here) are visible to
   * `lookup` now; they always are to `lookupId` and to themselves (process-table.ts).
   */
  guestsVisible?(): boolean;
  /** A guest ended here. */
  guestExited?(pid: Pid): void;
  /** What actors ask of the distribution layer (ctx.nodeName, nodes, monitorNode, spawnRequest). */
  readonly dist?: DistHooks | null;
}

/**
 * The distribution layer as an actor's Context sees it (src/dist implements it). Core
 * never knows what is behind it.
 */
export interface DistHooks {
  /** This node's name ('a@host'). */
  readonly nodeName: string;
  /** Connected nodes: 'visible' (default), 'hidden', or 'connected' (both). */
  nodes(which?: 'visible' | 'hidden' | 'connected'): string[];
  /** Erlang's monitor_node: `watcher` gets `{ type: 'nodedown', node }` when `node` goes down (on: false removes one). */
  monitorNode(watcher: Pid, node: string, on: boolean): void;
  /** Erlang's monitor_nodes: `watcher` gets `{ type: 'nodeup' | 'nodedown', node, ... }` for every visible node (on: false removes one). */
  monitorNodes(watcher: Pid, on: boolean): void;
  /**
   * Erlang's spawn_request: spawn `target` ({ module, export } or a module-defined Behaviour)
   * on `node`; `from` gets `{ type: 'spawn_reply', ref, ok: true, pid }` or
   * `{ type: 'spawn_reply', ref, ok: false, error }`. With `link`, the new actor is linked to `from`.
   * `ref`: the request's ref when the requester's thread made it already (a ThreadedNode's
   * scheduler forwards the request to the embedding thread); else a new one is made.
   */
  spawnRequest(from: Pid, node: string, target: unknown, args: readonly unknown[], link: boolean, ref?: Ref): Ref;
}

export interface SchedulerDeps {
  readonly registry?: Registry;
  readonly host?: SchedulerHost;
}
