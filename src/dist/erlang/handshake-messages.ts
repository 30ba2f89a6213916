/**
 * The messages of the Erlang distribution handshake (protocol version 6, OTP 23 and
 * later; OTP 25+ speak nothing older), and the digest. handshake.ts runs the protocol.
 *
 * During the handshake every message is a packet with a 2-byte big-endian length (not
 * counting itself); after it, packets have a 4-byte length (frame-reader.ts). Bodies:
 *
 *   send_name       A -> B  | 'N' | flags u64 | creation u32 | nlen u16 | name | (extra ignored)
 *   status          B -> A  | 's' | text |   ok, ok_simultaneous, nok, not_allowed, alive
 *   status reply    A -> B  | 's' | text |   true / false (only after 'alive')
 *   challenge       B -> A  | 'N' | flags u64 | challenge u32 | creation u32 | nlen u16 | name | (extra ignored)
 *   challenge_reply A -> B  | 'r' | challenge u32 | digest 16B |
 *   challenge_ack   B -> A  | 'a' | digest 16B |
 *
 * digest(challenge, cookie) = MD5(cookie text ++ the challenge as an unsigned decimal
 * string), as dist_util's gen_digest computes it; A's reply carries digest(B's challenge)
 * and B's ack digest(A's challenge).
 *
 * Not supported (OTP 25+ nodes never send them to a node that registered version 6):
 * the old 'n' send_name of version 5 with its 'c' complement, and 'named:' (DFLAG_NAME_ME,
 * dynamic node names): both are refused as malformed.
 */
import { createHash, randomBytes } from 'node:crypto';

export const kTagName = 0x4e; // 'N'
export const kTagOldName = 0x6e; // 'n'
export const kTagStatus = 0x73; // 's'
export const kTagReply = 0x72; // 'r'
export const kTagAck = 0x61; // 'a'

export const kDigestBytes = 16;
/** The largest handshake packet we accept (a name is at most a few hundred bytes). */
export const kMaxHandshakePacket = 4096;
export const kMaxNodeNameBytes = 1023;

export type ErlangStatus = 'ok' | 'ok_simultaneous' | 'nok' | 'not_allowed' | 'alive';
const kStatuses: ReadonlySet<string> = new Set(['ok', 'ok_simultaneous', 'nok', 'not_allowed', 'alive']);

const utf8 = new TextEncoder();
const utf8d = new TextDecoder('utf-8', { fatal: true });
const latin1d = new TextDecoder('latin1');

/** A body that is not the message it claims to be; handshake.ts turns it into MalformedHandshakeError. */
export class BadHandshakeMessage extends Error {}

export interface NameMessage {
  readonly flags: bigint;
  readonly creation: number;
  readonly name: string;
}

export interface ChallengeMessage extends NameMessage {
  readonly challenge: number;
}

export interface ReplyMessage {
  readonly challenge: number;
  readonly digest: Uint8Array;
}

/** A node name as dist_util accepts it: name@host, both parts non-empty, one '@'. */
export function isNodeName(name: string): boolean {
  const parts = name.split('@');
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '';
}

/** The packet for `body`: 2-byte length first. */
export function handshakePacket(body: Uint8Array): Uint8Array {
  if (body.length > 0xffff) throw new RangeError(`a handshake message of ${body.length} bytes does not fit a 2-byte length`);
  const out = new Uint8Array(2 + body.length);
  out[0] = body.length >>> 8;
  out[1] = body.length & 0xff;
  out.set(body, 2);
  return out;
}

function nameBytes(name: string): Uint8Array {
  const b = utf8.encode(name);
  if (b.length === 0 || b.length > kMaxNodeNameBytes) throw new RangeError(`a node name of ${b.length} bytes`);
  return b;
}

export function encodeName(m: NameMessage): Uint8Array {
  const n = nameBytes(m.name);
  const out = new Uint8Array(1 + 8 + 4 + 2 + n.length);
  const v = new DataView(out.buffer);
  out[0] = kTagName;
  v.setBigUint64(1, m.flags);
  v.setUint32(9, m.creation >>> 0);
  v.setUint16(13, n.length);
  out.set(n, 15);
  return out;
}

export function encodeChallenge(m: ChallengeMessage): Uint8Array {
  const n = nameBytes(m.name);
  const out = new Uint8Array(1 + 8 + 4 + 4 + 2 + n.length);
  const v = new DataView(out.buffer);
  out[0] = kTagName;
  v.setBigUint64(1, m.flags);
  v.setUint32(9, m.challenge >>> 0);
  v.setUint32(13, m.creation >>> 0);
  v.setUint16(17, n.length);
  out.set(n, 19);
  return out;
}

