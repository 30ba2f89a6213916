/**
 * Discovery: where a joining node finds its seeds (issue 14, point 3), the way
 * libcluster's strategies and Akka discovery do it. A `Discovery` yields seeds; the caller
 * hands their node names to `SwimNode.join` (and their host/port to the transport).
 *
 *   SeedListDiscovery - a fixed list of `'name@host'` or `'name@host:port'` strings;
 *   DnsDiscovery      - DNS: SRV records of `srv` (each target+port is one seed, ordered by
 *                       priority, then weight, highest first) or A records of `a` (one seed
 *                       per address, sorted), as a Kubernetes headless service provides.
 *                       The node name is `<basename>@<target or address>` (libcluster's
 *                       DNS strategies name nodes the same way).
 *
 * DNS steps: 1. resolve (node:dns/promises, or the injected resolver); 2. "no such name"
 * or "no data" -> no seeds yet (the first pod of a service starts alone); any other
 * failure -> DiscoveryFailedError; 3. map and order the records as above; 4. drop our own
 * node name if `self` is given.
 *
 * Erlang mapping: the seeds play the part of `net_adm:world/0`'s .hosts.erlang list; the
 * port mapper (epmd) lookup stays the dist layer's job once a seed's host is known.
 */
import { promises as dnsPromises } from 'node:dns';
import { checkOptions, mustBeFunction, type OptionCheck } from '../../core/options.ts';
import { BadArgError } from '../../core/errors.ts';
import { DiscoveryFailedError } from './errors.ts';

export interface Seed {
  /** The node name to join through. */
  readonly node: string;
  readonly host: string;
  /** The port, when the source gives one (SRV, 'name@host:port'). */
  readonly port?: number;
}

export interface Discovery {
  /** A label for messages ('seeds', 'dns-srv:_sb._tcp.app.svc'). */
  readonly source: string;
  seeds(): Promise<Seed[]>;
}

/** A seed list: `'name@host'` or `'name@host:port'`. */
export class SeedListDiscovery implements Discovery {
  readonly source = 'seeds';
  private readonly list: Seed[];

  constructor(seeds: readonly string[]) {
    this.list = seeds.map(parseSeed);
  }

  async seeds(): Promise<Seed[]> {
    return this.list.slice();
  }
}

/** The two lookups DnsDiscovery needs (node:dns/promises has them; tests inject fakes). */
export interface DnsResolver {
  resolveSrv(name: string): Promise<Array<{ name: string; port: number; priority: number; weight: number }>>;
  resolve4(name: string): Promise<string[]>;
}

export interface DnsDiscoveryOptions {
  /** Node name prefix: seeds are named `<basename>@<host>`. */
  readonly basename: string;
  /** An SRV name to resolve (e.g. '_sb._tcp.app.default.svc.cluster.local'). */
  readonly srv?: string;
  /** An A name to resolve (e.g. 'app.default.svc.cluster.local'). Exactly one of srv / a. */
  readonly a?: string;
  /** Our own node name, left out of the seeds. */
  readonly self?: string;
  readonly resolver?: DnsResolver;
}

const mustBeName: OptionCheck = (v) => (typeof v === 'string' && v !== '' ? null : 'must be a non-empty string');
const kDnsChecks = { basename: mustBeName, srv: mustBeName, a: mustBeName, self: mustBeName, resolver: (v: unknown) => (typeof v === 'object' && v !== null && mustBeFunction((v as DnsResolver).resolveSrv) === null && mustBeFunction((v as DnsResolver).resolve4) === null ? null : 'must have resolveSrv and resolve4 functions') };
const kNoRecords = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);

export class DnsDiscovery implements Discovery {
  readonly source: string;
  private readonly opts: DnsDiscoveryOptions;
  private readonly resolver: DnsResolver;

  /** @throws InvalidOptionError for bad options, or unless exactly one of srv / a is given. */
  constructor(opts: DnsDiscoveryOptions) {
    checkOptions('DnsDiscovery', kDnsChecks, opts);
    if (opts.basename === undefined) checkOptions('DnsDiscovery', { basename: () => 'is required' }, { basename: null });
    if ((opts.srv === undefined) === (opts.a === undefined)) checkOptions('DnsDiscovery', { srv: () => 'or "a" is required, not both' }, { srv: null });
    this.opts = opts;
    this.resolver = opts.resolver ?? dnsPromises;
    this.source = opts.srv !== undefined ? `dns-srv:${opts.srv}` : `dns-a:${opts.a}`;
  }

  async seeds(): Promise<Seed[]> {
    const { basename, srv, a, self } = this.opts;
    let out: Seed[];
    try {
      if (srv !== undefined) {
        const recs = await this.resolver.resolveSrv(srv);
        recs.sort((x, y) => x.priority - y.priority || y.weight - x.weight || (x.name < y.name ? -1 : x.name > y.name ? 1 : x.port - y.port));
        out = recs.map((r) => ({ node: `${basename}@${r.name}`, host: r.name, port: r.port }));
      } else {
        const ips = await this.resolver.resolve4(a!);
        out = [...ips].sort().map((ip) => ({ node: `${basename}@${ip}`, host: ip }));
      }
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string' && kNoRecords.has(code)) return [];
      throw new DiscoveryFailedError(this.source, `DnsDiscovery: lookup of ${this.source} failed: ${(e as Error).message}`);
    }
    return self === undefined ? out : out.filter((s) => s.node !== self);
  }
}

function parseSeed(s: string): Seed {
  const m = typeof s === 'string' ? /^([^@\s]+)@([^@:\s]+)(?::(\d{1,5}))?$/.exec(s) : null;
  if (m === null) throw new BadArgError(`SeedListDiscovery: seed ${JSON.stringify(s)} is not 'name@host' or 'name@host:port'`);
  const host = m[2]!;
  if (m[3] === undefined) return { node: `${m[1]}@${host}`, host };
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw new BadArgError(`SeedListDiscovery: seed ${JSON.stringify(s)} has a port outside 1-65535`);
  return { node: `${m[1]}@${host}`, host, port };
}
