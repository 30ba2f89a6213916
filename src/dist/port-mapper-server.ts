/**
 * The embedded port mapper: a TCP server that speaks the EPMD protocol (frames in
 * epmd-frames.ts), so Switchboard nodes, `erl -name` and `epmd -names` can use it when no
 * real `epmd` runs on the host.
 *
 * One connection, in steps:
 *   1. accept; until a whole request has arrived the connection may buffer at most one
 *      request frame (2 + MAX_REQUEST_BYTES bytes), and must complete it within
 *      `idleTimeoutMs`, else it is closed;
 *   2. decode the request. A malformed one (bad length, unknown tag, a body that does not
 *      match its tag) closes this connection only, reported to `onConnectionError`;
 *   3. ALIVE2_REQ: only from a peer on this host (a loopback address, or the address the
 *      connection came in on), as epmd: from any other peer the connection is closed and
 *      reported to `onConnectionError` (failure 'not_local'). If the name is free, register it on this connection and answer
 *      result 0 with the name's next creation (ALIVE2_X_RESP, or ALIVE2_RESP with a
 *      creation in 1..3 to a node whose highest version is < 6); the connection then
 *      stays open, with no idle timeout, and what it sends further is discarded.
 *      If the name is taken, answer result 1 and close.
 *   4. PORT_PLEASE2_REQ: answer PORT2_RESP (the entry, or [119, 1]) and close.
 *      NAMES_REQ: answer this server's port and one line per registered node, and close.
 *   5. when a registered connection closes (for any reason: the node's close(), its
 *      process dying, a reset), its name is unregistered at once.
 *
 * Creation numbers, per name, as epmd keeps them: the first registration of a name gets
 * a random start in 4..2^32-1 (so a restarted port mapper is unlikely to repeat one), each
 * later registration of that name the next one, wrapping from 2^32-1 back to 4 (0..3 are
 * the old 2-bit creations). Counters of unregistered names are remembered for the most
 * recent MAX_REMEMBERED_NAMES names.
 */
import net from 'node:net';
import { randomInt } from 'node:crypto';
import {
  type EpmdRequest, type NodeEntry, MAX_REQUEST_BYTES, decodeRequest, encodeAlive2Resp, encodeAlive2XResp,
  encodeNamesResp, encodePort2Resp,
} from './epmd-frames.ts';
import { PortMapperError } from './errors.ts';
import { checkOptions, isInteger, mustBeFunction, mustBePositiveInteger, type OptionCheck } from '../core/options.ts';

/** Unregistered names whose creation counter is kept (epmd keeps 1000). */
export const MAX_REMEMBERED_NAMES = 1000;
const kFirstCreation = 4;
const kMaxCreation = 0xffffffff;

export interface PortMapperServerOptions {
  /** Address to listen on; default '127.0.0.1'. */
  host?: string;
  /** Port to listen on; default 4369; 0 picks a free one (see `server.port`). */
  port?: number;
  /** A connection that has not sent a whole request by then is closed; default 10000. */
  idleTimeoutMs?: number;
  /** Connections accepted at once; default 1024. */
  maxConnections?: number;
  /** Called with the reason a connection was closed for a malformed request. */
  onConnectionError?: (err: PortMapperError) => void;
}

/** A registration the server holds: the node's entry and its creation. */
export interface PortMapperEntry extends NodeEntry {
  readonly creation: number;
}

const mustBeHost: OptionCheck = (v) => (typeof v === 'string' && v !== '' ? null : 'must be a non-empty string');
const mustBeListenPort: OptionCheck = (v) => (isInteger(v) && v >= 0 && v <= 65535 ? null : 'must be an integer in 0..65535');
const mustBeFiniteTimeout: OptionCheck = (v) =>
  typeof v === 'number' && v > 0 && Number.isFinite(v) ? null : 'must be a positive finite number of milliseconds';

const kServerChecks = {
  host: mustBeHost,
  port: mustBeListenPort,
  idleTimeoutMs: mustBeFiniteTimeout,
  maxConnections: mustBePositiveInteger,
  onConnectionError: mustBeFunction,
};

/** A peer on this host: a loopback address, or the local address it connected to. */
export function isLocalPeer(socket: Pick<net.Socket, 'remoteAddress' | 'localAddress'>): boolean {
  const remote = socket.remoteAddress;
  if (remote === undefined) return false;
  const v4 = remote.startsWith('::ffff:') ? remote.slice(7) : remote;
  return v4.startsWith('127.') || remote === '::1' || remote === socket.localAddress;
}

/** Per-connection state; one shape for every connection. */
class Connection {
  readonly socket: net.Socket;
  /** Bytes of an incomplete request (at most one frame). */
  pending: Buffer = Buffer.alloc(0);
  /** The name registered on this connection, once ALIVE2 succeeded. */
  registered: string | null = null;
  /** An answer has been sent and the connection is ending: ignore further bytes. */
  done = false;
  constructor(socket: net.Socket) {
    this.socket = socket;
  }
}

export class PortMapperServer {
  readonly host: string;
  /** The port it listens on (the one chosen, when started with port 0). */
  readonly port: number;
  readonly #server: net.Server;
  readonly #idleTimeoutMs: number;
  readonly #onConnectionError: ((err: PortMapperError) => void) | undefined;
  readonly #connections = new Set<Connection>();
  readonly #registered = new Map<string, { entry: PortMapperEntry; conn: Connection }>();
  /** Last creation handed out per name (Map order = least recently registered first). */
  readonly #creations = new Map<string, number>();
  #closing: Promise<void> | null = null;

