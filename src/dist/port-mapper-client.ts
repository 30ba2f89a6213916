/**
 * The port-mapper client: register this node's listen port with an EPMD-protocol port
 * mapper (the real `epmd`, or port-mapper-server.ts), look up another node's port, list
 * the registered names. Frames are in epmd-frames.ts.
 *
 * Each operation, in steps, all within one `timeoutMs` (default 2000 ms) that covers
 * connecting and answering:
 *   1. connect to host:port (default 127.0.0.1:4369);
 *   2. send one length-prefixed request;
 *   3. read until the answer is whole: ALIVE2_X_RESP / ALIVE2_RESP (registerNode),
 *      PORT2_RESP (lookupNode), or everything up to the server's close (listNames);
 *   4. registerNode keeps the connection open: the registration lasts as long as it
 *      (epmd unregisters a node whose connection closes), and `close()` ends it.
 *      lookupNode and listNames close their connection.
 *
 * Every failure rejects with a PortMapperError whose `failure` is 'timeout', 'refused',
 * 'closed' (the server closed before answering), 'malformed' (a bad answer), 'name_taken'
 * (ALIVE2 answered with a non-zero result) or 'network' (any other socket error); the
 * socket is destroyed first, so nothing is left open.
 */
import net from 'node:net';
import {
  type NamesAnswer, type NodeEntry, NODE_TYPE_NORMAL, PROTOCOL_TCP_IPV4, decodeAlive2Resp, decodeNamesResp,
  decodePort2Resp, encodeAlive2Req, encodeName, encodeNamesReq, encodePortPlease2Req,
} from './epmd-frames.ts';
import { PortMapperError } from './errors.ts';
import { InvalidOptionError } from '../core/errors.ts';
import { checkOptions, isInteger, type OptionCheck } from '../core/options.ts';

export const DEFAULT_PORT_MAPPER_HOST = '127.0.0.1';
export const DEFAULT_PORT_MAPPER_PORT = 4369;
export const DEFAULT_PORT_MAPPER_TIMEOUT_MS = 2000;
/** The most bytes a NAMES answer may have (about 20,000 nodes' lines). */
export const MAX_NAMES_ANSWER_BYTES = 1 << 20;

/** Where the port mapper is, and how long an operation may take. */
export interface PortMapperAddress {
  host?: string;
  port?: number;
  timeoutMs?: number;
}

export interface RegisterNodeOptions extends PortMapperAddress {
  /** The node's name as the port mapper knows it: the part before '@' ("a" of "a@host"). */
  name: string;
  /** The port the node accepts distribution connections on. */
  listenPort: number;
  /** 77 normal (default), 72 hidden. */
  nodeType?: number;
  /** 0 = TCP/IPv4 (default). */
  protocol?: number;
  /** Distribution protocol versions; default 6 and 6, as OTP 25+. */
  highestVersion?: number;
  lowestVersion?: number;
  extra?: Uint8Array;
}

const mustBeHost: OptionCheck = (v) => (typeof v === 'string' && v !== '' ? null : 'must be a non-empty string');
const mustBePort: OptionCheck = (v) => (isInteger(v) && v >= 1 && v <= 65535 ? null : 'must be an integer in 1..65535');
const mustBeByte: OptionCheck = (v) => (isInteger(v) && v >= 0 && v <= 255 ? null : 'must be an integer in 0..255');
const mustBeU16: OptionCheck = (v) => (isInteger(v) && v >= 0 && v <= 65535 ? null : 'must be an integer in 0..65535');
const mustBeFiniteTimeout: OptionCheck = (v) =>
  typeof v === 'number' && v > 0 && Number.isFinite(v) ? null : 'must be a positive finite number of milliseconds';
const mustBeName: OptionCheck = (v) => {
  if (typeof v !== 'string' || v === '') return 'must be a non-empty string';
  try {
    encodeName(v);
    return null;
  } catch (err) {
    return `is not a port-mapper name (${(err as Error).message.replace('EPMD frame: ', '')})`;
  }
};
const mustBeBytes: OptionCheck = (v) => (v instanceof Uint8Array && v.length <= 1020 ? null : 'must be a Uint8Array of at most 1020 bytes');

