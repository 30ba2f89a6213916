/**
 * EPMD frames: the requests and answers of Erlang's port mapper protocol that
 * Switchboard speaks (as a client of the real `epmd`, and as the embedded server of
 * port-mapper-server.ts). All integers are big-endian; names are UTF-8.
 *
 * Every request is preceded by a 2-byte length (of the request, not counting itself):
 *
 *   +--------+------------------+
 *   | Len:2  | Request (Len)    |      Len >= 1, first byte of Request = its tag
 *   +--------+------------------+
 *
 * Answers carry no length: the client knows each one's shape (or reads until close).
 *
 * ALIVE2_REQ (120): register a node; the connection stays open as long as the node is
 * registered.
 *
 *   +-----+--------+----------+----------+---------+--------+------+----------+------+-------+
 *   | 120 | Port:2 | NodeType | Protocol | HighV:2 | LowV:2 | NL:2 | Name(NL) | EL:2 | Extra |
 *   +-----+--------+----------+----------+---------+--------+------+----------+------+-------+
 *     NodeType 77 = normal node, 72 = hidden; Protocol 0 = TCP/IPv4.
 *
 * ALIVE2_X_RESP (118), sent when HighV >= 6      ALIVE2_RESP (121), when HighV < 6
 *   +-----+--------+------------+                  +-----+--------+------------+
 *   | 118 | Result | Creation:4 |                  | 121 | Result | Creation:2 |
 *   +-----+--------+------------+                  +-----+--------+------------+
 *     Result 0 = registered, anything else = refused (e.g. the name is taken).
 *
 * PORT_PLEASE2_REQ (122): the port of a node by name (a trailing NUL is tolerated).
 *   +-----+----------------+
 *   | 122 | Name (Len - 1) |
 *   +-----+----------------+
 *
 * PORT2_RESP (119): either [119, Result > 0] (not registered), or
 *   +-----+---+--------+----------+----------+---------+--------+------+----------+------+-------+
 *   | 119 | 0 | Port:2 | NodeType | Protocol | HighV:2 | LowV:2 | NL:2 | Name(NL) | EL:2 | Extra |
 *   +-----+---+--------+----------+----------+---------+--------+------+----------+------+-------+
 *
 * NAMES_REQ (110): a one-byte request. Its answer, sent until the server closes:
 *   +-------------+------------------------------------------------+
 *   | EpmdPort:4  | "name <Name> at port <Port>\n" for each node... |
 *   +-------------+------------------------------------------------+
 *
 * Decoding, in two outcomes besides a value: `null` means "not enough bytes yet" (read
 * more), a PortMapperError (failure 'malformed') means the bytes can never become a
 * frame. No decoder throws anything else, whatever the input (a fast-check property).
 */
import { PortMapperError } from './errors.ts';

export const ALIVE2_REQ = 120;
export const ALIVE2_X_RESP = 118;
export const ALIVE2_RESP = 121;
export const PORT_PLEASE2_REQ = 122;
export const PORT2_RESP = 119;
export const NAMES_REQ = 110;

export const NODE_TYPE_NORMAL = 77;
export const NODE_TYPE_HIDDEN = 72;
export const PROTOCOL_TCP_IPV4 = 0;

/** A node name: 1..255 characters, at most 4 UTF-8 bytes each (an Erlang atom). */
export const MAX_NAME_CHARS = 255;
export const MAX_NAME_BYTES = 255 * 4;
/** Extra data of a registration: as epmd, at most as long as the longest name. */
export const MAX_EXTRA_BYTES = MAX_NAME_BYTES;
/** The largest request body (an ALIVE2_REQ with the longest name and extra). */
export const MAX_REQUEST_BYTES = 13 + MAX_NAME_BYTES + MAX_EXTRA_BYTES;

/** What a registration says about a node (ALIVE2_REQ) and what PORT2_RESP returns. */
export interface NodeEntry {
  readonly name: string;
  readonly port: number;
  readonly nodeType: number;
  readonly protocol: number;
  readonly highestVersion: number;
  readonly lowestVersion: number;
  readonly extra: Uint8Array;
}

export type EpmdRequest =
  | { readonly kind: 'alive2'; readonly entry: NodeEntry }
  | { readonly kind: 'port_please2'; readonly name: string }
  | { readonly kind: 'names' };

/** A decoded value and how many bytes of the input it took. */
export interface Decoded<T> {
  readonly value: T;
  readonly bytes: number;
}

