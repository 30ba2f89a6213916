/**
 * The distribution API the dist benchmark is written against: section 1 of the issue 11
 * contract (/work/lanes/i11/API.md), typed here because the package does not declare it
 * yet. Once `startNode` takes `name`/`cookie`/`dist` and `Node` has `name`,
 * `connectNode`, `nodeup`/`nodedown` and `{ name, node }` targets, these types are what
 * it already says and the casts below can go.
 *
 *   startDistNode(opts)       startNode(opts) typed as a distributed node
 *   sendTo(ctx, to, msg)      ctx.send to a pid, a local name or { name, node }
 *   remote(name, node)        a { name, node } target usable where a Pid is typed
 *   isDistUnavailable(e)      true when startNode refused the distribution options
 *                             (the node side has not landed): InvalidOptionError
 *                             "startNode: unknown option "name"" and the like
 */
import type { Context } from '../src/core/context.ts';
import { InvalidOptionError } from '../src/core/errors.ts';
import type { Node } from '../src/core/node.ts';
import type { Pid } from '../src/core/pid.ts';
import { startNode } from '../src/dist/start-node.ts';

/** A registered name on a node: Erlang's `{Name, Node}`. */
export interface RemoteName {
  readonly name: string;
  readonly node: string;
}

export interface DistNodeOptions {
  schedulers: number;
  name: string;
  cookie?: string;
  hidden?: boolean;
  /** ThreadedNode only: microseconds an idle scheduler spins before parking. */
  spinUs?: number;
  dist?: {
    listen?: { host?: string; port?: number };
    portMapper?: { host?: string; port?: number } | false;
    staticPorts?: Record<string, string>;
    tickTimeMs?: number;
    setupTimeMs?: number;
    fragmentBytes?: number;
    maxUnsentBytes?: number;
    codeRoot?: string;
  };
}

export interface NodeUpEvent { readonly name: string }
export interface NodeDownEvent { readonly name: string; readonly reason: unknown; readonly detail?: unknown }

/** A distributed node: the Node interface plus section 1 of the contract. */
export type DistNode = Node & {
  readonly name: string;
  nodes(kind?: 'visible' | 'hidden' | 'connected'): string[];
  connectNode(name: string): Promise<boolean>;
  disconnectNode(name: string): Promise<boolean>;
  send(to: Pid | string | RemoteName, msg: unknown): void;
  call<R = unknown>(to: Pid | string | RemoteName, msg: unknown, timeoutMs?: number): Promise<R>;
  on(event: 'nodeup', listener: (e: NodeUpEvent) => void): DistNode;
  on(event: 'nodedown', listener: (e: NodeDownEvent) => void): DistNode;
};

/** startNode with the distribution options (section 1 of the contract). */
export function startDistNode(opts: DistNodeOptions): Promise<DistNode> {
  return (startNode as unknown as (o: DistNodeOptions) => Promise<DistNode>)(opts);
}

const send = (ctx: Context, to: unknown, msg: unknown): void => (ctx.send as (to: unknown, msg: unknown) => void).call(ctx, to, msg);

/** `ctx.send` to `{ name, node }` as well (the contract's `ctx.send(pid | name | { name, node }, msg)`). */
export function sendTo(ctx: Context, to: Pid | string | RemoteName, msg: unknown): void {
  send(ctx, to, msg);
}

/** `{ name, node }` where the current types take a Pid (GenServer.call works unchanged on it, per the contract). */
export function remote(name: string, node: string): Pid {
  return { name, node } as RemoteName as unknown as Pid;
}

/** Whether `e` says this build's startNode has no distribution options yet. */
export function isDistUnavailable(e: unknown): boolean {
  return e instanceof InvalidOptionError && /unknown option "(name|cookie|hidden|dist)"/.test(e.message);
}

