/**
 * The distribution service the I/O thread runs (io-thread.ts starts it): the listener,
 * the port-mapper registration, connecting and accepting, one Connection per peer, the
 * records to and from the node thread, the mesh. It runs no actor and no user code.
 *
 *   node thread --records--> IoLinkEnd('io') --> onRecord --> Connection.message/...
 *   Connection.onMessage/onDown/... --> IoLinkEnd.write --> node thread
 *
 * Steps
 *   start
 *     1. listen on config.listen (TLS when config.tls: mutual, the peer's certificate
 *        checked against the CA; no host-name check, as the cluster's CA is the trust);
 *     2. with a port mapper: ensurePortMapper (an embedded one may start here), then
 *        registerNode; the creation is the registration's. If the registration ends
 *        while running (the embedded mapper's process went away), register again,
 *        keeping the creation. Without a port mapper the creation is random;
 *     3. drain the link whenever the node thread writes (onReadable).
 *   records from the node thread
 *     kOutMessage(conn, stream, payload)  -> that connection's writer (a copy of an
 *        inline payload, carved from a slab: payload-slab.ts; a large one is owned already); a conn that is down: dropped
 *        (counted), the node thread has or gets its kInNodeDown;
 *     kOutConnect(request id, name)       -> connect (below);
 *     kOutDisconnect(conn)                -> lose that connection, detail 'disconnect'.
 *     After each drain, flush the connections that got messages, then the link.
 *   connect (ConnectionTable steps 1-4)
 *     4. resolve: the static map, else the port mapper on the peer's host;
 *     5. TCP (or TLS) connect within setupTimeMs, then connectHandshake;
 *     6. up: kInNodeUp(conn, NodeUpInfo) answers every request waiting for the name;
 *        failure: kInConnectFailed(request id, ConnectFailedInfo) for each of them
 *        (a connect started by the mesh has no request, and reports nothing).
 *   one listener, two protocols
 *    6b. An accepted socket's first bytes say which protocol it speaks: Switchboard's
 *        handshake starts `u32 length | 'H'` (byte 2 is 0x00, as a length <= 4096),
 *        Erlang's `u16 length | 'N'` (byte 2 is 0x4E; the old 'n' 0x6E goes to the
 *        Erlang handshake too, which refuses it with a typed error). The peeked bytes are
 *        put back (unshift) and that protocol's kit runs the handshake. Connecting, the
 *        port mapper's entry says it: a Switchboard node registers with `extra` =
 *        kSwitchboardMarker; an entry without it is an Erlang node (a static-map entry is
 *        Switchboard). NodeUpInfo.protocol tells the node thread. Erlang peers use
 *        Erlang's simultaneous-connect rule (erlangKeepsOutgoing) and get no mesh lists.
 *   accept
 *     7. acceptHandshake with decide = ConnectionTable.decide; up as in 6. A connection
 *        up to that name with another creation is an earlier life of the peer (it
 *        restarted before we noticed): once the new handshake is through (the cookie
 *        checked: a stranger cannot knock a connection down), the old one is lost first
 *        ('error: the peer restarted').
 *   mesh (mesh-control.ts)
 *     8. on the nodeup of a visible peer, a visible node sends it the visible peers it
 *        is connected to; on receiving such a list it connects to the ones it lacks.
 *   busy
 *     8b. connection.ts step 4 -> kInBusy(conn) / kInNotBusy(conn): the node thread holds
 *        the connection's senders in between (busy-senders.ts).
 *   input pause (what bounds the memory a fast peer can fill on a slow node thread)
 *     8c. After each batch of socket input: if the node thread's backlog on the link
 *        (io-link.ts B3: records written, not yet handed on) is over maxUnsentBytes,
 *        every connection stops reading (connection.ts step 4b), new ones too. Every
 *        kPausePollMs, resume all once the backlog is at or below half of it. Counted
 *        in stats (inputPauses, pausedMs). Nothing is dropped: the bytes wait in the
 *        kernel's socket buffers and then in the peers' writers, whose busy state holds
 *        their senders.
 *   loss
 *     9. Connection loss -> kInNodeDown(conn, { name, reason 'noconnection', detail }),
 *        written after every kInMessage of that connection.
 *   stop
 *    10. stop accepting, lose every connection and setup (sockets destroyed: peers see
 *        them close), unregister, close an embedded port mapper, close the link.
 */