export interface Alive2Result {
  readonly result: number;
  readonly creation: number;
  /** 118 (32-bit creation) or 121 (16-bit creation). */
  readonly tag: number;
}

export interface NamesAnswer {
  readonly epmdPort: number;
  readonly names: ReadonlyArray<{ readonly name: string; readonly port: number }>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

function malformed(message: string): PortMapperError {
  return new PortMapperError('malformed', `EPMD frame: ${message}`);
}

/** Decode a node name; a PortMapperError if it is not one. */
function decodeName(bytes: Uint8Array, what: string): string {
  if (bytes.length === 0) throw malformed(`${what}: empty node name`);
  if (bytes.length > MAX_NAME_BYTES) throw malformed(`${what}: node name of ${bytes.length} bytes exceeds ${MAX_NAME_BYTES}`);
  if (bytes.includes(0)) throw malformed(`${what}: node name contains a NUL byte`);
  let name: string;
  try {
    name = utf8.decode(bytes);
  } catch {
    throw malformed(`${what}: node name is not valid UTF-8`);
  }
  if ([...name].length > MAX_NAME_CHARS) throw malformed(`${what}: node name longer than ${MAX_NAME_CHARS} characters`);
  return name;
}

/** Encode a node name, or a PortMapperError if it cannot be one. */
export function encodeName(name: string): Uint8Array {
  if (typeof name !== 'string' || name.length === 0) throw malformed('node name must be a non-empty string');
  const bytes = utf8Encoder.encode(name);
  if (bytes.includes(0)) throw malformed('node name contains a NUL byte');
  if ([...name].length > MAX_NAME_CHARS) throw malformed(`node name longer than ${MAX_NAME_CHARS} characters`);
  return bytes;
}

function checkU16(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw malformed(`${what} must be an integer in 0..65535`);
}

function checkU8(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw malformed(`${what} must be an integer in 0..255`);
}

/** The fixed part and name/extra of a node entry, as ALIVE2_REQ and PORT2_RESP share it. */
function entryBytes(entry: NodeEntry): { name: Uint8Array; size: number } {
  checkU16(entry.port, 'port');
  checkU8(entry.nodeType, 'nodeType');
  checkU8(entry.protocol, 'protocol');
  checkU16(entry.highestVersion, 'highestVersion');
  checkU16(entry.lowestVersion, 'lowestVersion');
  const name = encodeName(entry.name);
  if (entry.extra.length > MAX_EXTRA_BYTES) throw malformed(`extra of ${entry.extra.length} bytes exceeds ${MAX_EXTRA_BYTES}`);
  return { name, size: 10 + name.length + 2 + entry.extra.length };
}

/** Write port..extra of `entry` at `at`; returns the end offset. */
function writeEntry(buf: Buffer, at: number, entry: NodeEntry, name: Uint8Array): number {
  buf.writeUInt16BE(entry.port, at);
  buf[at + 2] = entry.nodeType;
  buf[at + 3] = entry.protocol;
  buf.writeUInt16BE(entry.highestVersion, at + 4);
  buf.writeUInt16BE(entry.lowestVersion, at + 6);
  buf.writeUInt16BE(name.length, at + 8);
  buf.set(name, at + 10);
  let p = at + 10 + name.length;
  buf.writeUInt16BE(entry.extra.length, p);
  buf.set(entry.extra, p + 2);
  p += 2 + entry.extra.length;
  return p;
}

/**
 * Read port..extra from `buf` at `at`, up to `limit`. Returns the entry and the end offset;
 * when a field runs past `limit`: throws in a framed request (its length is known), else
 * returns null (an answer whose rest has not arrived yet).
 */
function readEntry(buf: Uint8Array, at: number, limit: number, framed: boolean, what: string): { entry: NodeEntry; end: number } | null {
  if (limit < at + 10) return framed ? fail(`${what} shorter than its fixed fields`) : null;
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const nameLen = view.readUInt16BE(at + 8);
  if (nameLen > MAX_NAME_BYTES) throw malformed(`${what}: node name of ${nameLen} bytes exceeds ${MAX_NAME_BYTES}`);
  const nameEnd = at + 10 + nameLen;
  if (limit < nameEnd + 2) return framed ? fail(`${what}: node name length ${nameLen} runs past the frame`) : null;
  const extraLen = view.readUInt16BE(nameEnd);
  if (extraLen > MAX_EXTRA_BYTES) throw malformed(`${what}: extra of ${extraLen} bytes exceeds ${MAX_EXTRA_BYTES}`);
  const end = nameEnd + 2 + extraLen;
  if (limit < end) return framed ? fail(`${what}: extra length ${extraLen} runs past the frame`) : null;
  const entry: NodeEntry = {
    port: view.readUInt16BE(at),
    nodeType: view[at + 2]!,
    protocol: view[at + 3]!,
    highestVersion: view.readUInt16BE(at + 4),
    lowestVersion: view.readUInt16BE(at + 6),
    name: decodeName(buf.subarray(at + 10, nameEnd), what),
    extra: Uint8Array.from(buf.subarray(nameEnd + 2, end)),
  };
  return { entry, end };
}

function fail(message: string): never {
  throw malformed(message);
}

function framed(body: number): Buffer {
  const buf = Buffer.allocUnsafe(2 + body);
  buf.writeUInt16BE(body, 0);
  return buf;
}

// ---------------------------------------------------------------- requests

/** ALIVE2_REQ with its length prefix. */
export function encodeAlive2Req(entry: NodeEntry): Buffer {
  const { name, size } = entryBytes(entry);
  const buf = framed(1 + size);
  buf[2] = ALIVE2_REQ;
  writeEntry(buf, 3, entry, name);
  return buf;
}

/** PORT_PLEASE2_REQ with its length prefix. */
export function encodePortPlease2Req(name: string): Buffer {
  const bytes = encodeName(name);
  const buf = framed(1 + bytes.length);
  buf[2] = PORT_PLEASE2_REQ;
  buf.set(bytes, 3);
  return buf;
}

/** NAMES_REQ with its length prefix. */
export function encodeNamesReq(): Buffer {
  const buf = framed(1);
  buf[2] = NAMES_REQ;
  return buf;
}

/**
 * One length-prefixed request from the start of `buf`: the request and the bytes it took,
 * null if more bytes are needed, a PortMapperError if it is malformed (length 0, longer
 * than MAX_REQUEST_BYTES, an unknown tag, or a body that does not match its tag).
 */
export function decodeRequest(buf: Uint8Array): Decoded<EpmdRequest> | null {
  if (buf.length < 2) return null;
  const len = (buf[0]! << 8) | buf[1]!;
  if (len === 0) throw malformed('request of length 0');
  if (len > MAX_REQUEST_BYTES) throw malformed(`request length ${len} exceeds ${MAX_REQUEST_BYTES} bytes`);
  if (buf.length < 2 + len) return null;
  const end = 2 + len;
  const tag = buf[2]!;
  switch (tag) {
    case ALIVE2_REQ: {
      const read = readEntry(buf, 3, end, true, 'ALIVE2_REQ')!;
      if (read.end !== end) throw malformed(`ALIVE2_REQ has ${end - read.end} bytes after its extra field`);
      return { value: { kind: 'alive2', entry: read.entry }, bytes: end };
    }
    case PORT_PLEASE2_REQ: {
      let nameEnd = end;
      if (nameEnd > 3 && buf[nameEnd - 1] === 0) nameEnd--; // a C client's terminating NUL
      const name = decodeName(buf.subarray(3, nameEnd), 'PORT_PLEASE2_REQ');
      return { value: { kind: 'port_please2', name }, bytes: end };
    }
    case NAMES_REQ:
      if (len !== 1) throw malformed(`NAMES_REQ of length ${len}, expected 1`);
      return { value: { kind: 'names' }, bytes: end };
    default:
      throw malformed(`unknown request tag ${tag}`);
  }
}

// ---------------------------------------------------------------- answers

/** ALIVE2_X_RESP (32-bit creation). */
export function encodeAlive2XResp(result: number, creation: number): Buffer {
  checkU8(result, 'result');
  if (!Number.isInteger(creation) || creation < 0 || creation > 0xffffffff) throw malformed('creation must be an integer in 0..2^32-1');
  const buf = Buffer.allocUnsafe(6);
  buf[0] = ALIVE2_X_RESP;
  buf[1] = result;
  buf.writeUInt32BE(creation, 2);
  return buf;
}

/** ALIVE2_RESP (16-bit creation), the answer to a node whose highest version is < 6. */
export function encodeAlive2Resp(result: number, creation: number): Buffer {
  checkU8(result, 'result');
  checkU16(creation, 'creation');
  const buf = Buffer.allocUnsafe(4);
  buf[0] = ALIVE2_RESP;
  buf[1] = result;
  buf.writeUInt16BE(creation, 2);
  return buf;
}

/** ALIVE2_X_RESP or ALIVE2_RESP from the start of `buf` (null: need more bytes). */
export function decodeAlive2Resp(buf: Uint8Array): Decoded<Alive2Result> | null {
  if (buf.length < 1) return null;
  const tag = buf[0]!;
  if (tag === ALIVE2_X_RESP) {
    if (buf.length < 6) return null;
    const creation = ((buf[2]! << 24) >>> 0) + ((buf[3]! << 16) | (buf[4]! << 8) | buf[5]!);
    return { value: { tag, result: buf[1]!, creation }, bytes: 6 };
  }
  if (tag === ALIVE2_RESP) {
    if (buf.length < 4) return null;
    return { value: { tag, result: buf[1]!, creation: (buf[2]! << 8) | buf[3]! }, bytes: 4 };
  }
  throw malformed(`expected ALIVE2_X_RESP (118) or ALIVE2_RESP (121), got tag ${tag}`);
}

/** PORT2_RESP: the node's entry, or [119, 1] when it is not registered. */
export function encodePort2Resp(entry: NodeEntry | undefined): Buffer {
  if (entry === undefined) return Buffer.from([PORT2_RESP, 1]);
  const { name, size } = entryBytes(entry);
  const buf = Buffer.allocUnsafe(2 + size);
  buf[0] = PORT2_RESP;
  buf[1] = 0;
  writeEntry(buf, 2, entry, name);
  return buf;
}

/** PORT2_RESP from the start of `buf`: the entry, or undefined for "not registered". */
export function decodePort2Resp(buf: Uint8Array): Decoded<NodeEntry | undefined> | null {
  if (buf.length < 1) return null;
  if (buf[0] !== PORT2_RESP) throw malformed(`expected PORT2_RESP (119), got tag ${buf[0]}`);
  if (buf.length < 2) return null;
  if (buf[1] !== 0) return { value: undefined, bytes: 2 };
  const read = readEntry(buf, 2, buf.length, false, 'PORT2_RESP');
  if (read === null) return null;
  return { value: read.entry, bytes: read.end };
}

/** The whole NAMES answer: the port mapper's port, then one text line per node. */
export function encodeNamesResp(epmdPort: number, names: NamesAnswer['names']): Buffer {
  if (!Number.isInteger(epmdPort) || epmdPort < 0 || epmdPort > 0xffffffff) throw malformed('epmdPort must be an integer in 0..2^32-1');
  let text = '';
  for (const n of names) {
    encodeName(n.name);
    checkU16(n.port, 'port');
    text += `name ${n.name} at port ${n.port}\n`;
  }
  const body = Buffer.from(text, 'utf8');
  const buf = Buffer.allocUnsafe(4 + body.length);
  buf.writeUInt32BE(epmdPort, 0);
  body.copy(buf, 4);
  return buf;
}

const kNameLine = /^name (.+) at port (\d{1,5})$/su;

/**
 * The whole NAMES answer, once the server has closed the connection. Throws a
 * PortMapperError if it is shorter than the port, not UTF-8, or has a line of another
 * shape (or an unterminated last line).
 */
export function decodeNamesResp(buf: Uint8Array): NamesAnswer {
  if (buf.length < 4) throw malformed(`NAMES answer of ${buf.length} bytes is shorter than its 4-byte port`);
  const epmdPort = ((buf[0]! << 24) >>> 0) + ((buf[1]! << 16) | (buf[2]! << 8) | buf[3]!);
  let text: string;
  try {
    text = utf8.decode(buf.subarray(4));
  } catch {
    throw malformed('NAMES answer is not valid UTF-8');
  }
  const names: { name: string; port: number }[] = [];
  if (text.length === 0) return { epmdPort, names };
  if (!text.endsWith('\n')) throw malformed('NAMES answer ends in an unterminated line');
  const lines = text.slice(0, -1).split('\n');
  for (const line of lines) {
    const m = kNameLine.exec(line);
    const port = m === null ? NaN : Number(m[2]);
    if (m === null || port > 0xffff || m[1]!.includes('\0')) {
      throw malformed(`NAMES answer has a line not of the form "name N at port P": ${JSON.stringify(line.slice(0, 80))}`);
    }
    names.push({ name: m[1]!, port });
  }
  return { epmdPort, names };
}
