/**
 * Distribution: a named node's distribution layer on its node thread (core/node.ts
 * NodeDistribution). It owns the node transport (node-transport.ts), reads what the I/O
 * thread hands over (io-protocol.ts) and keeps the per-peer state (peer-table.ts):
 *
 *   I/O thread record      here
 *   ------------------------------------------------------------------------------------
 *   kInNodeUp              intern (name, creation) in the node table; the queued ops go
 *                          out (stale ones dropped, their links/monitors fired 'noproc'
 *                          via peerGone); connectNode callers resolve true; 'nodeup'
 *   kInMessage             decode the op (dist-ops.ts) and serve it (op-dispatch.ts); an
 *                          undecodable op closes that connection (a peer that sends
 *                          garbage is not served)
 *   kInNodeDown            peerGone(index, 'noconnection'): every link fires, every monitor
 *                          DOWNs; spawns waiting on it fail; monitorNode watchers get
 *                          { type: 'nodedown', node }; 'nodedown'
 *   kInConnectFailed       the queue is dropped; links/monitors on its pids fire
 *                          'noconnection'; connectNode callers resolve false; watchers
 *                          get nodedown
 *
 * Records are drained in order, so what a connection delivered before it was lost is
 * handed to the actors before its nodedown.
 *
 * A peer whose NodeUpInfo.protocol is 'erlang' is an Erlang node: its messages are
 * Erlang control messages (erlang-peer/erlang-bridge.ts), served by ErlangDispatch
 * instead of OpDispatch; everything else (nodes(), nodeup/nodedown, peerGone) is the same.
 */
import { channel } from 'node:diagnostics_channel';
import { NoConnectionError, RemoteSpawnError } from './errors.ts';
import { BadArgError, NotRunningError } from '../core/errors.ts';
import type { DistStats, NodeDistribution } from '../core/node.ts';
import { nodeTable } from '../core/node-table.ts';
import { kAnyCreation } from '../core/remote-name.ts';
import { Pid, Ref } from '../core/pid.ts';
import type { Registry } from '../core/registry.ts';
import type { Inbound } from '../core/router.ts';
import type { DistHooks } from '../core/scheduler-host.ts';
import { Behaviour } from '../core/behaviour.ts';
import { NotPortableError } from '../threads/errors.ts';
import { importableBehaviour } from '../threads/spawn-target.ts';
import { OpDecoder, kOpSend } from '../codec/dist-ops.ts';
import { kPartsTag, type PayloadInbound } from '../codec/op-parts.ts';
import {
  kInBusy, kInConnectFailed, kInMessage, kInNodeDown, kInNodeUp, kInNotBusy, kOutDisconnect,
  type ConnectFailedInfo, type NodeDownInfo, type NodeUpInfo,
} from './io-protocol.ts';
import { codeRootUrl, portableModule } from './module-paths.ts';
import { NodeTransport, type IoLinkWriter } from './node-transport.ts';
import type { SenderControl } from './busy-senders.ts';
import { OpDispatch, type SpawnHere } from './op-dispatch.ts';
import { PeerTable, type Peer } from './peer-table.ts';
import { ErlangBridge } from './erlang-peer/erlang-bridge.ts';

/**
 * diagnostics_channel 'switchboard:nodeup' / 'switchboard:nodedown' (documented in
 * src/profile/metrics/diagnostics.ts): published on the node thread, hidden nodes
 * included (with `hidden`), only while someone subscribes.
 */
const nodeUpChannel = channel('switchboard:nodeup');
const nodeDownChannel = channel('switchboard:nodedown');

/** What the node side uses of the I/O link's reading end (io-link.ts IoLinkEnd). */
export interface IoLinkReader extends IoLinkWriter {
  /** The handler returning false stops the drain after that record. */
  drain(handler: (kind: number, conn: number, stream: number, payload: Uint8Array) => void | boolean, max?: number): number;
  onReadable(cb: () => void): void;
  holdReading(): void;
  resumeReading(): void;
}

