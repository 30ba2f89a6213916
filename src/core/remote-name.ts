/**
 * `{ name, node }`: a name registered on a node (Erlang's `{Name, Node}`), accepted by
 * send, monitor and call wherever a pid or a local name is.
 */
import { nodeTable } from './node-table.ts';
import { Pid } from './pid.ts';
import type { RemoteName } from './types.ts';

export function isRemoteName(to: unknown): to is RemoteName {
  if (typeof to !== 'object' || to === null || to instanceof Pid) return false;
  const r = to as { name?: unknown; node?: unknown };
  return typeof r.name === 'string' && typeof r.node === 'string';
}

/**
 * The creation a node-table entry gets when it stands for "a name on that node, whatever
 * incarnation": a monitor on `{ name, node }` is recorded on such a node's placeholder pid,
 * so nodedown (which fires this entry too) reaches it.
 */
export const kAnyCreation = 0;

/**
 * The placeholder pid a `{ name, node }` monitor is recorded on, in this thread's node
 * table: `<index of (node, kAnyCreation), 0, -1>`.
 */
export function namePlaceholder(node: string): Pid {
  return new Pid(nodeTable.intern(node, kAnyCreation), 0, -1);
}

/** Is `pid` a placeholder of namePlaceholder's shape (on whatever node)? */
export function isNamePlaceholder(pid: Pid): boolean {
  return pid.id === 0 && pid.serial === -1;
}
