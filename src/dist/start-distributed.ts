/**
 * Starting a named node (startNode({ name, ... }) in start-node.ts calls it):
 *
 *   1. Check the name (node-name.ts), the cookie (cookie.ts: option, SWITCHBOARD_COOKIE,
 *      ~/.erlang.cookie) and the dist options (dist-options.ts): typed errors, nothing
 *      started.
 *   2. Only one named node per thread: this thread's node table has one local identity
 *      (core/node-table.ts). A second one is refused (AlreadyDistributedError) until the
 *      first stops.
 *   3. Start the I/O thread (io-host.ts): it listens, registers in the port mapper (which
 *      gives the creation) and from then on accepts connections.
 *   4. Name this thread's node table (name, creation): pids made from now on and every
 *      pid decoded as this node's identity are index 0.
 *   5. Make the Distribution and the node around it (a LocalNode: its scheduler gets the
 *      node transport; a ThreadedNode: its gateway does, its scheduler threads forward to
 *      it, threads/dist-gateway.ts); stop() ends the actors, then the connections and the
 *      I/O thread.
 */
import { kNoNodeName, nodeTable } from '../core/node-table.ts';
import type { Node } from '../core/node.ts';
import { resolveCookie } from './cookie.ts';
import { distConfig, type DistOptions } from './dist-options.ts';
import { Distribution } from './distribution.ts';
import { AlreadyDistributedError } from './errors.ts';
import { startIoThread } from './io-host.ts';
import { parseNodeName } from './node-name.ts';

export interface NamedNodeOptions {
  readonly name: string;
  readonly cookie?: string;
  readonly hidden?: boolean;
  readonly shortNames?: boolean;
  readonly dist?: DistOptions;
}

let namedNodeRunning: string | null = null;

/** Steps 1-5; `make` builds the node kind (a LocalNode, or a ThreadedNode's threads) around the distribution layer. */
export async function startNamedNode(named: NamedNodeOptions, make: (dist: Distribution) => Node | Promise<Node>): Promise<Node> {
  const name = parseNodeName(named.name, { shortNames: named.shortNames === true }).full;
  const cookie = resolveCookie({ cookie: named.cookie });
  const config = distConfig(named.dist);
  if (namedNodeRunning !== null) throw new AlreadyDistributedError(namedNodeRunning, name);
  namedNodeRunning = name;
  try {
    const io = await startIoThread({
      name,
      cookie,
      hidden: named.hidden === true,
      listen: config.listen,
      portMapper: config.portMapper,
      staticPorts: config.staticPorts,
      tickTimeMs: config.tickTimeMs,
      setupTimeMs: config.setupTimeMs,
      fragmentBytes: config.fragmentBytes,
      maxUnsentBytes: config.maxUnsentBytes,
      tls: config.tls,
      log: config.log,
      mesh: config.mesh,
    });
    nodeTable.setLocal(name, io.creation);
    // The thread may name another node once this one has stopped.
    const release = (): void => {
      if (namedNodeRunning === name) namedNodeRunning = null;
      nodeTable.setLocal(kNoNodeName, 0);
    };
    const dist = new Distribution(name, io, config.codeRoot, release, 2 * config.setupTimeMs + 1000);
    try {
      return await make(dist);
    } catch (e) {
      await io.stop();
      release();
      throw e;
    }
  } catch (e) {
    namedNodeRunning = null;
    throw e;
  }
}