/** What the node side uses of the I/O thread's host (io-host.ts IoHost). */
export interface IoHostHandle {
  readonly link: IoLinkReader;
  readonly creation: number;
  readonly listenPort: number;
  stats(): Promise<unknown>;
  stop(): Promise<void>;
}

interface SpawnWaiter {
  readonly node: string;
  readonly resolve: (pid: Pid) => void;
  readonly reject: (e: Error) => void;
}

/** Refs this layer makes (spawn requests from the embedding thread): their own `sched` lane. */
const kDistRefLane = 0x7ffe;
const kDrainBatch = 4096;
/** How often held input (holdInput) checks whether the actors' side caught up. */
const kHoldPollMs = 1;
/** Ops at least this large are followed by a backlog check (smaller ones: once per drain batch). */
const kLargeOpBytes = 64 * 1024;
const utf8 = new TextDecoder();

export class Distribution implements NodeDistribution {
  readonly name: string;
  readonly transport: NodeTransport;
  readonly hooks: DistHooks;
  private readonly io: IoHostHandle;
  private readonly peers = new PeerTable();
  private readonly decoder = new OpDecoder();
  /** Erlang peers (erlang-peer/erlang-bridge.ts). */
  readonly erlang: ErlangBridge;
  private readonly rootUrl: string;
  private dispatcher: OpDispatch | null = null;
  private inbound: Inbound | null = null;
  private registry: Pick<Registry, 'whereis'> | null = null;
  private gateway: Pid | null = null;
  private emit: (event: 'nodeup' | 'nodedown', arg: unknown) => void = () => {};
  /** Spawns from the embedding thread (spawnOn), by ref serial. */
  private readonly spawnWaiters = new Map<number, SpawnWaiter>();
  /** holdInput's poll while held; how many times it held. */
  private inputHeld: ReturnType<typeof setInterval> | null = null;
  private inputHolds = 0;
  /** onRecord found the actors' side behind: the drain loop holds the input. */
  private behind = false;
  /** monitorNodes subscribers, by printed pid. */
  private readonly nodeWatchers = new Map<string, { readonly pid: Pid; count: number }>();
  /** Spawn requests from actors not yet answered, by `actorSpawnKey(ref)`. */
  private readonly actorSpawns = new Map<number, { node: string; from: Pid; ref: Ref; link: boolean }>();
  private refSerial = 0;
  private stopped = false;
  private draining = false;
  /** Ops that could not be decoded (their connection was closed). */
  badOps = 0;

  private readonly onStopped: () => void;

  /** How long connectNode waits for an answer before it says false. */
  private readonly connectTimeoutMs: number;

  /**
   * `onStopped` runs once the I/O thread has ended (startNamedNode frees the thread's
   * name); `connectTimeoutMs` bounds connectNode (an answer normally comes within the
   * handshake's setupTimeMs; this is the backstop, e.g. for a connect the mesh had already
   * started and whose failure the I/O thread reports to nobody).
   */
  constructor(name: string, io: IoHostHandle, codeRoot: string, onStopped: () => void = () => {}, connectTimeoutMs = 30_000) {
    this.name = name;
    this.onStopped = onStopped;
    this.connectTimeoutMs = connectTimeoutMs;
    this.io = io;
    this.rootUrl = codeRootUrl(codeRoot);
    this.transport = new NodeTransport(io.link, this.peers);
    this.erlang = new ErlangBridge((peer, index, stream, bytes) => this.transport.outByName(peer, index, stream, bytes));
    this.transport.erlang = this.erlang;
    const d = this;
    this.hooks = {
      nodeName: name,
      nodes: (which) => d.nodes(which),
      monitorNode: (watcher, node, on) => d.monitorNode(watcher, node, on),
      monitorNodes: (watcher, on) => d.monitorNodes(watcher, on),
      spawnRequest: (from, node, target, args, link, ref) => d.spawnRequest(from, node, target, args, link, ref),
    };
  }

