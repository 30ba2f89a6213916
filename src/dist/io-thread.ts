/**
 * The distribution I/O thread: the worker that owns this node's sockets (io-service.ts),
 * started by io-host.ts through io-thread-entry.mjs (which registers the module hooks,
 * so this `.ts` loads as the scheduler workers' hosts do). It runs no actor and no user
 * code: only Switchboard's dist modules.
 *
 * Messages with the node thread's IoHost (the parent port; records go over the link):
 *
 *   host -> thread                         thread -> host
 *   workerData { config, buffers, port }   { type: 'ready', creation, listenPort }
 *                                          { type: 'failed', error: { name, message, code?, failure? } }
 *   { type: 'stats', id }                  { type: 'stats', id, stats: IoStats }
 *   { type: 'stop' }                       { type: 'stopped' }, then the thread ends
 *
 * Steps
 *   1. attach the link's 'io' end (buffers + the transferred port);
 *   2. start the service (listen, register); post 'ready', or 'failed' and end;
  *   3. answer 'stats'; on 'stop' stop the service, post 'stopped', close the parent port
 *      (nothing is left open, so the thread ends by itself).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { ChannelKit } from './channel-kit.ts';
import { kDefaultWindowBytes, kFragFirstHeaderBytes } from './channel-frames.ts';
import { FrameReader } from './frame-reader.ts';
import { FrameWriter } from './frame-writer.ts';
import { kDistFlags, kFlagCredit } from './handshake-frames.ts';
import { acceptHandshake, connectHandshake, keepsOutgoing } from './handshake.ts';
import { SimultaneousConnectError } from './handshake-errors.ts';
import { IoService } from './io-service.ts';
import type { IoThreadConfig } from './io-thread-config.ts';
import { IoLinkEnd, type IoLinkBuffers } from './io-link.ts';
import { erlangChannelKit } from './erlang-peer/erlang-channel-kit.ts';

/** The largest fragmentBytes a node may be started with (dist-options.ts). */
const kMaxPeerFragmentBytes = 1 << 24;

/** The handshake and frame modules, as the service uses them. */
export const channelKit: ChannelKit = {
  flags: kDistFlags,
  connectHandshake,
  acceptHandshake: (socket, self, decide) => acceptHandshake(socket, self, (peer) => {
    const d = decide(peer);
    return d === 'ok_simultaneous' ? 'ok' : d;
  }),
  keepsOutgoing,
  lostSimultaneousConnect: (err) => err instanceof SimultaneousConnectError,
  // A peer that grants credit gets a window (channel-frames.ts, Credit).
  createWriter: (sink, opts) => new FrameWriter(sink, {
    fragmentBytes: opts.fragmentBytes,
    windowBytes: (opts.peerFlags & kFlagCredit) !== 0 ? kDefaultWindowBytes : 0,
  }),
  // A peer may cut at any fragmentBytes the options allow (up to 2^24): take its frames.
  createReader: (handler) => new FrameReader(handler, { maxFrameBytes: kMaxPeerFragmentBytes + kFragFirstHeaderBytes }),
};

/** Steps 1-3 (called by io-thread-entry.mjs). */
export function runIoThread(): Promise<void> {
  return serveIoThread(parentPort!, workerData as IoThreadData, channelKit, erlangChannelKit);
}

/** What the I/O thread gets at start (workerData). */
export interface IoThreadData {
  readonly config: IoThreadConfig;
  readonly buffers: IoLinkBuffers;
  readonly port: MessagePort;
}

/**
 * The I/O thread's life (io-thread.ts): attach the link's 'io' end, start the service and
 * answer the host on `parent` (the protocol is in io-thread.ts's header).
 */
export async function serveIoThread(parent: MessagePort, data: IoThreadData, kit: ChannelKit, erlangKit: ChannelKit | null = null): Promise<void> {
  const link = new IoLinkEnd(data.buffers, 'io', data.port);
  try {
    const service = new IoService(data.config, link, kit, erlangKit);
    const { creation, listenPort } = await service.start();
    serveRequests(parent, service);
    parent.postMessage({ type: 'ready', creation, listenPort });
  } catch (e) {
    const err = e as Error & { code?: unknown; failure?: unknown };
    link.close();
    parent.postMessage({ type: 'failed', error: { name: err.name, message: err.message, code: err.code, failure: err.failure } });
    parent.close();
  }
}

/** The host's requests: stats, stop. */
function serveRequests(parent: MessagePort, service: IoService): void {
  parent.on('message', (m: { type: string; id?: number }) => {
    if (m.type === 'stats') {
      parent.postMessage({ type: 'stats', id: m.id, stats: service.stats() });
    } else if (m.type === 'stop') {
      void service.stop().then(() => {
        parent.postMessage({ type: 'stopped' });
        parent.close();
      });
    }
  });
}
