/**
 * What the node thread gives its I/O thread at start (IoThreadConfig, API.md section 4)
 * and what the I/O thread reports (IoStats). Plain data: both cross postMessage.
 */
import type { IoLinkStats } from './io-link.ts';
import type { ConnectionStats } from './connection.ts';

/** Mutual TLS: every connection, both ways, presents `cert` and checks the peer's against `ca`. */
export interface TlsConfig {
  readonly key: string | Uint8Array;
  readonly cert: string | Uint8Array;
  readonly ca: string | Uint8Array;
}

export interface IoThreadConfig {
  /** This node's full name, `alive@host`. */
  name: string;
  cookie: string;
  hidden: boolean;
  listen: { host: string; port: number };
  /** null: no port mapper (static map only; the creation is random). */
  portMapper: { host: string; port: number } | null;
  /** `{ 'b@host': 'host:port' }`, consulted before the port mapper. */
  staticPorts: Record<string, string>;
  tickTimeMs: number;
  setupTimeMs: number;
  fragmentBytes: number;
  maxUnsentBytes: number;
  tls: TlsConfig | null;
  /** Log every refused setup and every connection closed on bad input to stderr (one line each). */
  log: boolean;
  /** false: no full mesh: the "nodes" control frame is neither sent nor acted on (mesh-control.ts). Absent: true. */
  mesh?: boolean;
}

/** One refused setup or connection closed on bad input, as IoStats keeps the last ones. */
export interface IoRefusal {
  /** 'accept' | 'connect' | 'channel' (a live connection closed on bad input). */
  readonly where: string;
  /** The peer's name when known, else its address. */
  readonly peer: string;
  readonly code: string;
  readonly message: string;
}

export interface IoStats {
  readonly listenPort: number;
  readonly creation: number;
  readonly connections: readonly ConnectionStats[];
  /** Setups (connects, accepts) under way. */
  readonly pendingSetups: number;
  readonly accepted: number;
  readonly connected: number;
  readonly connectFailures: number;
  readonly tickTimeouts: number;
  /** Busy crossings of all connections, including lost ones. */
  readonly busyEvents: number;
  /** kOutMessage records for a connection that was already down (the node thread had or gets its nodedown). */
  readonly droppedMessages: number;
  /** Records of a kind the I/O thread does not take (a node-thread bug), ignored. */
  readonly badRecords: number;
  /** Times the sockets stopped being read because the node thread was behind, and for how long in all (io-service.ts step 8c). */
  readonly inputPauses: number;
  readonly pausedMs: number;
  /** Bytes handed to the node thread and not taken by it yet. */
  readonly backlogBytes: number;
  /** The most it has been after a batch of socket input. */
  readonly peakBacklogBytes: number;
  /** Refusals by error code, and the last few (IoRefusal). */
  readonly refusals: Readonly<Record<string, number>>;
  readonly lastRefusals: readonly IoRefusal[];
  readonly link: IoLinkStats;
}