  attach(inbound: Inbound, registry: Pick<Registry, 'whereis'>, spawnHere: SpawnHere, gateway: Pid, emit: (event: 'nodeup' | 'nodedown', arg: unknown) => void, senders?: SenderControl): void {
    this.inbound = inbound;
    this.registry = registry;
    if (senders !== undefined) this.transport.busy.attach(senders);
    this.gateway = gateway;
    this.emit = emit;
    this.transport.attach(inbound);
    this.erlang.attach(inbound, registry);
    this.dispatcher = new OpDispatch(inbound, registry, spawnHere, this.transport, this.rootUrl, this.spawnReplied);
    this.io.link.onReadable(this.readable);
    this.readable();
  }

  // --- API ---

  nodes(which: 'visible' | 'hidden' | 'connected' = 'visible'): string[] {
    if (which !== 'visible' && which !== 'hidden' && which !== 'connected') {
      throw new BadArgError(`nodes: expected 'visible', 'hidden' or 'connected', got ${String(which)}`);
    }
    return this.peers.names(which);
  }

  connectNode(name: string): Promise<boolean> {
    checkNodeName('connectNode', name);
    if (this.stopped) return Promise.reject(new NotRunningError());
    if (name === this.name) return Promise.resolve(true);
    const peer = this.peers.get(name);
    if (peer.up) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        // No answer: the connect failed as far as this node knows (queued ops dropped,
        // links and monitors fired, every waiter false); a later send asks again.
        if (!peer.up && peer.connectRequest !== -1) this.onConnectFailed(peer.connectRequest, { name: peer.name, error: { name: 'NoConnectionError', message: 'no answer' } });
        const i = peer.connectWaiters.indexOf(settle);
        if (i >= 0) peer.connectWaiters.splice(i, 1);
        resolve(false);
      }, this.connectTimeoutMs);
      timer.unref();
      const settle = (up: boolean): void => {
        clearTimeout(timer);
        resolve(up);
      };
      peer.connectWaiters.push(settle);
      this.transport.requestConnect(peer);
    });
  }

  async disconnectNode(name: string): Promise<boolean> {
    checkNodeName('disconnectNode', name);
    const peer = this.peers.find(name);
    if (peer === undefined || !peer.up) return false;
    this.io.link.write(kOutDisconnect, peer.conn, 0, new Uint8Array(0));
    this.transport.scheduleFlush();
    return true;
  }

  monitorNode(watcher: Pid, node: string, on: boolean): void {
    if (node === this.name) return;
    const peer = this.peers.get(node);
    const n = peer.watchers.get(watcher) ?? 0;
    if (!on) {
      if (n <= 1) peer.watchers.delete(watcher);
      else peer.watchers.set(watcher, n - 1);
      return;
    }
    peer.watchers.set(watcher, n + 1);
    if (!peer.up) this.transport.requestConnect(peer);
  }

  /**
   * Erlang's net_kernel:monitor_nodes: `watcher` gets `{ type: 'nodeup', node }` and
   * `{ type: 'nodedown', node, reason: 'noconnection' }` for every visible node from now
   * on, once per subscription (`on: false` removes one). Keyed by the pid's printed form,
   * since a pid that crossed threads is a new object each time.
   */
  monitorNodes(watcher: Pid, on: boolean): void {
    const key = watcher.toString();
    const w = this.nodeWatchers.get(key);
    if (on) {
      if (w === undefined) this.nodeWatchers.set(key, { pid: watcher, count: 1 });
      else w.count++;
    } else if (w !== undefined && --w.count <= 0) this.nodeWatchers.delete(key);
  }

  /** Tell every monitorNodes watcher (a visible node's up or down). */
  private tellNodeWatchers(msg: object): void {
    for (const w of this.nodeWatchers.values()) for (let i = 0; i < w.count; i++) this.inbound!.deliverTo(w.pid, msg, 64);
  }

  /** node.spawn(target, args, { node }) from the embedding thread. */
  async spawnOn(node: string, target: unknown, args: readonly unknown[]): Promise<Pid> {
    checkNodeName('spawn', node);
    if (!Array.isArray(args)) throw new BadArgError('spawn: args must be an array');
    const ref = await importableBehaviour(target);
    const module = portableModule(ref.module, this.rootUrl);
    if (this.stopped || this.gateway === null) throw new NotRunningError();
    if (this.erlang.peerNamed(node) !== undefined) throw new RemoteSpawnError(node, 'spawning on an Erlang node is not supported (a Switchboard node cannot run Erlang code, and an Erlang node cannot run a JavaScript behaviour)');
    const r = new Ref(0, kDistRefLane, ++this.refSerial);
    const gateway = this.gateway;
    return new Promise<Pid>((resolve, reject) => {
      this.spawnWaiters.set(r.n, { node, resolve, reject });
      this.transport.outByName(node, -1, gateway.id, this.transport.ops.spawnRequest(gateway, r, module, ref.export, args, false));
    });
  }

  /** ctx.spawnRequest (DistHooks): the reply comes as a message; `given`: a ref the requester's thread made. */
  spawnRequest(from: Pid, node: string, target: unknown, args: readonly unknown[], link: boolean, given?: Ref): Ref {
    let module: string;
    let exportName: string;
    if (target instanceof Behaviour) {
      if (target.module === null || target.exportName === null) {
        throw new NotPortableError('spawnRequest: the behaviour must be defined with defineActor(import.meta.url, impl, \'ExportName\')');
      }
      module = target.module;
      exportName = target.exportName;
    } else {
      const t = target as { module?: unknown; export?: unknown } | null;
      if (typeof t !== 'object' || t === null || typeof t.module !== 'string' || typeof t.export !== 'string') {
        throw new NotPortableError('spawnRequest: expected a module-defined Behaviour or { module, export }');
      }
      module = t.module;
      exportName = t.export;
    }
    const wire = portableModule(module, this.rootUrl);
    const ref = given ?? new Ref(0, kDistRefLane, ++this.refSerial);
    if (this.erlang.peerNamed(node) !== undefined) {
      this.inbound!.deliverTo(from, Object.freeze({ type: 'spawn_reply', ref, ok: false, error: 'notsup' }), 64);
      return ref;
    }
    this.actorSpawns.set(actorSpawnKey(ref), { node, from, ref, link });
    this.transport.outByName(node, -1, from.id, this.transport.ops.spawnRequest(from, ref, wire, exportName, args, link));
    return ref;
  }

  stats(): DistStats {
    const t = this.transport.stats;
    const b = this.transport.busy.stats;
    return {
      nodes: this.peers.names('connected').length,
      opsOut: t.opsOut,
      queuedForConnect: t.queuedForConnect,
      droppedStale: t.droppedStale,
      droppedPendingFull: t.droppedPendingFull,
      busyEvents: b.busyEvents,
      sendsWhileBusy: b.sendsWhileBusy,
      holds: b.holds,
      badOps: this.badOps,
      inputHolds: this.inputHolds,
    };
  }

  /** The I/O thread's counters (connections, refusals, ticks, link). */
  ioStats(): Promise<Readonly<Record<string, unknown>>> {
    return this.io.stats() as Promise<Readonly<Record<string, unknown>>>;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.inputHeld !== null) clearInterval(this.inputHeld);
    this.inputHeld = null;
    this.transport.scheduleFlush();
    await new Promise<void>((r) => queueMicrotask(r));
    for (const w of this.spawnWaiters.values()) w.reject(new NotRunningError('the node stopped before the spawn was answered'));
    this.spawnWaiters.clear();
    try {
      await this.io.stop();
    } finally {
      this.onStopped();
    }
  }

  // --- records from the I/O thread ---

  private readonly readable = (): void => {
    if (this.draining || this.inputHeld !== null) return;
    if (this.inbound?.backlogged?.() === true) return this.holdInput();
    this.draining = true;
    try {
      while (this.io.link.drain(this.onRecord, kDrainBatch) === kDrainBatch || this.behind) {
        // more: keep going (the scheduler runs between batches only after this returns)
        if (this.behind || this.inbound?.backlogged?.() === true) {
          this.behind = false;
          this.holdInput();
          break;
        }
      }
    } finally {
      this.draining = false;
    }
  };

  /**
   * The actors' side is behind (a threaded node's scheduler rings are full): leave the
   * I/O thread's records in the link, so its backlog grows and it stops reading sockets
   * (io-service.ts step 8c); every kHoldPollMs, take them again once it is not behind.
   */
  private holdInput(): void {
    if (this.inputHeld !== null) return;
    this.inputHolds++;
    this.io.link.flush();
    this.io.link.holdReading();
    this.inputHeld = setInterval(() => {
      if (this.inbound?.backlogged?.() === true && !this.stopped) return;
      clearInterval(this.inputHeld!);
      this.inputHeld = null;
      this.io.link.resumeReading();
    }, kHoldPollMs);
  }

  private readonly onRecord = (kind: number, conn: number, _stream: number, payload: Uint8Array): boolean | void => {
    switch (kind) {
      case kInMessage:
        this.onOp(conn, payload);
        // A large op may fill the actors' side alone: ask after each one (stops this drain).
        if (payload.length >= kLargeOpBytes && this.inbound?.backlogged?.() === true) {
          this.behind = true;
          return false;
        }
        return;
      case kInNodeUp:
        this.onNodeUp(conn, JSON.parse(utf8.decode(payload)) as NodeUpInfo);
        return;
      case kInNodeDown:
        this.onNodeDown(conn, JSON.parse(utf8.decode(payload)) as NodeDownInfo);
        return;
      case kInConnectFailed:
        this.onConnectFailed(conn, JSON.parse(utf8.decode(payload)) as ConnectFailedInfo);
        return;
      case kInBusy:
        this.transport.busy.setBusy(conn);
        return;
      case kInNotBusy:
        this.transport.busy.clear(conn);
        return;
    }
  };

  private onOp(conn: number, payload: Uint8Array): void {
    if (this.erlang.size !== 0 && this.erlang.isErlangConn(conn)) {
      try {
        this.erlang.dispatch(conn, payload);
      } catch {
        this.badOps++;
        this.io.link.write(kOutDisconnect, conn, 0, new Uint8Array(0));
        this.transport.scheduleFlush();
      }
      return;
    }
    let op: unknown[];
    try {
      op = this.decoder.decode(payload);
    } catch {
      this.badOps++;
      this.io.link.write(kOutDisconnect, conn, 0, new Uint8Array(0));
      this.transport.scheduleFlush();
      return;
    }
    // A send with large binaries to an actor of another thread of this node (a ThreadedNode's
    // gateway, threads/dist-gateway.ts): its payload goes there whole, transferred.
    if (payload[0] === kPartsTag) {
      const inb = this.inbound as Partial<PayloadInbound> | null;
      const to = op[0] === kOpSend ? (op[1] as Pid) : this.registry!.whereis(op[2] as string);
      if (to !== undefined && to.node === 0 && inb?.deliverPayload !== undefined && inb.deliverPayload(to, payload)) return;
    }
    this.dispatcher!.dispatch(op, payload.length);
  }

  private onNodeUp(conn: number, info: NodeUpInfo): void {
    const peer = this.peers.get(info.name);
    const index = nodeTable.intern(info.name, info.creation);
    const before = peer.index;
    this.peers.markUp(peer, conn, info.creation, index, info.hidden, info.flags);
    if (info.protocol === 'erlang') this.erlang.nodeUp(conn, info.name, index, info.flags);
    const stale = this.transport.sendPending(peer);
    if (before !== -1 && before !== index) stale.add(before);
    for (const i of stale) this.inbound!.peerGone(i, 'noconnection');
    for (const w of peer.connectWaiters.splice(0)) w(true);
    this.emit('nodeup', { name: info.name, hidden: info.hidden });
    if (nodeUpChannel.hasSubscribers) nodeUpChannel.publish({ node: info.name, hidden: info.hidden });
    // After the node lists moved (emit) and before any op of this connection is drained:
    // a watcher finds the node in ctx.nodes() and sees nodeup before the peer's messages.
    if (!info.hidden) this.tellNodeWatchers(Object.freeze({ type: 'nodeup', node: info.name }));
  }

  private onNodeDown(conn: number, info: NodeDownInfo): void {
    const peer = this.peers.ofConn(conn);
    if (peer === undefined) return;
    this.peers.markDown(peer);
    this.erlang.nodeDown(conn);
    this.transport.busy.clear(conn);
    this.inbound!.peerGone(peer.index, 'noconnection');
    this.inbound!.peerGone(nodeTable.intern(peer.name, kAnyCreation), 'noconnection');
    this.dispatcher?.forgetNode(peer.index);
    this.lost(peer);
    this.emit('nodedown', { name: peer.name, reason: 'noconnection', detail: info.detail });
    if (nodeDownChannel.hasSubscribers) nodeDownChannel.publish({ node: peer.name, hidden: peer.hidden, reason: 'noconnection', detail: info.detail });
    if (!peer.hidden) this.tellNodeWatchers(Object.freeze({ type: 'nodedown', node: peer.name, reason: 'noconnection' }));
  }

  private onConnectFailed(request: number, _info: ConnectFailedInfo): void {
    const peer = this.peers.takeRequest(request);
    if (peer === undefined || peer.up) return;
    const gone = this.transport.dropPending(peer);
    gone.add(nodeTable.intern(peer.name, kAnyCreation));
    for (const i of gone) this.inbound!.peerGone(i, 'noconnection');
    for (const w of peer.connectWaiters.splice(0)) w(false);
    this.lost(peer);
  }

  /** What waited on `peer` fails: spawns, monitorNode watchers. */
  private lost(peer: Peer): void {
    for (const [n, w] of this.spawnWaiters) {
      if (w.node !== peer.name) continue;
      this.spawnWaiters.delete(n);
      w.reject(new NoConnectionError(peer.name));
    }
    for (const [n, s] of this.actorSpawns) {
      if (s.node !== peer.name) continue;
      this.actorSpawns.delete(n);
      this.inbound!.deliverTo(s.from, Object.freeze({ type: 'spawn_reply', ref: s.ref, ok: false, error: 'noconnection' }), 64);
    }
    const msg = Object.freeze({ type: 'nodedown', node: peer.name });
    for (const [w, count] of peer.watchers) for (let i = 0; i < count; i++) this.inbound!.deliverTo(w, msg, 64);
    peer.watchers.clear();
  }

  /** kOpSpawnReply for one of this node's requesters. */
  private readonly spawnReplied = (to: Pid, ref: Ref, pid: Pid | null, error: unknown, link: boolean): void => {
    const waiter = this.spawnWaiters.get(ref.n);
    if (waiter !== undefined && ref.sched === kDistRefLane) {
      this.spawnWaiters.delete(ref.n);
      if (pid !== null) waiter.resolve(pid);
      else waiter.reject(spawnError(waiter.node, error));
      return;
    }
    const key = actorSpawnKey(ref);
    const s = this.actorSpawns.get(key);
    if (s === undefined) return;
    this.actorSpawns.delete(key);
    if (pid !== null) {
      if (link) this.inbound!.linkIn(to, pid);
      this.inbound!.deliverTo(to, Object.freeze({ type: 'spawn_reply', ref: s.ref, ok: true, pid }), 64);
    } else {
      this.inbound!.deliverTo(to, Object.freeze({ type: 'spawn_reply', ref: s.ref, ok: false, error }), 64);
    }
  };
}

/** One number per ref of this node (sched < 2^15, n < 2^32): refs of different schedulers never collide. */
function actorSpawnKey(ref: Ref): number {
  return ref.sched * 0x100000000 + ref.n;
}

function checkNodeName(api: string, name: unknown): void {
  if (typeof name !== 'string' || name === '' || !name.includes('@')) throw new BadArgError(`${api}: expected a node name 'alive@host', got ${String(name)}`);
}

function spawnError(node: string, error: unknown): Error {
  const e = error as { name?: unknown; message?: unknown } | null;
  const text = e !== null && typeof e === 'object' && typeof e.message === 'string' ? `${String(e.name)}: ${e.message}` : String(error);
  return new RemoteSpawnError(node, text);
}
