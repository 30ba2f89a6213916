/**
 * NodeSnapshot: everything one scrape exports, read from the public Node interface
 * (core/node.ts) only, so it works on every node kind:
 *
 *   1. `node.stats()` (synchronous: LocalNode's counters, or the ThreadedNode's shared
 *      stats blocks read without stopping anyone; `dist` for a named node);
 *   2. `node.registered().length` and `(await node.processes()).length` (a query of every
 *      scheduler on a ThreadedNode: O(processes));
 *   3. `await node.ioStats()` for a named node (a round trip to its I/O thread).
 *
 * SnapshotSource takes at most one snapshot per scrape: every metric's collect() asks it
 * in the same synchronous run and shares one promise; with `intervalMs` > 0 a
 * snapshot is reused until it is that old (a cap on the cost of frequent scrapes). A
 * stopped node gives what node.stats() still says and no process or name counts.
 */
import type { Node, NodeStatsReport } from '../../core/node.ts';

/** What the metrics read of the I/O thread's IoStats (dist/io-thread-config.ts); plain data. */
export interface IoConnectionSnapshot {
  readonly name: string;
  readonly bytesIn: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
  readonly ticksOut: number;
  readonly busy: boolean;
  readonly queuedBytes: number;
  readonly unsentBytes: number;
}

export interface NodeSnapshot {
  readonly name: string;
  readonly stats: NodeStatsReport;
  /** Null when the node no longer answers (stopped). */
  readonly processes: number | null;
  readonly registered: number | null;
  /** The I/O thread's counters (a named node), else null. */
  readonly io: Readonly<Record<string, unknown>> | null;
  readonly connections: readonly IoConnectionSnapshot[];
}

function connectionsOf(io: Readonly<Record<string, unknown>> | null): IoConnectionSnapshot[] {
  const list = io?.['connections'];
  if (!Array.isArray(list)) return [];
  return list.filter((c): c is IoConnectionSnapshot => typeof c === 'object' && c !== null && typeof (c as IoConnectionSnapshot).name === 'string');
}

async function takeSnapshot(node: Node): Promise<NodeSnapshot> {
  const stats = node.stats();
  let processes: number | null = null;
  let registered: number | null = null;
  let io: Readonly<Record<string, unknown>> | null = null;
  if (node.running) {
    try {
      registered = node.registered().length;
      processes = (await node.processes()).length;
      io = await node.ioStats();
    } catch {
      // Stopped meanwhile: what was read stays, the rest is left out.
    }
  }
  return { name: node.name, stats, processes, registered, io, connections: connectionsOf(io) };
}

export class SnapshotSource {
  private current: Promise<NodeSnapshot> | null = null;
  private takenAt = 0;

  constructor(private readonly node: Node, private readonly intervalMs: number) {}

  get(): Promise<NodeSnapshot> {
    const now = performance.now();
    if (this.current !== null && (this.intervalMs === 0 || now - this.takenAt < this.intervalMs)) return this.current;
    this.takenAt = now;
    const p = takeSnapshot(this.node);
    this.current = p;
    // Without an interval a snapshot serves the one scrape that asked for it: prom-client
    // calls every metric's collect() synchronously in one loop, so they have all asked
    // before the first microtask runs (a later scrape, even in the same tick, reads anew).
    if (this.intervalMs === 0) queueMicrotask(() => { if (this.current === p) this.current = null; });
    return p;
  }
}