export function encodeStatus(status: string): Uint8Array {
  const t = utf8.encode(status);
  const out = new Uint8Array(1 + t.length);
  out[0] = kTagStatus;
  out.set(t, 1);
  return out;
}

export function encodeReply(m: ReplyMessage): Uint8Array {
  const out = new Uint8Array(1 + 4 + kDigestBytes);
  out[0] = kTagReply;
  new DataView(out.buffer).setUint32(1, m.challenge >>> 0);
  out.set(m.digest, 5);
  return out;
}

export function encodeAck(digest: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + kDigestBytes);
  out[0] = kTagAck;
  out.set(digest, 1);
  return out;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function readName(b: Uint8Array, at: number, what: string): string {
  if (b.length < at + 2) throw new BadHandshakeMessage(`${what}: ${b.length} bytes, too short for the name length`);
  const n = view(b).getUint16(at);
  if (n === 0 || b.length < at + 2 + n) throw new BadHandshakeMessage(`${what}: a name of ${n} bytes in a ${b.length}-byte message`);
  let name: string;
  try {
    name = utf8d.decode(b.subarray(at + 2, at + 2 + n));
  } catch {
    throw new BadHandshakeMessage(`${what}: the name is not UTF-8`);
  }
  if (!isNodeName(name)) throw new BadHandshakeMessage(`${what}: "${name}" is not a node name (name@host)`);
  return name;
}

/** send_name ('N'); extra bytes after the name are ignored, as the protocol says. */
export function decodeName(b: Uint8Array): NameMessage {
  if (b.length >= 1 && b[0] === kTagOldName) throw new BadHandshakeMessage("send_name: the old 'n' message of protocol version 5 (OTP 22-24) is not supported");
  if (b.length < 15 || b[0] !== kTagName) throw new BadHandshakeMessage(`send_name: expected 'N' and 14 bytes, got ${describe(b)}`);
  const v = view(b);
  return { flags: v.getBigUint64(1), creation: v.getUint32(9), name: readName(b, 13, 'send_name') };
}

/** The challenge ('N' with the challenge); extra bytes after the name are ignored. */
export function decodeChallenge(b: Uint8Array): ChallengeMessage {
  if (b.length < 19 || b[0] !== kTagName) throw new BadHandshakeMessage(`challenge: expected 'N' and 18 bytes, got ${describe(b)}`);
  const v = view(b);
  return { flags: v.getBigUint64(1), challenge: v.getUint32(9), creation: v.getUint32(13), name: readName(b, 17, 'challenge') };
}

/** A status message's text (any text: the caller decides what it may be). */
export function decodeStatusText(b: Uint8Array): string {
  if (b.length < 2 || b[0] !== kTagStatus) throw new BadHandshakeMessage(`status: expected 's' and a text, got ${describe(b)}`);
  return latin1d.decode(b.subarray(1));
}

/** The acceptor's status; 'named:' and unknown texts are malformed. */
export function decodeStatus(b: Uint8Array): ErlangStatus {
  const t = decodeStatusText(b);
  if (!kStatuses.has(t)) throw new BadHandshakeMessage(`status: unknown status "${t.slice(0, 40)}"`);
  return t as ErlangStatus;
}

export function decodeReply(b: Uint8Array): ReplyMessage {
  if (b.length !== 1 + 4 + kDigestBytes || b[0] !== kTagReply) throw new BadHandshakeMessage(`challenge_reply: expected 'r' and 20 bytes, got ${describe(b)}`);
  return { challenge: view(b).getUint32(1), digest: b.slice(5) };
}

export function decodeAck(b: Uint8Array): Uint8Array {
  if (b.length !== 1 + kDigestBytes || b[0] !== kTagAck) throw new BadHandshakeMessage(`challenge_ack: expected 'a' and 16 bytes, got ${describe(b)}`);
  return b.slice(1);
}

function describe(b: Uint8Array): string {
  if (b.length === 0) return 'an empty message';
  const t = b[0]!;
  const tag = t >= 0x20 && t < 0x7f ? `'${String.fromCharCode(t)}'` : `byte ${t}`;
  return `${tag} in a ${b.length}-byte message`;
}

/** dist_util's gen_digest: MD5 of the cookie text followed by the challenge in decimal. */
export function erlangDigest(challenge: number, cookie: string): Uint8Array {
  const h = createHash('md5');
  h.update(Buffer.from(cookie, 'latin1'));
  h.update(String(challenge >>> 0), 'latin1');
  return h.digest();
}

/** A fresh random 32-bit challenge. */
export function newChallenge(): number {
  return randomBytes(4).readUInt32BE(0);
}
