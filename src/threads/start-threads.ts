/**
 * startThreads: start a node's scheduler threads (a ThreadedNode). `startNode`
 * (dist/start-node.ts, the one public way to start any node) calls it for schedulers >= 1.
 *
 * Starting scheduler threads, in order:
 *   1. The options were checked (node-options.ts): InvalidOptionError, and no thread started.
 *   2. Lay out one SharedArrayBuffer (layout.ts): control block, one SPSC ring per ordered
 *      pair of endpoints (schedulers + the gateway), doorbells, the name table, stats.
 *   3. Initialise every ring and the name table; publish the endpoint count, the gateway's
 *      alive flag, then the layout magic (workers check it before reading the rest).
 *   4. Start one worker per scheduler (worker-entry.mjs, which registers the module hooks
 *      of worker-loader.ts and imports worker-host) with the buffer and its index.
 *   5. Wait for every worker's 'ready'. If one fails to start, terminate them all and
 *      reject with its error.
 *   6. Hand the workers to a ThreadedNode, whose gateway starts servicing its rings.
 *
 * A named node (distribution, src/dist): `startThreads(config, dist)` with the node's
 * NodeDistribution, after this thread's node table was named (`nodeTable.setLocal(name,
 * creation)`): every worker names its own table with that identity (step 4), the
 * ThreadedNode attaches the distribution (dist-gateway.ts).
 */
import { Worker } from 'node:worker_threads';
import { createDistLargeChannels } from './dist-large-port.ts';
import { BadArgError } from '../core/errors.ts';
import type { Node, NodeDistribution } from '../core/node.ts';
import { nodeTable } from '../core/node-table.ts';
import { computeLayout, kCtlAliveBase, kCtlEndpoints, kCtlMagic, kLayoutMagic, ringOffset, type NodeLayout } from './layout.ts';
import { workerSchedulerOptions, type ThreadedNodeConfig } from './node-options.ts';
import { initSharedRegistry } from './shared-registry.ts';
import { initSpscRing } from './spsc-ring.ts';
import { ThreadedNode, type SchedulerThreads } from './threaded-node.ts';
import type { WorkerSetup } from './worker-host.ts';
import { workerLoader } from './worker-loader.ts';

/**
 * Steps 2-6; `dist`: the distribution layer of a named node (see the header).
 * @throws BadArgError if `dist` is given and this thread's node table is not named `dist.name`
 */
export async function startThreads(config: ThreadedNodeConfig, dist: NodeDistribution | null = null): Promise<ThreadedNode> {
  const local = nodeTable.local;
  if (dist !== null && local.name !== dist.name) {
    throw new BadArgError(`startThreads: this thread's node table is named ${local.name}, not ${dist.name} (nodeTable.setLocal first)`);
  }
  const node = dist === null ? null : { name: local.name, creation: local.creation };
  const layout = computeLayout({ schedulers: config.schedulers, ringBytes: config.ringBytes, maxNames: config.maxNames });
  const sab = new SharedArrayBuffer(layout.totalBytes);
  initSharedMemory(sab, layout);
  const loader = await workerLoader();
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL('./worker-entry.mjs', import.meta.url);
  const hostUrl = new URL(fromSource ? './worker-host.ts' : './worker-host.js', import.meta.url).href;
  const scheduler = workerSchedulerOptions(config);

  // A named node: one side channel per scheduler for large dist payloads (dist-large-port.ts).
  const largeEnds = dist === null ? [] : createDistLargeChannels(dist, config.schedulers);
  const workers: Worker[] = [];
  const exited: Promise<number>[] = [];
  const ready: Promise<void>[] = [];
  for (let k = 0; k < config.schedulers; k++) {
    const setup: WorkerSetup = {
      sab,
      params: { schedulers: layout.schedulers, ringBytes: layout.ringBytes, maxNames: layout.maxNames },
      index: k,
      scheduler,
      spinUs: config.spinUs,
      quantumMs: config.quantumMs,
      overflowBytes: config.overflowBytes,
      balance: config.balance,
      node: node === null ? null : { ...node, large: largeEnds[k]! },
    };
    const w = new Worker(entry, {
      workerData: { loader: loader?.specifier ?? null, loaderData: loader?.data ?? {}, hostUrl, setup },
      name: `switchboard-scheduler-${k}`,
      transferList: node === null ? [] : [largeEnds[k]!.port],
    });
    workers.push(w);
    exited.push(new Promise<number>((r) => w.once('exit', r)));
    ready.push(workerReady(w, k));
  }
  try {
    await Promise.all(ready);
  } catch (e) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw e;
  }
  const threads: SchedulerThreads = { workers, exited };
  return new ThreadedNode(config, layout, sab, threads, dist);
}

/** Step 3, before any worker exists (plain stores suffice until the magic is published). */
function initSharedMemory(sab: SharedArrayBuffer, layout: NodeLayout): void {
  for (let from = 0; from < layout.endpoints; from++) {
    for (let to = 0; to < layout.endpoints; to++) if (from !== to) initSpscRing(sab, ringOffset(layout, from, to), layout.ringBytes);
  }
  initSharedRegistry(sab, layout.registryOffset, layout.maxNames);
  const control = new Int32Array(sab, 0, layout.controlWords);
  control[kCtlEndpoints] = layout.endpoints;
  // The gateway is up from the start: workers may write to it as soon as they run.
  Atomics.store(control, kCtlAliveBase + layout.gateway, 1);
  // Last: a worker that sees the magic sees everything stored above.
  Atomics.store(control, kCtlMagic, kLayoutMagic);
}

/** Step 5 for one worker: its 'ready' message, or the error or exit that came first. */
function workerReady(w: Worker, k: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onMsg = (m: { type?: string }): void => {
      if (m?.type !== 'ready') return;
      cleanup();
      resolve();
    };
    const onErr = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`scheduler ${k}'s worker exited with code ${code} while starting`));
    };
    const cleanup = (): void => {
      w.off('message', onMsg);
      w.off('error', onErr);
      w.off('exit', onExit);
    };
    w.on('message', onMsg);
    w.on('error', onErr);
    w.on('exit', onExit);
  });
}
