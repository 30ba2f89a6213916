/**
 * The node thread's side of the distribution I/O thread: start it, hold the link's 'node'
 * end, ask for stats, stop it.
 *
 *   node thread                                   I/O thread (io-thread.ts)
 *   startIoThread(config) --Worker(workerData)--> serveIoThread: listen, register
 *           <------------ { ready, creation, listenPort } (or { failed, error })
 *   IoHost.link  <====== rings + doorbells + port =====> IoLinkEnd('io')
 *   IoHost.stats() ------ { stats, id } ---------------> service.stats()
 *   IoHost.stop()  ------ { stop } --------------------> close all, unregister
 *           <------------ { stopped }; the thread ends; the host's link end closes
 *
 * Steps
 *   1. allocate the link's buffers, a MessageChannel (one port goes to the thread);
 *   2. start the worker on io-thread-entry.mjs with the module hooks (worker-loader.ts);
 *   3. wait for 'ready' (-> the IoHost) or 'failed' / an error / an exit (-> reject: a
 *      PortMapperError as itself, anything else as IoLinkError 'thread');
 *   4. stop(): post 'stop', wait for 'stopped' (or the exit), close the link end, wait
 *      for the thread's exit. Idempotent.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { workerLoader } from '../threads/worker-loader.ts';
import { PortMapperError, type PortMapperFailure } from './errors.ts';
import { IoLinkError } from './io-errors.ts';
import { IoLinkEnd, createIoLinkBuffers } from './io-link.ts';
import type { IoStats, IoThreadConfig } from './io-thread-config.ts';
import { StaticPortMap } from './static-port-map.ts';

export type { IoStats, IoThreadConfig, TlsConfig } from './io-thread-config.ts';

export interface IoHost {
  /** The node side of the record protocol (io-protocol.ts): write/flush, onReadable/drain. */
  readonly link: IoLinkEnd;
  readonly creation: number;
  readonly listenPort: number;
  /** Resolves with the thread's exit code when it has ended (after stop, or if it died). */
  readonly exited: Promise<number>;
  stats(): Promise<IoStats>;
  /** Close every connection (peers see the socket close), unregister, end the thread. */
  stop(): Promise<void>;
}

interface ThreadReply {
  readonly type: string;
  readonly id?: number;
  readonly creation?: number;
  readonly listenPort?: number;
  readonly stats?: IoStats;
  readonly error?: { name: string; message: string; code?: string; failure?: string };
}

/**
 * Start the I/O thread (steps 1-3). The config is taken as given (startNode checks the
 * options), except the static map, whose bad entries reject with InvalidOptionError.
 * @throws (rejects) InvalidOptionError, PortMapperError, IoLinkError 'thread'
 */
export async function startIoThread(config: IoThreadConfig): Promise<IoHost> {
  // A bad static map is the caller's InvalidOptionError, thrown here rather than in the thread.
  new StaticPortMap(config.staticPorts);
  const buffers = createIoLinkBuffers();
  const { port1, port2 } = new MessageChannel();
  const loader = await workerLoader();
  const fromSource = import.meta.url.endsWith('.ts');
  const threadUrl = new URL(fromSource ? './io-thread.ts' : './io-thread.js', import.meta.url).href;
  const worker = new Worker(new URL('./io-thread-entry.mjs', import.meta.url), {
    workerData: { loader: loader?.specifier ?? null, loaderData: loader?.data ?? {}, threadUrl, config, buffers, port: port2 },
    transferList: [port2],
    name: `switchboard-dist-io ${config.name}`,
  });
  const exited = new Promise<number>((r) => worker.once('exit', r));
  let ready: ThreadReply;
  try {
    ready = await firstReply(worker, 'ready');
  } catch (e) {
    port1.close();
    await worker.terminate();
    throw e;
  }
  const link = new IoLinkEnd(buffers, 'node', port1);
  return new IoThreadHost(worker, link, ready.creation!, ready.listenPort!, exited);
}

/** Step 3: the thread's first reply (its 'ready'), or why it never came. */
function firstReply(worker: Worker, want: string): Promise<ThreadReply> {
  return new Promise<ThreadReply>((resolve, reject) => {
    const onMessage = (m: ThreadReply): void => {
      cleanup();
      if (m.type === want) resolve(m);
      else reject(rebuildError(m.error));
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(new IoLinkError('thread', `the I/O thread failed to start: ${e.message}`));
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new IoLinkError('thread', `the I/O thread exited with code ${code} while starting`));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

function rebuildError(e: ThreadReply['error']): Error {
  if (e === undefined) return new IoLinkError('thread', 'the I/O thread failed to start');
  if (e.code === 'ERR_SB_PORT_MAPPER') return new PortMapperError(e.failure as PortMapperFailure, e.message);
  return new IoLinkError('thread', `the I/O thread failed to start: ${e.name}: ${e.message}`);
}

class IoThreadHost implements IoHost {
  readonly link: IoLinkEnd;
  readonly creation: number;
  readonly listenPort: number;
  readonly exited: Promise<number>;
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (s: IoStats) => void; reject: (e: Error) => void }>();
  private stopped: Promise<void> | null = null;
  private onStopped: (() => void) | null = null;
  private dead = false;

  constructor(worker: Worker, link: IoLinkEnd, creation: number, listenPort: number, exited: Promise<number>) {
    this.worker = worker;
    this.link = link;
    this.creation = creation;
    this.listenPort = listenPort;
    this.exited = exited;
    worker.on('message', (m: ThreadReply) => {
      if (m.type === 'stats') {
        const w = this.waiting.get(m.id!);
        this.waiting.delete(m.id!);
        w?.resolve(m.stats!);
      } else if (m.type === 'stopped') {
        this.onStopped?.();
      }
    });
    worker.on('error', () => {}); // the exit follows; stats() and stop() see it
    void exited.then((code) => {
      this.dead = true;
      for (const w of this.waiting.values()) w.reject(new IoLinkError('thread', `the I/O thread exited (code ${code})`));
      this.waiting.clear();
      this.onStopped?.();
    });
  }

  stats(): Promise<IoStats> {
    if (this.dead || this.stopped !== null) return Promise.reject(new IoLinkError('closed', 'IoHost.stats: the I/O thread is stopped'));
    const id = this.nextId++;
    return new Promise<IoStats>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'stats', id });
    });
  }

  /** Step 4. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      if (!this.dead) {
        const acked = new Promise<void>((r) => (this.onStopped = r));
        this.worker.postMessage({ type: 'stop' });
        await acked;
      }
      this.link.close();
      await this.worker.terminate();
      await this.exited;
    })();
    return this.stopped;
  }
}
