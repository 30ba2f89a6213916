/**
 * PortMapperDiscovery: seeds from the port mappers (epmd, or the embedded one of
 * dist/port-mapper-server.ts) of a list of hosts — Erlang's net_adm:world/0 over
 * .hosts.erlang, libcluster's Epmd strategy. One NAMES_REQ per host
 * (dist/port-mapper-client.ts `listNames`); every registered name becomes the seed
 * `<name>@<host>` with the port the mapper gave.
 *
 * Steps: 1. listNames on every host at once; 2. a host whose mapper cannot be reached
 * (refused, timeout) gives no seeds (it may not be up yet); if NO host answered,
 * DiscoveryFailedError; 3. keep the names `match` accepts (default: all), sorted by
 * host order, then name; 4. drop `self`.
 *
 * Erlang mapping: net_adm:names/1 and net_adm:world/0.
 */
import { checkOptions, isInteger, mustBeFunction, type OptionCheck } from '../../core/options.ts';
import { listNames } from '../../dist/port-mapper-client.ts';
import { DiscoveryFailedError } from './errors.ts';
import type { Discovery, Seed } from './discovery.ts';

export interface PortMapperDiscoveryOptions {
  /** Hosts whose port mapper is asked (default ['127.0.0.1']). */
  readonly hosts?: readonly string[];
  /** The port mappers' port (default 4369). */
  readonly port?: number;
  /** Per host (default 2000 ms). */
  readonly timeoutMs?: number;
  /** Keep only the names (the part before '@') this accepts. */
  readonly match?: (name: string) => boolean;
  /** Our own node name, left out of the seeds. */
  readonly self?: string;
}

const mustBeHosts: OptionCheck = (v) =>
  Array.isArray(v) && v.length > 0 && v.every((h) => typeof h === 'string' && h !== '') ? null : 'must be a non-empty array of host names';

export class PortMapperDiscovery implements Discovery {
  readonly source: string;
  private readonly hosts: readonly string[];
  private readonly port: number;
  private readonly timeoutMs: number;
  private readonly match: (name: string) => boolean;
  private readonly self: string | undefined;

  constructor(opts: PortMapperDiscoveryOptions = {}) {
    checkOptions('PortMapperDiscovery', {
      hosts: mustBeHosts,
      port: (v) => (isInteger(v) && v >= 1 && v <= 65535 ? null : 'must be an integer in 1..65535'),
      timeoutMs: (v) => (typeof v === 'number' && v > 0 && Number.isFinite(v) ? null : 'must be a positive finite number of milliseconds'),
      match: mustBeFunction,
      self: (v) => (typeof v === 'string' && v.includes('@') ? null : 'must be a node name'),
    }, opts);
    this.hosts = opts.hosts ?? ['127.0.0.1'];
    this.port = opts.port ?? 4369;
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.match = opts.match ?? (() => true);
    this.self = opts.self;
    this.source = `port-mapper:${this.hosts.join(',')}:${this.port}`;
  }

  async seeds(): Promise<Seed[]> {
    const answers = await Promise.allSettled(this.hosts.map((host) => listNames({ host, port: this.port, timeoutMs: this.timeoutMs })));
    if (answers.every((a) => a.status === 'rejected')) {
      const why = (answers[0] as PromiseRejectedResult).reason as Error;
      throw new DiscoveryFailedError(this.source, `${this.source}: no port mapper answered (${why.message})`);
    }
    const out: Seed[] = [];
    answers.forEach((a, i) => {
      if (a.status !== 'fulfilled') return;
      const host = this.hosts[i]!;
      const names = [...a.value.names].filter((n) => this.match(n.name)).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
      for (const n of names) {
        const node = `${n.name}@${host}`;
        if (node !== this.self) out.push({ node, host, port: n.port });
      }
    });
    return out;
  }
}
