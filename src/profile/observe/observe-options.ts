/**
 * The options of observe(node, opts), checked with core/options.ts
 * (`observe: option "x" <requirement>`, `observe: unknown option "x"`, InvalidOptionError),
 * then the binding rule:
 *   1. every option is checked on its own (type, range);
 *   2. a host that is not loopback (127.0.0.0/8, ::1, localhost) without `token` is refused
 *      with ObserveTokenRequiredError (errors.ts).
 * Defaults: host 127.0.0.1, port 0 (any free port), intervalMs 1000, history 120 samples,
 * maxClients 8, actorRows 200, treeEveryTicks 5.
 * Erlang mapping: observer's "refresh interval" menu is intervalMs.
 */
import { checkOptions, mustBePositiveInteger, type OptionCheck, type OptionChecks } from '../../core/options.ts';
import { isLoopbackHost } from '../metrics/metrics-options.ts';
import { ObserveTokenRequiredError } from './errors.ts';

export interface ObserveOptions {
  /** Address to bind (default '127.0.0.1'); anything else needs `token`. */
  readonly host?: string;
  /** TCP port (default 0: any free port; see the result's url). */
  readonly port?: number;
  /** When given, every request carries it (`?token=` or `Authorization: Bearer`), else 401. At least 8 characters. */
  readonly token?: string;
  /** Milliseconds between two samples of the node (default 1000; 100..60000). */
  readonly intervalMs?: number;
  /** Samples kept and sent to a newly opened page (default 120). */
  readonly history?: number;
  /** Live pages at once (default 8); one more gets 503. */
  readonly maxClients?: number;
  /** Actor rows sent per sample, the top ones by reductions/s, mailbox and memory (default 200). */
  readonly actorRows?: number;
  /** The supervision tree is walked again every this many samples while a page is open (default 5). */
  readonly treeEveryTicks?: number;
}

export interface ObserveSettings {
  readonly host: string;
  readonly port: number;
  readonly token: string | null;
  readonly intervalMs: number;
  readonly history: number;
  readonly maxClients: number;
  readonly actorRows: number;
  readonly treeEveryTicks: number;
}

const intIn = (min: number, max: number): OptionCheck => (v) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? null : `must be an integer from ${min} to ${max}`);
const mustBeHost: OptionCheck = (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a non-empty string');
const mustBeToken: OptionCheck = (v) => (typeof v === 'string' && v.length >= 8 && /^[\x21-\x7e]+$/.test(v) ? null : 'must be a string of at least 8 printable characters without spaces');

export const kObserveChecks: OptionChecks = {
  host: mustBeHost,
  port: intIn(0, 65535),
  token: mustBeToken,
  intervalMs: intIn(100, 60_000),
  history: intIn(2, 10_000),
  maxClients: intIn(1, 1000),
  actorRows: intIn(1, 10_000),
  treeEveryTicks: mustBePositiveInteger,
};

/** Steps 1 and 2; the settings with their defaults. */
export function observeSettings(api: string, opts: ObserveOptions | undefined): ObserveSettings {
  checkOptions(api, kObserveChecks, opts);
  const o = opts ?? {};
  const host = o.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && o.token === undefined) {
    throw new ObserveTokenRequiredError(`${api}: option "host" is "${host}", not a loopback address: option "token" is required to bind there`);
  }
  return {
    host,
    port: o.port ?? 0,
    token: o.token ?? null,
    intervalMs: o.intervalMs ?? 1000,
    history: o.history ?? 120,
    maxClients: o.maxClients ?? 8,
    actorRows: o.actorRows ?? 200,
    treeEveryTicks: o.treeEveryTicks ?? 5,
  };
}