import { randomInt } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { ChannelKit, KitHandshakeResult, KitHandshakeSelf, KitProtocol } from './channel-kit.ts';
import { sniffProtocol } from './accept-protocol.ts';
import { Connection, type ConnectionOwner, type ConnectionSettings } from './connection.ts';
import { ConnectionTable, type OutgoingAttempt } from './connection-table.ts';
import { PortMapperError } from './errors.ts';
import { NODE_TYPE_HIDDEN, NODE_TYPE_NORMAL } from './epmd-frames.ts';
import { DistConnectError, MeshControlError } from './io-errors.ts';
import type { IoLinkEnd } from './io-link.ts';
import { PayloadSlab } from './payload-slab.ts';
import {
  type ConnectFailedInfo, type NodeDownInfo, type NodeUpInfo, kInBusy, kInConnectFailed, kInMessage, kInNodeDown, kInNodeUp, kInNotBusy, kOutConnect,
  kOutDisconnect, kOutMessage,
} from './io-protocol.ts';
import type { IoRefusal, IoStats, IoThreadConfig } from './io-thread-config.ts';
import { decodeControl, encodeNodesControl, meshTargets } from './mesh-control.ts';
import { ensurePortMapper } from './port-mapper.ts';
import { lookupNode, registerNode, type PortMapperRegistration } from './port-mapper-client.ts';
import type { PortMapperServer } from './port-mapper-server.ts';
import { StaticPortMap, type StaticNodeAddress } from './static-port-map.ts';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const noop = (): void => {};

function jsonBytes(v: unknown): Uint8Array {
  return utf8.encode(JSON.stringify(v));
}

function splitName(name: string): { alive: string; host: string } | null {
  const at = name.indexOf('@');
  if (at <= 0 || at === name.length - 1 || name.indexOf('@', at + 1) !== -1) return null;
  return { alive: name.slice(0, at), host: name.slice(at + 1) };
}

const kEmpty = new Uint8Array(0);

/** Step 6b: the port-mapper `extra` of a Switchboard node (an entry without it is an Erlang node's). */
export const kSwitchboardMarker = utf8.encode('switchboard');

function isSwitchboardEntry(extra: Uint8Array): boolean {
  return extra.length >= kSwitchboardMarker.length && kSwitchboardMarker.every((b, i) => extra[i] === b);
}



/** Step 8c: how often a paused input checks whether the node thread caught up. */
const kPausePollMs = 5;

export class IoService implements ConnectionOwner {
  private readonly config: IoThreadConfig;
  private readonly link: IoLinkEnd;
  private readonly kit: ChannelKit;
  /** Step 6b: the kit for Erlang peers (null: this node speaks only Switchboard's protocol). */
  private readonly erlangKit: ChannelKit | null;
  private readonly table: ConnectionTable;
  private readonly staticMap: StaticPortMap;
  private readonly settings: ConnectionSettings;
  private server: net.Server | null = null;
  private registration: PortMapperRegistration | null = null;
  private embedded: PortMapperServer | null = null;
  private self: KitHandshakeSelf | null = null;
  private listenPort = 0;
  private stopping = false;
  private readonly dirty = new Set<Connection>();
  /** Copies of inline payloads (step 3), carved from slabs. */
  private readonly copies = new PayloadSlab();
  private readonly onRecord: (kind: number, conn: number, stream: number, payload: Uint8Array) => void;
  private readonly counts = { accepted: 0, connected: 0, connectFailures: 0, tickTimeouts: 0, busyEventsLost: 0, droppedMessages: 0, badRecords: 0, inputPauses: 0 };
  /** Step 8c: reading is paused (since pausedAt), the poll that resumes it. */
  private inputPaused = false;
  private pausedAt = 0;
  private pausedMs = 0;
  private peakBacklog = 0;
  private resumePoll: ReturnType<typeof setInterval> | null = null;

  constructor(config: IoThreadConfig, link: IoLinkEnd, kit: ChannelKit, erlangKit: ChannelKit | null = null) {
    this.config = config;
    this.link = link;
    this.kit = kit;
    this.erlangKit = erlangKit;
    this.table = new ConnectionTable(config.name, kit.keepsOutgoing);
    this.staticMap = new StaticPortMap(config.staticPorts);
    this.settings = { tickTimeMs: config.tickTimeMs, fragmentBytes: config.fragmentBytes, maxUnsentBytes: config.maxUnsentBytes };
    this.onRecord = (kind, conn, stream, payload) => this.record(kind, conn, stream, payload);
  }

