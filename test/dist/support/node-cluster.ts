/**
 * startCluster: named Switchboard nodes, each in its own child process (node-process.ts),
 * finding each other through one port mapper embedded in the test process (on a free port:
 * never 4369). Every node listens on 127.0.0.1 port 0 and registers there.
 *
 *   const c = await startCluster(['a', 'b'], { cookie: 'c' });
 *   c.nodes.a.name === 'a@127.0.0.1'
 *   await c.close();   // also done after each test by this module
 *
 * Per node options (hidden, cookie, tickTimeMs, dist...) can be given by short name.
 */
import { afterEach } from 'vitest';
import { startPortMapper, type PortMapperServer } from '../../../src/dist/port-mapper-server.ts';
import type { DistOptionsJson } from './node-process-protocol.ts';
import { startNodeProcess, type NodeProcess, type NodeProcessOptions } from './node-process.ts';

export const kHost = '127.0.0.1';

/** 'a' -> 'a@127.0.0.1' */
export function fullName(short: string): string {
  return `${short}@${kHost}`;
}

export interface ClusterOptions {
  readonly cookie?: string;
  readonly tickTimeMs?: number;
  readonly schedulers?: number;
  /** Options of particular nodes, by short name (dist merged over the cluster's). */
  readonly per?: Readonly<Record<string, Partial<NodeProcessOptions>>>;
}

export interface Cluster {
  readonly mapper: PortMapperServer;
  readonly nodes: Readonly<Record<string, NodeProcess>>;
  /** Start one more node in the same cluster. */
  add(short: string, opts?: Partial<NodeProcessOptions>): Promise<NodeProcess>;
  close(): Promise<void>;
}

const open = new Set<Cluster>();

export async function startCluster(shorts: readonly string[], opts: ClusterOptions = {}): Promise<Cluster> {
  const mapper = await startPortMapper({ port: 0 });
  const nodes: Record<string, NodeProcess> = {};
  const add = async (short: string, extra: Partial<NodeProcessOptions> = {}): Promise<NodeProcess> => {
    const dist: DistOptionsJson = {
      listen: { host: kHost, port: 0 },
      portMapper: { host: kHost, port: mapper.port },
      ...(opts.tickTimeMs === undefined ? {} : { tickTimeMs: opts.tickTimeMs }),
      ...opts.per?.[short]?.dist,
      ...extra.dist,
    };
    const p = await startNodeProcess({
      name: fullName(short),
      cookie: opts.cookie ?? 'switchboard-test-cookie',
      schedulers: opts.schedulers ?? 0,
      ...opts.per?.[short],
      ...extra,
      dist,
    });
    nodes[short] = p;
    return p;
  };
  const cluster: Cluster = {
    mapper,
    nodes,
    add,
    close: async () => {
      open.delete(cluster);
      await Promise.all(Object.values(nodes).map((n) => (n.alive ? n.stop().catch(() => n.kill9()) : undefined)));
      await mapper.close();
    },
  };
  open.add(cluster);
  try {
    await Promise.all(shorts.map((s) => add(s)));
  } catch (e) {
    await cluster.close();
    throw e;
  }
  return cluster;
}

/** Wait until `node` has seen a nodeup for each of `peers` (short names). */
export async function nodeupsOf(node: NodeProcess, peers: readonly string[], deadlineMs = 10_000): Promise<void> {
  await Promise.all(peers.map((p) => node.events.waitFor((e) => e.event === 'nodeup' && e.name === fullName(p), deadlineMs, `nodeup of ${p} on ${node.name}`)));
}

afterEach(async () => {
  await Promise.all([...open].map((c) => c.close()));
});
