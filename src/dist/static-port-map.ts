/**
 * A static port map: `{ 'name@host': 'host:port' }` for hosts without a port mapper. It
 * answers the one question a port mapper answers for connecting ("where does this node
 * listen?"), from a fixed table given at start.
 *
 *   1. each key is a full node name, `name@host` (both parts non-empty, one '@');
 *   2. each value is `'host:port'` (`'[v6addr]:port'` for IPv6) or `{ host, port }`,
 *      port in 1..65535;
 *   3. anything else is refused at construction with an InvalidOptionError whose
 *      `option` is the key; a lookup of a name not in the table is undefined.
 */
import { InvalidOptionError } from '../core/errors.ts';

export interface StaticNodeAddress {
  readonly host: string;
  readonly port: number;
}

const kApi = 'staticPortMap';

function parseAddress(node: string, value: unknown): StaticNodeAddress {
  const bad = (): InvalidOptionError =>
    new InvalidOptionError(node, `${kApi}: the address of "${node}" must be "host:port" or { host, port } with a port in 1..65535`);
  let host: unknown;
  let port: unknown;
  if (typeof value === 'string') {
    const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/u.exec(value);
    if (m === null) throw bad();
    host = m[1] ?? m[2];
    port = Number(m[3]);
  } else if (typeof value === 'object' && value !== null) {
    host = (value as { host?: unknown }).host;
    port = (value as { port?: unknown }).port;
  }
  if (typeof host !== 'string' || host === '' || !Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) throw bad();
  return { host, port: port as number };
}

export class StaticPortMap {
  readonly #table = new Map<string, StaticNodeAddress>();

  /** @throws InvalidOptionError for a key that is not `name@host` or a bad address. */
  constructor(entries: Readonly<Record<string, string | StaticNodeAddress>>) {
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
      throw new InvalidOptionError('entries', `${kApi}: entries must be an object of "name@host": "host:port"`);
    }
    for (const [node, value] of Object.entries(entries)) {
      const at = node.indexOf('@');
      if (at <= 0 || at === node.length - 1 || node.indexOf('@', at + 1) !== -1) {
        throw new InvalidOptionError(node, `${kApi}: "${node}" is not a full node name (name@host)`);
      }
      this.#table.set(node, parseAddress(node, value));
    }
  }

  /** Where `node` (a full `name@host`) listens, or undefined if it is not in the table. */
  lookup(node: string): StaticNodeAddress | undefined {
    return this.#table.get(node);
  }

  get size(): number {
    return this.#table.size;
  }
}