  /** Use startPortMapper(); the server is already listening. */
  constructor(server: net.Server, host: string, port: number, idleTimeoutMs: number, onConnectionError?: (err: PortMapperError) => void) {
    this.#server = server;
    this.host = host;
    this.port = port;
    this.#idleTimeoutMs = idleTimeoutMs;
    this.#onConnectionError = onConnectionError;
    server.on('connection', (socket) => this.#accept(socket));
  }

  /** The nodes registered now. */
  entries(): PortMapperEntry[] {
    return [...this.#registered.values()].map((r) => r.entry);
  }

  /** Connections open now (registered or not). */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Stop listening and close every connection (which unregisters every node). */
  close(): Promise<void> {
    if (this.#closing !== null) return this.#closing;
    this.#closing = new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      for (const c of this.#connections) c.socket.destroy();
    });
    return this.#closing;
  }

  #accept(socket: net.Socket): void {
    if (this.#closing !== null) {
      socket.destroy();
      return;
    }
    const conn = new Connection(socket);
    this.#connections.add(conn);
    socket.setNoDelay(true);
    socket.setTimeout(this.#idleTimeoutMs);
    socket.on('timeout', () => socket.destroy());
    socket.on('error', () => {}); // 'close' follows; a reset peer is not our error
    socket.on('close', () => this.#closed(conn));
    socket.on('data', (chunk: Buffer) => this.#data(conn, chunk));
  }

  #closed(conn: Connection): void {
    this.#connections.delete(conn);
    const name = conn.registered;
    if (name !== null && this.#registered.get(name)?.conn === conn) this.#registered.delete(name);
  }

  #data(conn: Connection, chunk: Buffer): void {
    if (conn.done || conn.registered !== null) return; // a registered node's further bytes are discarded
    conn.pending = conn.pending.length === 0 ? chunk : Buffer.concat([conn.pending, chunk]);
    let decoded;
    try {
      decoded = decodeRequest(conn.pending);
    } catch (err) {
      this.#reject(conn, err as PortMapperError);
      return;
    }
    if (decoded === null) {
      // decodeRequest refuses a length above MAX_REQUEST_BYTES at once, so the buffer
      // holds at most one frame; this check keeps that bound explicit.
      if (conn.pending.length > 2 + MAX_REQUEST_BYTES) this.#reject(conn, new PortMapperError('malformed', 'EPMD frame: request too long'));
      return;
    }
    conn.pending = Buffer.alloc(0);
    this.#serve(conn, decoded.value);
  }

  #reject(conn: Connection, err: PortMapperError): void {
    conn.done = true;
    conn.socket.destroy();
    this.#onConnectionError?.(err);
  }

  #serve(conn: Connection, req: EpmdRequest): void {
    switch (req.kind) {
      case 'alive2': {
        if (!isLocalPeer(conn.socket)) {
          this.#reject(conn, new PortMapperError('not_local', `startPortMapper: ALIVE2_REQ from ${conn.socket.remoteAddress}, which is not this host, refused`));
          return;
        }
        const { entry } = req;
        const old = entry.highestVersion < 6;
        if (this.#registered.has(entry.name)) {
          conn.done = true;
          conn.socket.end(old ? encodeAlive2Resp(1, 0) : encodeAlive2XResp(1, 0));
          return;
        }
        const creation = this.#nextCreation(entry.name);
        this.#registered.set(entry.name, { entry: { ...entry, creation }, conn });
        conn.registered = entry.name;
        conn.socket.setTimeout(0); // a registration lasts as long as its connection
        conn.socket.write(old ? encodeAlive2Resp(0, (creation % 3) + 1) : encodeAlive2XResp(0, creation));
        return;
      }
      case 'port_please2': {
        conn.done = true;
        conn.socket.end(encodePort2Resp(this.#registered.get(req.name)?.entry));
        return;
      }
      case 'names': {
        conn.done = true;
        conn.socket.end(encodeNamesResp(this.port, this.entries()));
        return;
      }
    }
  }

  #nextCreation(name: string): number {
    const last = this.#creations.get(name);
    const next = last === undefined ? randomInt(kFirstCreation, kMaxCreation) : last >= kMaxCreation ? kFirstCreation : last + 1;
    this.#creations.delete(name); // re-insert: most recently registered last
    this.#creations.set(name, next);
    if (this.#creations.size > MAX_REMEMBERED_NAMES + this.#registered.size) {
      for (const n of this.#creations.keys()) {
        if (!this.#registered.has(n)) {
          this.#creations.delete(n);
          break;
        }
      }
    }
    return next;
  }
}

/**
 * Start an embedded EPMD-protocol port mapper listening on `host:port`.
 * @throws InvalidOptionError for bad options; PortMapperError (failure 'network', the
 *   listen error as `cause`) if it cannot listen, e.g. the port is in use.
 */
export async function startPortMapper(options?: PortMapperServerOptions): Promise<PortMapperServer> {
  checkOptions('startPortMapper', kServerChecks, options);
  const host = options?.host ?? '127.0.0.1';
  const port = options?.port ?? 4369;
  const server = net.createServer();
  server.maxConnections = options?.maxConnections ?? 1024;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const e = new PortMapperError('network', `startPortMapper: cannot listen on ${host}:${port}: ${err.code ?? err.message}`);
      (e as { cause?: unknown }).cause = err;
      reject(e);
    });
    server.listen({ host, port, exclusive: true }, () => resolve());
  });
  server.removeAllListeners('error');
  server.on('error', () => {}); // after listening, accept errors are per connection
  const bound = (server.address() as net.AddressInfo).port;
  return new PortMapperServer(server, host, bound, options?.idleTimeoutMs ?? 10_000, options?.onConnectionError);
}
