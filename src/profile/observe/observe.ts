/**
 * observe(node, opts): serve the observer page for a node of this process.
 *
 *   const o = await observe(node, { port: 8080 });   // 127.0.0.1 by default
 *   console.log(o.url);                              // open it in a browser
 *   await o.close();                                 // or node.stop(): it closes with the node
 *
 * In order:
 *   1. Check the node (a Switchboard Node, else BadArgError) and the options
 *      (observe-options.ts: InvalidOptionError; ObserveTokenRequiredError for a host that
 *      is not loopback without a token).
 *   2. Start the server (observe-server.ts) over a LocalObserverSource
 *      (observer-source.ts), which samples with ActorView and walks the supervision tree.
 *   3. Register close() with node.onStop, so the page never outlives its node.
 * `observeSource(source, opts)` serves any ObserverSource (the remote one of
 * src/profile/remote): the same page for a node elsewhere.
 * Erlang mapping: observer:start() (observer:start(Node) is observeSource with a remote
 * source).
 */
import { InvalidOptionError } from '../../core/errors.ts';
import type { Node } from '../../core/node.ts';
import type { Pid } from '../../core/pid.ts';
import { checkNode } from '../metrics/metrics-options.ts';
import { observeSettings, type ObserveOptions } from './observe-options.ts';
import { LocalObserverSource, type ObserverSource } from './observer-source.ts';
import { startObserverServer, type ObserverServer } from './observe-server.ts';

export interface LocalObserveOptions extends ObserveOptions {
  /** Registered names or pids of supervisors to show in the tree besides the applications' and the library supervisors found by name. */
  readonly supervisors?: readonly (string | Pid)[];
}

/** Steps 1-3. */
export async function observe(node: Node, opts?: LocalObserveOptions): Promise<ObserverServer> {
  checkNode('observe', node);
  const { supervisors, ...rest } = opts ?? {};
  if (supervisors !== undefined && (!Array.isArray(supervisors) || supervisors.some((s) => typeof s !== 'string' && (typeof s !== 'object' || s === null)))) {
    throw new InvalidOptionError('supervisors', 'observe: option "supervisors" must be an array of registered names or pids');
  }
  const settings = observeSettings('observe', opts === undefined ? undefined : rest);
  const server = await startObserverServer(new LocalObserverSource(node, { extraRoots: supervisors ?? [] }), settings);
  node.onStop(server.close);
  return server;
}

/** Serve the page over any source (a remote node's); closing the server does not close the source. */
export function observeSource(source: ObserverSource, opts?: ObserveOptions): Promise<ObserverServer> {
  return startObserverServer(source, observeSettings('observe', opts));
}