  /** Steps 1-3. Resolves with the creation and the port listened on. */
  async start(): Promise<{ creation: number; listenPort: number }> {
    const c = this.config;
    const server = c.tls !== null ? tls.createServer({ ...this.tlsOptions(), requestCert: true, rejectUnauthorized: true }) : net.createServer();
    server.on(c.tls !== null ? 'secureConnection' : 'connection', (s: net.Socket) => this.accept(s));
    server.on('error', noop); // after listening: a failed accept is that socket's business
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: c.listen.host, port: c.listen.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.listenPort = (server.address() as net.AddressInfo).port;
    let creation: number;
    try {
      creation = c.portMapper !== null ? (await this.register()).creation : randomInt(1, 0xffffffff);
    } catch (e) {
      await this.stop();
      throw e;
    }
    this.self = { name: c.name, creation, hidden: c.hidden, flags: this.kit.flags, cookie: c.cookie, setupTimeMs: c.setupTimeMs };
    this.link.onReadable(() => this.pump());
    return { creation, listenPort: this.listenPort };
  }

  private readonly refusalCounts = new Map<string, number>();
  private readonly lastRefusals: IoRefusal[] = [];

  /** A refused setup or a connection closed on bad input: counted by code, kept (last 32), logged. */
  refused(where: string, peer: string, e: unknown): void {
    const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'ERR_SB_DIST';
    const message = e instanceof Error ? e.message : String(e);
    this.refusalCounts.set(code, (this.refusalCounts.get(code) ?? 0) + 1);
    this.lastRefusals.push({ where, peer, code, message });
    if (this.lastRefusals.length > 32) this.lastRefusals.shift();
    if (this.config.log) process.stderr.write(`switchboard dist ${this.config.name}: ${where} ${peer} refused: ${code}: ${message}\n`);
  }

  stats(): IoStats {
    const connections = [...this.table.connections()].map((c) => c.stats());
    let busyEvents = this.counts.busyEventsLost;
    for (const s of connections) busyEvents += s.busyEvents;
    return {
      listenPort: this.listenPort,
      creation: this.self?.creation ?? 0,
      connections,
      pendingSetups: this.table.pendingCount,
      accepted: this.counts.accepted,
      connected: this.counts.connected,
      connectFailures: this.counts.connectFailures,
      tickTimeouts: this.counts.tickTimeouts,
      busyEvents,
      droppedMessages: this.counts.droppedMessages,
      badRecords: this.counts.badRecords,
      inputPauses: this.counts.inputPauses,
      pausedMs: Math.round(this.pausedMs + (this.inputPaused ? performance.now() - this.pausedAt : 0)),
      backlogBytes: this.link.backlogBytes,
      peakBacklogBytes: this.peakBacklog,
      refusals: Object.fromEntries(this.refusalCounts),
      lastRefusals: this.lastRefusals.slice(),
      link: { ...this.link.stats },
    };
  }

  /** Step 10. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.inputPaused) this.resumeInput();
    const closed = this.server === null ? Promise.resolve() : new Promise<void>((r) => this.server!.close(() => r()));
    for (const c of [...this.table.connections()]) c.disconnect('stop');
    for (const s of this.table.pendingSockets()) s.destroy();
    await closed;
    await this.registration?.close();
    await this.embedded?.close();
    this.link.close();
  }

  /** Step 2, also after a registration ended. */
  private async register(): Promise<PortMapperRegistration> {
    const pm = this.config.portMapper!;
    const ensured = await ensurePortMapper({ host: pm.host, port: pm.port, timeoutMs: this.config.setupTimeMs });
    if (ensured.kind === 'embedded') this.embedded = ensured.server;
    const name = splitName(this.config.name)?.alive ?? this.config.name;
    const reg = await registerNode({
      host: pm.host, port: pm.port, timeoutMs: this.config.setupTimeMs, name, listenPort: this.listenPort,
      nodeType: this.config.hidden ? NODE_TYPE_HIDDEN : NODE_TYPE_NORMAL,
      extra: kSwitchboardMarker,
    });
    if (this.stopping) {
      await reg.close();
      return reg;
    }
    this.registration = reg;
    void reg.closed.then(() => this.reregister(0));
    return reg;
  }

  private reregister(attempt: number): void {
    if (this.stopping) return;
    const delay = Math.min(2000, 100 * 2 ** attempt);
    const t = setTimeout(() => {
      if (this.stopping) return;
      this.register().catch(() => this.reregister(attempt + 1));
    }, attempt === 0 ? 0 : delay);
    t.unref();
  }

