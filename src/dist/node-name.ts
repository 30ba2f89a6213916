/**
 * Node names, as Erlang's: `alive@host`.
 *
 *   long names (erl -name)    'a@127.0.0.1', 'a@host.example.com'   host: an IP or has a dot
 *   short names (erl -sname)  'a' -> 'a@<short hostname>', 'a@myhost' host: no dot
 *
 * `alive` is 1..255 characters of letters, digits, '_' and '-'; `host` 1..255 characters
 * of letters, digits, '.', '-', '_' (and ':' for IPv6).
 */
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { SwitchboardError } from '../core/errors.ts';
import { registerErrorClass } from '../core/error-classes.ts';

export class BadNodeNameError extends SwitchboardError {
  readonly nodeName: unknown;
  constructor(name: unknown, why: string) {
    super('ERR_SB_BAD_NODE_NAME', `bad node name ${JSON.stringify(name)}: ${why}`);
    this.nodeName = name;
  }
}
registerErrorClass('ERR_SB_BAD_NODE_NAME', BadNodeNameError);

export interface NodeName {
  readonly alive: string;
  readonly host: string;
  readonly full: string;
  readonly long: boolean;
}

const kAlive = /^[A-Za-z0-9_-]{1,255}$/;
const kHost = /^[A-Za-z0-9._:-]{1,255}$/;

/** @throws BadNodeNameError */
export function parseNodeName(name: string, opts?: { shortNames?: boolean }): NodeName {
  if (typeof name !== 'string' || name === '') throw new BadNodeNameError(name, 'expected a non-empty string');
  const short = opts?.shortNames === true;
  const at = name.indexOf('@');
  if (at !== name.lastIndexOf('@')) throw new BadNodeNameError(name, "more than one '@'");
  let alive: string;
  let host: string;
  if (at === -1) {
    if (!short) throw new BadNodeNameError(name, "a long name needs a host: 'alive@host' (or use shortNames)");
    alive = name;
    host = hostname().split('.')[0]!;
  } else {
    alive = name.slice(0, at);
    host = name.slice(at + 1);
  }
  if (!kAlive.test(alive)) throw new BadNodeNameError(name, "the part before '@' must be 1-255 letters, digits, '_' or '-'");
  if (!kHost.test(host)) throw new BadNodeNameError(name, 'the host must be 1-255 letters, digits, dots or dashes');
  const long = isIP(host) !== 0 || host.includes('.');
  if (short && long) throw new BadNodeNameError(name, 'a short name has a host without dots (or drop shortNames)');
  if (!short && !long) throw new BadNodeNameError(name, "a long name has a host with a dot or an IP address (or use shortNames)");
  return { alive, host, full: `${alive}@${host}`, long };
}
