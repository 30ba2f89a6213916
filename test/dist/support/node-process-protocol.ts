/**
 * The line protocol between a test (node-process.ts, the parent) and a Switchboard node
 * running as a child process (fixtures/dist-node.ts). One JSON object per line, UTF-8.
 *
 *   parent ── stdin ──►  { id, cmd: 'start', name?, cookie?, ... }      a request
 *   parent ◄─ stdout ──  { id, ok: true, value }                        its answer
 *                        { id, ok: false, error: { name, code?, message } }
 *   parent ◄─ stdout ──  { event: 'nodeup', name }                      an event (no id)
 *
 * Protocol, in order:
 *   1. The child prints { event: 'ready', pid } once it reads stdin (no node yet).
 *   2. The parent sends requests, each with a fresh integer id; the child answers each
 *      exactly once with the same id. Requests run one after another in arrival order,
 *      except that a request never waits for an earlier one's asynchronous part (call,
 *      connect, spawn on a node...): answers may come in any order, the id matches them.
 *   3. Events come whenever they happen: node events ('nodeup', 'nodedown'), what the
 *      watchers spawned by 'monitor' / 'link' saw ('DOWN', 'EXIT', with the tag the request
 *      answered), any other message sent to the node's gateway ('message'), what a 'run'
 *      function emitted ('custom', with its name and data), and 'fatal'
 *      (an uncaught error; the child then exits 70).
 *   4. 'stop' stops the node, answers, and lets the process end by itself (stdin released,
 *      nothing else may keep it alive); it exits 0 when nothing was left behind.
 *
 * Values cross as JSON: pids and refs as their printed form (`<0.42.0>`), errors as
 * { name, code?, message }, undefined as null. A pid the test wants to use again is kept in
 * the child as a handle ('p1', 'p2', ...): spawn answers one, `call` with `keepPid` makes
 * one from the reply, and a target or any message/argument value `{ $pid: 'p1' }` is
 * replaced by that pid (`{ $gateway: true }` by the node's gateway pid).
 */
import type { BehaviourName } from '../fixtures/dist-actors.ts';

/** A pid handle, a name registered on the child's node, or a name on another node. */
export type Target = { readonly pid: string } | { readonly name: string; readonly node?: string };

/** The dist options of startNode (API.md section 1), as JSON can carry them. */
export interface DistOptionsJson {
  readonly listen?: { readonly host: string; readonly port: number };
  readonly portMapper?: { readonly host: string; readonly port: number } | false;
  readonly staticPorts?: Readonly<Record<string, string>>;
  readonly tickTimeMs?: number;
  readonly setupTimeMs?: number;
  readonly fragmentBytes?: number;
  readonly maxUnsentBytes?: number;
  readonly codeRoot?: string;
  /** false: no full mesh (a membership overlay decides the connections). */
  readonly mesh?: boolean;
}

export interface StartCommand {
  readonly cmd: 'start';
  readonly name?: string;
  readonly cookie?: string;
  readonly hidden?: boolean;
  readonly shortNames?: boolean;
  /** Default 0 (a LocalNode on the child's main thread). */
  readonly schedulers?: number;
  readonly dist?: DistOptionsJson;
}

export type Command =
  | StartCommand
  /** -> { pid: handle, printed }. `node`: remote spawn on that node. */
  | { readonly cmd: 'spawn'; readonly behaviour: BehaviourName; readonly args?: readonly unknown[]; readonly register?: string; readonly node?: string }
  /** -> null */
  | { readonly cmd: 'send'; readonly to: Target; readonly msg: unknown }
  /** -> { value } or, with keepPid (the property of the reply holding a pid; '' the reply itself), { value, pid: handle } */
  | { readonly cmd: 'call'; readonly to: Target; readonly msg: unknown; readonly timeoutMs?: number; readonly keepPid?: string }
  /** -> string[]: node.nodes() / nodes(which) */
  | { readonly cmd: 'nodes'; readonly which?: 'visible' | 'hidden' | 'connected' }
  /** -> boolean */
  | { readonly cmd: 'connect'; readonly node: string }
  | { readonly cmd: 'disconnect'; readonly node: string }
  /** -> { tag } once set: a Monitorer watches target; its DOWN comes as event { event: 'DOWN', tag, pid, reason } */
  | { readonly cmd: 'monitor'; readonly target: Target }
  /** -> { tag } once set: a trapping Linker links to target; the EXIT comes as event { event: 'EXIT', tag, pid, reason } */
  | { readonly cmd: 'link'; readonly target: Target }
  /** -> null: an exit signal from the gateway to the pid of a handle (node.exit) */
  | { readonly cmd: 'exit'; readonly target: { readonly pid: string }; readonly reason: unknown }
  /** -> { blockedMs }: busy-loops the main thread ms; with `spinners` (threaded nodes) that many scheduler threads spin as long */
  | { readonly cmd: 'block'; readonly ms: number; readonly spinners?: number }
  /**
   * -> what `fn(RunContext)` resolves to: imports `module` (a path relative to the repository
   * root; once per child, so its module scope keeps state between runs) and awaits its
   * export `export` with the running node, the args (handles resolved) and `emit`.
   */
  | { readonly cmd: 'run'; readonly module: string; readonly export: string; readonly args?: readonly unknown[] }
  /** -> { name }: node.name of the running node */
  | { readonly cmd: 'info' }
  /** -> null, then the process ends by itself */
  | { readonly cmd: 'stop' };

export type CommandName = Command['cmd'];

/** What a 'run' function gets, in the child. */
export interface RunContext {
  readonly node: import('../../../src/core/node.ts').Node;
  readonly args: readonly unknown[];
  /** Print the event { event: 'custom', name, data } (data: null when not given). */
  emit(name: string, data?: unknown): void;
}

export interface WireError {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
}

export type Answer = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: WireError };

export type NodeProcessEvent =
  | { readonly event: 'ready'; readonly pid: number }
  | { readonly event: 'nodeup'; readonly name: string }
  | { readonly event: 'nodedown'; readonly name: string; readonly reason: unknown; readonly detail?: unknown }
  | { readonly event: 'DOWN' | 'EXIT'; readonly tag: string; readonly pid: string; readonly reason: unknown }
  | { readonly event: 'message'; readonly msg: unknown }
  /** 'block' printed it right before its busy loop. */
  | { readonly event: 'blocking'; readonly ms: number }
  | { readonly event: 'fatal'; readonly message: string }
  /** What a 'run' function emitted. */
  | { readonly event: 'custom'; readonly name: string; readonly data: unknown };

/** JSON.stringify replacer: errors as WireError, undefined as null, bigints as strings. */
export function wireReplacer(_key: string, v: unknown): unknown {
  if (v instanceof Error) {
    const code = (v as { code?: unknown }).code;
    return typeof code === 'string' ? { name: v.name, code, message: v.message } : { name: v.name, message: v.message };
  }
  if (v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  return v;
}