  private tlsOptions(): { key: string | Buffer; cert: string | Buffer; ca: string | Buffer } {
    const t = this.config.tls!;
    const b = (v: string | Uint8Array): string | Buffer => (typeof v === 'string' ? v : Buffer.from(v));
    return { key: b(t.key), cert: b(t.cert), ca: b(t.ca) };
  }

  /** Step 3: drain the node thread's records, then write what they queued. */
  private pump(): void {
    this.link.drain(this.onRecord);
    for (const c of this.dirty) c.flush();
    this.dirty.clear();
    this.link.flush();
  }

  private record(kind: number, conn: number, stream: number, payload: Uint8Array): void {
    if (kind === kOutMessage) {
      const c = this.table.byConn(conn);
      if (c === undefined || c.isDown) {
        this.counts.droppedMessages++;
        return;
      }
      // An inline payload is a view into the ring, valid only now; a large one is ours.
      c.message(stream, payload.buffer instanceof SharedArrayBuffer ? this.copies.copy(payload) : payload);
      this.dirty.add(c);
    } else if (kind === kOutConnect) {
      this.connect(fromUtf8.decode(payload), conn);
    } else if (kind === kOutDisconnect) {
      this.table.byConn(conn)?.disconnect('disconnect');
    } else {
      this.counts.badRecords++;
    }
  }

  /** Steps 4-6, for the node thread's request `requestId` (null: the mesh's). */
  private connect(name: string, requestId: number | null): void {
    if (this.stopping) return;
    const parts = splitName(name);
    if (parts === null || name === this.config.name) {
      if (requestId !== null) {
        const err = parts === null
          ? new DistConnectError('bad_name', name, `connect: "${name}" is not a node name (name@host)`)
          : new DistConnectError('self', name, `connect: "${name}" is this node`);
        this.reportFailed([requestId], name, err);
        this.link.flush();
      }
      return;
    }
    const attempt = this.table.request(name, requestId);
    if (attempt !== null) void this.runOutgoing(attempt, parts.host);
  }

  private async runOutgoing(attempt: OutgoingAttempt, host: string): Promise<void> {
    const name = attempt.name;
    try {
      const addr = await this.resolve(name, host);
      if (this.stopping || attempt.cancelled) throw new DistConnectError('closed', name, `connect ${name}: the node is stopping`);
      const kit = this.kitOf(addr.protocol);
      if (kit === null) throw new DistConnectError('unknown', name, `connect ${name}: an Erlang node, and this node does not speak Erlang's protocol`);
      const socket = await this.dial(attempt, addr);
      if (attempt.cancelled) throw new DistConnectError('closed', name, `connect ${name}: another connection came up`);
      const result = await kit.connectHandshake(socket, this.self!, name);
      if (result.peer.name !== name) throw new DistConnectError('closed', name, `connect ${name}: the peer is "${result.peer.name}"`);
      this.established(socket, result, attempt, true, addr.protocol);
    } catch (e) {
      attempt.socket?.destroy();
      const lostRace = this.kit.lostSimultaneousConnect(e) || (this.erlangKit?.lostSimultaneousConnect(e) ?? false);
      if (!lostRace && !attempt.cancelled) this.refused('connect', name, e);
      if (lostRace) {
        const t = setTimeout(() => {
          const idle = this.table.expireIdle(name);
          if (idle !== null && !this.stopping) {
            this.counts.connectFailures++;
            this.reportFailed(idle, name, e as Error);
            this.link.flush();
          }
        }, this.config.setupTimeMs);
        t.unref();
      }
      const waiters = this.table.failed(name, attempt, lostRace);
      if (waiters !== null && !this.stopping) {
        this.counts.connectFailures++;
        this.reportFailed(waiters, name, e as Error);
        this.link.flush();
      }
    }
  }

  private kitOf(protocol: KitProtocol): ChannelKit | null {
    return protocol === 'erlang' ? this.erlangKit : this.kit;
  }

