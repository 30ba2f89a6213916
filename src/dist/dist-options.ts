/**
 * The `dist` options of startNode (a node with a `name`), checked, with every default:
 *
 *   option           default                     meaning
 *   listen           { host: '127.0.0.1', port: 0 }   where this node accepts connections
 *   portMapper       { host: '127.0.0.1', port: 4369 } EPMD-protocol port mapper; false: static map only
 *   staticPorts      {}                          { 'b@host': 'host:port' } for nodes without a port mapper
 *   tickTimeMs       60000                       nothing heard for this long: the peer is down
 *                                                (ticks go every tickTimeMs / 4, as net_ticktime)
 *   setupTimeMs      7000                        a handshake's deadline
 *   fragmentBytes    65536                       a message above this is cut into fragments
 *   maxUnsentBytes   64 MiB                      per connection: above it the connection is busy
 *   tls              null                        { key, cert, ca }: mutual TLS under the handshake
 *   codeRoot         process.cwd()               remote spawns name modules relative to it
 *   log              true                        refused setups / bad input logged to stderr
 *   mesh             true                        false: no full mesh (the "nodes" control frame is
 *                                                neither sent nor acted on, mesh-control.ts); a
 *                                                membership overlay (cluster/membership) decides
 *                                                which peers to keep connected
 */
import { InvalidOptionError } from '../core/errors.ts';
import { checkOptions, isInteger, mustBePositiveInteger, type OptionChecks } from '../core/options.ts';

export interface DistOptions {
  listen?: { host?: string; port?: number };
  portMapper?: { host?: string; port?: number } | false;
  staticPorts?: Record<string, string>;
  tickTimeMs?: number;
  setupTimeMs?: number;
  fragmentBytes?: number;
  maxUnsentBytes?: number;
  tls?: { key: string | Uint8Array; cert: string | Uint8Array; ca: string | Uint8Array } | null;
  codeRoot?: string;
  /** Log refused setups and connections closed on bad input to stderr (default true). */
  log?: boolean;
  /** Full mesh (default true); false for a membership overlay (cluster/membership, Membership.start). */
  mesh?: boolean;
}

export interface DistConfig {
  readonly listen: { readonly host: string; readonly port: number };
  readonly portMapper: { readonly host: string; readonly port: number } | null;
  readonly staticPorts: Readonly<Record<string, string>>;
  readonly tickTimeMs: number;
  readonly setupTimeMs: number;
  readonly fragmentBytes: number;
  readonly maxUnsentBytes: number;
  readonly tls: { readonly key: string | Uint8Array; readonly cert: string | Uint8Array; readonly ca: string | Uint8Array } | null;
  readonly codeRoot: string;
  readonly log: boolean;
  readonly mesh: boolean;
}

const isPort = (v: unknown, min: number): boolean => isInteger(v) && v >= min && v <= 65535;
const isHost = (v: unknown): boolean => typeof v === 'string' && v !== '';

function hostPort(min: number) {
  return (v: unknown): string | null => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be { host?, port? }';
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (k !== 'host' && k !== 'port') return `has an unknown field "${k}"`;
    if (o['host'] !== undefined && !isHost(o['host'])) return 'must have a non-empty string host';
    if (o['port'] !== undefined && !isPort(o['port'], min)) return `must have an integer port in ${min}..65535`;
    return null;
  };
}

const distChecks: OptionChecks = {
  listen: hostPort(0),
  portMapper: (v) => (v === false ? null : hostPort(1)(v)),
  staticPorts: (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return "must be an object { 'name@host': 'host:port' }";
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (!k.includes('@')) return `has a key "${k}" that is not a node name`;
      if (typeof x !== 'string' || !/^[^:\s]+:\d{1,5}$/.test(x) || Number(x.split(':')[1]) > 65535) return `maps ${k} to ${String(x)}, not 'host:port'`;
    }
    return null;
  },
  tickTimeMs: (v) => (isInteger(v) && v >= 100 && v <= 3_600_000 ? null : 'must be an integer of milliseconds from 100 to 3600000'),
  setupTimeMs: (v) => (isInteger(v) && v >= 10 && v <= 600_000 ? null : 'must be an integer of milliseconds from 10 to 600000'),
  fragmentBytes: (v) => (isInteger(v) && v >= 1024 && v <= 1 << 24 ? null : 'must be an integer from 1024 to 2^24'),
  maxUnsentBytes: mustBePositiveInteger,
  tls: (v) => {
    if (v === null) return null;
    if (typeof v !== 'object' || Array.isArray(v)) return 'must be { key, cert, ca } or null';
    const o = v as Record<string, unknown>;
    for (const k of ['key', 'cert', 'ca']) {
      const x = o[k];
      if (!(typeof x === 'string' && x !== '') && !(x instanceof Uint8Array)) return `must have ${k} as a PEM string or bytes`;
    }
    return null;
  },
  codeRoot: (v) => (typeof v === 'string' && v !== '' ? null : 'must be a directory path or file: URL'),
  log: (v) => (typeof v === 'boolean' ? null : 'must be a boolean'),
  mesh: (v) => (typeof v === 'boolean' ? null : 'must be a boolean'),
};

/** Check `dist` (options named `startNode: option "dist.x" ...`) and fill in the defaults. */
export function distConfig(opts: DistOptions | undefined): DistConfig {
  try {
    checkOptions('startNode', distChecks, opts);
  } catch (e) {
    if (e instanceof InvalidOptionError) {
      const key = `dist.${e.option}`;
      throw new InvalidOptionError(key, e.message.replace(`option "${e.option}"`, `option "${key}"`));
    }
    throw e;
  }
  const o = opts ?? {};
  return {
    listen: { host: o.listen?.host ?? '127.0.0.1', port: o.listen?.port ?? 0 },
    portMapper: o.portMapper === false ? null : { host: o.portMapper?.host ?? '127.0.0.1', port: o.portMapper?.port ?? 4369 },
    staticPorts: { ...(o.staticPorts ?? {}) },
    tickTimeMs: o.tickTimeMs ?? 60_000,
    setupTimeMs: o.setupTimeMs ?? 7_000,
    fragmentBytes: o.fragmentBytes ?? 65_536,
    maxUnsentBytes: o.maxUnsentBytes ?? 64 * 1024 * 1024,
    tls: o.tls ?? null,
    codeRoot: o.codeRoot ?? process.cwd(),
    log: o.log ?? true,
    mesh: o.mesh ?? true,
  };
}
