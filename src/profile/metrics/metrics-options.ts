/**
 * The options of metricsRegistry and startMetricsServer, checked with core/options.ts
 * (`<api>: option "x" <requirement>`, `<api>: unknown option "x"`, InvalidOptionError),
 * and the loopback rule of the server:
 *   1. every option is checked on its own (type, range);
 *   2. then a host that is not a loopback address (127.0.0.0/8, ::1, localhost) is
 *      refused unless `token` is given: metrics name nodes, peers and load, so they are
 *      not served to the network without a bearer token.
 */
import { BadArgError, InvalidOptionError } from '../../core/errors.ts';
import type { Node } from '../../core/node.ts';
import { checkOptions, mustBeNonNegativeInteger, type OptionCheck, type OptionChecks } from '../../core/options.ts';

export interface MetricsRegistryOptions {
  /** Prefix of every metric name (default 'switchboard_'; '' for none). */
  readonly prefix?: string;
  /** Reuse a snapshot of the node for scrapes less than this many ms apart (default 0: read at every scrape). */
  readonly intervalMs?: number;
}

export interface MetricsServerOptions extends MetricsRegistryOptions {
  /** Address to bind (default '127.0.0.1'); a non-loopback one needs `token`. */
  readonly host?: string;
  /** TCP port (default 0: any free port; see the result's `port`). */
  readonly port?: number;
  /** URL path of the metrics (default '/metrics'). */
  readonly path?: string;
  /** When given, every request must carry `Authorization: Bearer <token>` (else 401). */
  readonly token?: string;
}

const kPrefix = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?$/;

const mustBePrefix: OptionCheck = (v) => (typeof v === 'string' && kPrefix.test(v) ? null : 'must be "" or a metric name prefix matching [a-zA-Z_:][a-zA-Z0-9_:]*');
const mustBeNonEmptyString: OptionCheck = (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a non-empty string');
const mustBePort: OptionCheck = (v) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535 ? null : 'must be an integer from 0 to 65535');
const mustBePath: OptionCheck = (v) => (typeof v === 'string' && v.startsWith('/') && !/[\s?#]/.test(v) ? null : 'must be a URL path starting with "/" (no spaces, "?" or "#")');

export const registryChecks: OptionChecks = {
  prefix: mustBePrefix,
  intervalMs: mustBeNonNegativeInteger,
};

export const serverChecks: OptionChecks = {
  ...registryChecks,
  host: mustBeNonEmptyString,
  port: mustBePort,
  path: mustBePath,
  token: mustBeNonEmptyString,
};

/** Is `host` a loopback address or name? */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The node argument: anything with the Node interface's stats(), else BadArgError. */
export function checkNode(api: string, node: unknown): asserts node is Node {
  if (typeof node !== 'object' || node === null || typeof (node as Node).stats !== 'function' || typeof (node as Node).onStop !== 'function') {
    throw new BadArgError(`${api}: node must be a Switchboard Node`);
  }
}

/** Step 1 and 2 for the server. */
export function checkServerOptions(opts: unknown): void {
  checkOptions('startMetricsServer', serverChecks, opts);
  const o = (opts ?? {}) as MetricsServerOptions;
  if (o.host !== undefined && !isLoopbackHost(o.host) && o.token === undefined) {
    throw new InvalidOptionError('host', `startMetricsServer: option "host" must be a loopback address unless option "token" is given (got "${o.host}")`);
  }
}