  /** Step 4 (and 6b: which protocol the peer speaks). */
  private async resolve(name: string, host: string): Promise<StaticNodeAddress & { protocol: KitProtocol }> {
    const fixed = this.staticMap.lookup(name);
    if (fixed !== undefined) return { ...fixed, protocol: 'switchboard' };
    const pm = this.config.portMapper;
    if (pm === null) throw new DistConnectError('unknown', name, `connect ${name}: not in the static port map, and there is no port mapper`);
    const alive = name.slice(0, name.indexOf('@'));
    let entry;
    try {
      entry = await lookupNode(alive, { host, port: pm.port, timeoutMs: this.config.setupTimeMs });
    } catch (e) {
      if (e instanceof PortMapperError) throw new DistConnectError('unknown', name, `connect ${name}: the port mapper at ${host}:${pm.port} did not answer (${e.message})`);
      throw e;
    }
    if (entry === undefined) throw new DistConnectError('unknown', name, `connect ${name}: the port mapper at ${host}:${pm.port} does not know "${alive}"`);
    return { host, port: entry.port, protocol: isSwitchboardEntry(entry.extra) ? 'switchboard' : 'erlang' };
  }

  /** Step 5, the TCP (TLS) part. */
  private dial(attempt: OutgoingAttempt, addr: StaticNodeAddress): Promise<net.Socket> {
    const name = attempt.name;
    return new Promise<net.Socket>((resolve, reject) => {
      const useTls = this.config.tls !== null;
      const socket = useTls
        ? tls.connect({ host: addr.host, port: addr.port, ...this.tlsOptions(), checkServerIdentity: () => undefined })
        : net.connect({ host: addr.host, port: addr.port });
      attempt.socket = socket;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new DistConnectError('timeout', name, `connect ${name}: no connection to ${addr.host}:${addr.port} within ${this.config.setupTimeMs} ms`));
      }, this.config.setupTimeMs);
      const onError = (e: NodeJS.ErrnoException): void => {
        clearTimeout(timer);
        const refused = e.code === 'ECONNREFUSED';
        reject(new DistConnectError(refused ? 'refused' : 'network', name, `connect ${name}: ${refused ? 'refused at' : 'failed to reach'} ${addr.host}:${addr.port} (${e.message})`));
      };
      const onClose = (): void => {
        clearTimeout(timer);
        reject(new DistConnectError('closed', name, `connect ${name}: the connection to ${addr.host}:${addr.port} closed`));
      };
      socket.once('error', onError);
      socket.once('close', onClose);
      socket.once(useTls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.off('close', onClose);
        socket.on('error', noop); // the handshake sees the failure as a close/rejection
        if (this.stopping) socket.destroy();
        resolve(socket);
      });
    });
  }

  /** Step 6b: peek the first 3 bytes (accept-protocol.ts), put them back, accept with that protocol's kit. */
  private accept(socket: net.Socket): void {
    if (this.stopping || this.self === null) {
      socket.destroy();
      return;
    }
    socket.on('error', noop);
    if (this.erlangKit === null || this.config.tls !== null) {
      this.acceptWith(socket, 'switchboard');
      return;
    }
    void sniffProtocol(socket, this.config.setupTimeMs).then((protocol) => {
      if (protocol !== null) return this.acceptWith(socket, protocol);
      socket.destroy();
      this.refused('accept', `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`, new DistConnectError('timeout', '?', `accept: closed, or no handshake within ${this.config.setupTimeMs} ms`));
    });
  }

  /** Step 7. */
  private acceptWith(socket: net.Socket, protocol: KitProtocol): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    const kit = this.kitOf(protocol)!;
    let named: string | null = null;
    kit
      .acceptHandshake(socket, this.self!, (peer) => {
        if (this.stopping) return 'alive';
        const d = this.table.decide(peer.name, socket, peer.creation, kit.keepsOutgoing);
        if (d === 'ok') {
          named = peer.name;
          if (this.table.setup(peer.name)?.superseded === true) return 'ok_simultaneous';
        }
        return d;
      })
      .then(
        (result) => this.established(socket, result, socket, false, protocol),
        (e: Error) => {
          socket.destroy();
          this.refused('accept', named ?? `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`, e);
          if (named === null) return;
          const waiters = this.table.failed(named, socket);
          if (waiters !== null && !this.stopping) {
            this.reportFailed(waiters, named, e);
            this.link.flush();
          }
        },
      );
  }

  /** Step 6 (and 7): the handshake is done; the connection is up unless it lost a race. */
  private established(socket: net.Socket, result: KitHandshakeResult, attempt: OutgoingAttempt | net.Socket, outgoing: boolean, protocol: KitProtocol): void {
    const peer = result.peer;
    const { keep, replaces } = this.stopping ? { keep: false, replaces: undefined } : this.table.completed(peer.name, attempt);
    if (!keep) {
      socket.destroy();
      // A superseded outgoing (or a stale attempt) ends here; if it was the last attempt of
      // its setup, the waiters fail.
      const waiters = this.table.failed(peer.name, attempt);
      if (waiters !== null && !this.stopping) {
        this.reportFailed(waiters, peer.name, new DistConnectError('closed', peer.name, `connect ${peer.name}: lost a simultaneous connect, and the other connection did not come up`));
        this.link.flush();
      }
      return;
    }
    replaces?.disconnect('error: the peer restarted');
    if (outgoing) this.counts.connected++;
    else this.counts.accepted++;
    const c = new Connection(this.kitOf(protocol)!, socket, peer, this.table.allocateConn(), outgoing, this, this.settings, protocol);
    this.table.add(c);
    const up: NodeUpInfo = { name: peer.name, creation: peer.creation, hidden: peer.hidden, flags: peer.flags, protocol };
    this.link.write(kInNodeUp, c.conn, 0, jsonBytes(up));
    this.link.flush();
    c.start(result.rest);
    if (this.inputPaused) c.pauseReading(); // step 8c holds for new connections too
    // Step 8.
    if (this.config.mesh !== false && !this.config.hidden && !peer.hidden && !c.isDown && protocol === 'switchboard') {
      const names = this.table.visibleNames(peer.name);
      if (names.length > 0) {
        c.control(encodeNodesControl(names));
        c.flush();
      }
    }
  }

  private reportFailed(requestIds: readonly number[], name: string, e: Error): void {
    const code = (e as { code?: unknown }).code;
    const info: ConnectFailedInfo = {
      name,
      error: typeof code === 'string' ? { name: e.name, message: e.message, code } : { name: e.name, message: e.message },
    };
    const bytes = jsonBytes(info);
    for (const id of requestIds) this.link.write(kInConnectFailed, id, 0, bytes);
  }

  // ConnectionOwner.
  onMessage(c: Connection, stream: number, payload: Uint8Array): void {
    this.link.write(kInMessage, c.conn, stream, payload);
  }

  onControl(c: Connection, body: Uint8Array): void {
    let names: readonly string[];
    try {
      names = decodeControl(body).names;
    } catch (e) {
      if (!(e instanceof MeshControlError)) throw e;
      c.disconnect(`error: ${e.message}`);
      return;
    }
    for (const name of meshTargets(names, this.config.name, this.config.hidden || this.config.mesh === false, (n) => this.table.known(n))) this.connect(name, null);
  }

  onInputDone(): void {
    this.link.flush();
    // Step 8c.
    const backlog = this.link.backlogBytes;
    if (backlog > this.peakBacklog) this.peakBacklog = backlog;
    if (!this.inputPaused && backlog > this.config.maxUnsentBytes) this.pauseInput();
  }

  private pauseInput(): void {
    this.inputPaused = true;
    this.pausedAt = performance.now();
    this.counts.inputPauses++;
    for (const c of this.table.connections()) c.pauseReading();
    this.resumePoll = setInterval(() => {
      if (!this.stopping && this.link.backlogBytes > this.config.maxUnsentBytes / 2) return;
      this.resumeInput();
    }, kPausePollMs);
  }

  private resumeInput(): void {
    if (this.resumePoll !== null) clearInterval(this.resumePoll);
    this.resumePoll = null;
    this.inputPaused = false;
    this.pausedMs += performance.now() - this.pausedAt;
    for (const c of this.table.connections()) c.resumeReading();
  }

  onBadInput(c: Connection, e: unknown): void {
    this.refused('channel', c.peer.name, e);
  }

  onBusy(c: Connection, busy: boolean): void {
    if (this.stopping) return;
    this.link.write(busy ? kInBusy : kInNotBusy, c.conn, 0, kEmpty);
    this.link.flush();
  }

  /** Step 9. */
  onDown(c: Connection, detail: string): void {
    this.table.remove(c);
    this.dirty.delete(c);
    this.counts.busyEventsLost += c.stats().busyEvents;
    if (detail === 'tick_timeout') this.counts.tickTimeouts++;
    if (this.stopping) return;
    const down: NodeDownInfo = { name: c.peer.name, reason: 'noconnection', detail };
    this.link.write(kInNodeDown, c.conn, 0, jsonBytes(down));
    this.link.flush();
  }
}