const kAddressChecks = { host: mustBeHost, port: mustBePort, timeoutMs: mustBeFiniteTimeout };
const kRegisterChecks = {
  ...kAddressChecks,
  name: mustBeName,
  listenPort: mustBePort,
  nodeType: mustBeByte,
  protocol: mustBeByte,
  highestVersion: mustBeU16,
  lowestVersion: mustBeU16,
  extra: mustBeBytes,
};

interface Resolved {
  host: string;
  port: number;
  timeoutMs: number;
}

function resolve(api: string, checks: Record<string, OptionCheck>, opts: PortMapperAddress | undefined): Resolved {
  checkOptions(api, checks, opts);
  return {
    host: opts?.host ?? DEFAULT_PORT_MAPPER_HOST,
    port: opts?.port ?? DEFAULT_PORT_MAPPER_PORT,
    timeoutMs: opts?.timeoutMs ?? DEFAULT_PORT_MAPPER_TIMEOUT_MS,
  };
}

function socketError(api: string, at: Resolved, err: NodeJS.ErrnoException): PortMapperError {
  const where = `${at.host}:${at.port}`;
  const e = err.code === 'ECONNREFUSED'
    ? new PortMapperError('refused', `${api}: no port mapper at ${where} (connection refused)`)
    : new PortMapperError('network', `${api}: port mapper at ${where}: ${err.code ?? err.message}`);
  (e as { cause?: unknown }).cause = err;
  return e;
}

/**
 * One request and its answer. `decode` is called with all bytes so far, and at the close
 * with `ended` true; it returns the answer, or null to read more. The socket is kept
 * (returned) only when `keep` is true; on every failure it is destroyed.
 */
function exchange<T>(
  api: string,
  at: Resolved,
  request: Buffer,
  decode: (bytes: Buffer, ended: boolean) => T | null,
  keep: boolean,
): Promise<{ value: T; socket: net.Socket }> {
  const where = `${at.host}:${at.port}`;
  return new Promise((resolvePromise, reject) => {
    const socket = net.connect({ host: at.host, port: at.port });
    let bytes: Buffer = Buffer.alloc(0);
    let settled = false;
    const finish = (err: PortMapperError | null, value?: T): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('end', onEnd);
      if (err !== null) {
        socket.destroy();
        reject(err);
        return;
      }
      if (!keep) socket.destroy();
      resolvePromise({ value: value as T, socket });
    };
    const step = (ended: boolean): void => {
      if (settled) return;
      let value: T | null;
      try {
        value = decode(bytes, ended);
      } catch (err) {
        // The decoders throw only PortMapperError (a property test holds them to it); any
        // other error still rejects this operation instead of escaping an event handler.
        const what = err instanceof PortMapperError ? err.message.replace('EPMD frame: ', '') : String(err);
        finish(new PortMapperError('malformed', `${api}: bad answer from the port mapper at ${where}: ${what}`));
        return;
      }
      if (value !== null) finish(null, value);
      else if (ended) finish(new PortMapperError('closed', `${api}: the port mapper at ${where} closed the connection before answering`));
    };
    const onData = (chunk: Buffer): void => {
      bytes = bytes.length === 0 ? chunk : Buffer.concat([bytes, chunk]);
      if (bytes.length > MAX_NAMES_ANSWER_BYTES) {
        finish(new PortMapperError('malformed', `${api}: bad answer from the port mapper at ${where}: more than ${MAX_NAMES_ANSWER_BYTES} bytes`));
        return;
      }
      step(false);
    };
    const onEnd = (): void => step(true);
    const timer = setTimeout(() => {
      finish(new PortMapperError('timeout', `${api}: no answer from the port mapper at ${where} within ${at.timeoutMs} ms`));
    }, at.timeoutMs);
    socket.setNoDelay(true);
    socket.on('error', (err: NodeJS.ErrnoException) => finish(socketError(api, at, err)));
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', () => step(true));
    socket.once('connect', () => socket.write(request));
  });
}

/**
 * A node's registration with a port mapper. It lasts as long as its connection: `close()`
 * ends it (the port mapper unregisters the name), and so does the port mapper going away
 * (`closed` resolves, `active` turns false).
 */
