/**
 * The functions an Erlang node may call on this node by rpc (`rpc:call('sb@h', M, F, A)`,
 * `erpc:call`): nothing is callable unless exported here, by module and function name.
 *
 *   exportRpc(node, 'calc', 'add', (a, b) => a + b)   -> a function that takes it back
 *
 * Steps when a call comes (rpc-server.ts):
 *   1. look up `M:F` for the node the call came to (by the node's name: one named node
 *      per thread, and the Distribution serving Erlang peers runs on that thread);
 *   2. not exported: Erlang's undef, `{'EXIT', {undef, [{M, F, Args, []}]}}`;
 *   3. else call it with the args mapped as messages are (term-mapping.ts), await its
 *      result if it is a promise (the call runs on the embedding thread: keep it short or
 *      asynchronous, as any code there).
 *
 * Erlang mapping: an exported function of a loaded module; any arity is accepted (JS
 * functions have no fixed arity: `fn.length` is not checked), so `M:F/N` for every N
 * reaches the same function.
 */
import { BadArgError } from '../../core/errors.ts';
import type { Node } from '../../core/node.ts';

/** What an exported function is: plain values in, a value (or a promise of one) out. */
export type RpcFunction = (...args: never[]) => unknown;

const byNode = new Map<string, Map<string, RpcFunction>>();

function key(module: string, fun: string): string {
  return `${module}:${fun}`;
}

function checkAtomName(what: string, s: unknown): asserts s is string {
  if (typeof s !== 'string' || s === '' || s.length > 255) throw new BadArgError(`exportRpc: ${what} must be an atom name (1..255 characters)`);
}

/**
 * Make `module:fun` callable by Erlang nodes' rpc on `node` (a named node). Exporting the
 * same name again replaces the function. Returns the function that takes the export back.
 * @throws BadArgError for a node without a name, a bad name or a non-function
 */
export function exportRpc(node: Node, module: string, fun: string, fn: RpcFunction): () => void {
  if (typeof node !== 'object' || node === null || typeof node.name !== 'string' || node.name === 'nonode@nohost') throw new BadArgError('exportRpc: node must be a named node');
  checkAtomName('module', module);
  checkAtomName('fun', fun);
  if (typeof fn !== 'function') throw new BadArgError('exportRpc: fn must be a function');
  let table = byNode.get(node.name);
  if (table === undefined) byNode.set(node.name, (table = new Map()));
  const k = key(module, fun);
  table.set(k, fn);
  return () => {
    if (table.get(k) === fn) table.delete(k);
  };
}

/** The function exported as `module:fun` on the node named `nodeName`, if any (step 1). */
export function rpcExport(nodeName: string, module: string, fun: string): RpcFunction | undefined {
  return byNode.get(nodeName)?.get(key(module, fun));
}