export class PortMapperRegistration {
  readonly name: string;
  /** The creation the port mapper gave this registration (this life of the node). */
  readonly creation: number;
  readonly host: string;
  readonly port: number;
  /** Resolves when the registration's connection has closed, for whatever reason. */
  readonly closed: Promise<void>;
  readonly #socket: net.Socket;
  #active = true;

  constructor(socket: net.Socket, name: string, creation: number, host: string, port: number) {
    this.#socket = socket;
    this.name = name;
    this.creation = creation;
    this.host = host;
    this.port = port;
    socket.setKeepAlive(true); // a port mapper host that vanishes ends the registration, too
    socket.on('data', () => {}); // a port mapper sends nothing more; read so the socket can close
    socket.on('error', () => {}); // 'close' follows
    this.closed = new Promise<void>((resolve) => {
      if (socket.destroyed) resolve();
      else socket.once('close', () => resolve());
    }).then(() => {
      this.#active = false;
    });
  }

  /** True while the connection (and so the registration) is open. */
  get active(): boolean {
    return this.#active && !this.#socket.destroyed;
  }

  /** Unregister: close the connection. Resolves once it is closed. */
  close(): Promise<void> {
    this.#socket.destroy();
    return this.closed;
  }
}

/**
 * Register `name` with its `listenPort` in the port mapper; resolves with the registration
 * (and its creation) once the port mapper accepted it.
 * @throws InvalidOptionError for bad options; PortMapperError: 'name_taken' if the port
 *   mapper refused (the name is registered already), or a timeout/connection failure.
 */
export async function registerNode(options: RegisterNodeOptions): Promise<PortMapperRegistration> {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'registerNode: options must be an object');
  const at = resolve('registerNode', kRegisterChecks, options);
  if (options.name === undefined) throw new InvalidOptionError('name', 'registerNode: option "name" must be a non-empty string');
  if (options.listenPort === undefined) throw new InvalidOptionError('listenPort', 'registerNode: option "listenPort" must be an integer in 1..65535');
  const entry: NodeEntry = {
    name: options.name,
    port: options.listenPort,
    nodeType: options.nodeType ?? NODE_TYPE_NORMAL,
    protocol: options.protocol ?? PROTOCOL_TCP_IPV4,
    highestVersion: options.highestVersion ?? 6,
    lowestVersion: options.lowestVersion ?? 6,
    extra: options.extra ?? new Uint8Array(0),
  };
  const { value, socket } = await exchange('registerNode', at, encodeAlive2Req(entry), (b) => decodeAlive2Resp(b)?.value ?? null, true);
  if (value.result !== 0) {
    socket.destroy();
    throw new PortMapperError(
      'name_taken',
      `registerNode: the port mapper at ${at.host}:${at.port} refused to register "${entry.name}" (result ${value.result}: the name is taken)`,
    );
  }
  return new PortMapperRegistration(socket, entry.name, value.creation, at.host, at.port);
}

/**
 * The port mapper's entry for `name` (its port, node type, versions ...), or undefined
 * when no node of that name is registered.
 * @throws InvalidOptionError for a bad name or options; PortMapperError on a timeout, a
 *   refused or early-closed connection, or a bad answer.
 */
export async function lookupNode(name: string, options?: PortMapperAddress): Promise<NodeEntry | undefined> {
  const at = resolve('lookupNode', kAddressChecks, options);
  const bad = mustBeName(name);
  if (bad !== null) throw new InvalidOptionError('name', `lookupNode: the name ${bad}`);
  const { value } = await exchange('lookupNode', at, encodePortPlease2Req(name), (b) => decodePort2Resp(b), false);
  return value.value;
}

/**
 * The names registered in the port mapper and its own port (NAMES_REQ).
 * @throws InvalidOptionError for bad options; PortMapperError on a timeout, a refused
 *   connection, or a bad answer.
 */
export async function listNames(options?: PortMapperAddress): Promise<NamesAnswer> {
  const at = resolve('listNames', kAddressChecks, options);
  const { value } = await exchange('listNames', at, encodeNamesReq(), (b, ended) => (ended ? decodeNamesResp(b) : null), false);
  return value;
}
