/**
 * The messages of Switchboard's distribution handshake (handshake.ts runs the protocol).
 * Every message:
 *
 *   +-----------------+--------+------------------------------+
 *   | length u32 BE   | tag u8 | body (length - 1 bytes)      |
 *   +-----------------+--------+------------------------------+
 *   length: 1 .. kMaxHandshakeMessage
 *
 * Bodies (integers big-endian; a name is u16 length + UTF-8):
 *
 *   kHello    'H'  initiator -> acceptor
 *     | verMin u16 | verMax u16 | flags u32 | creation u32 | hidden u8 | challenge 32B | name |
 *   kStatus   'S'  acceptor -> initiator: the decision on the initiator's name
 *     | status u8 |        0 ok, 1 nok (simultaneous connect lost), 2 alive, 3 version
 *   kWelcome  'W'  acceptor -> initiator (after 'ok')
 *     | version u16 | flags u32 | creation u32 | hidden u8 | challenge 32B | digest 32B | name |
 *       digest = HMAC-SHA256(cookie, "switchboard-accept" | initiator's challenge | initiator | acceptor)
 *   kReply    'R'  initiator -> acceptor
 *     | digest 32B |
 *       digest = HMAC-SHA256(cookie, "switchboard-connect" | acceptor's challenge | initiator | acceptor)
 *   kAck      'A'  acceptor -> initiator: the connection is up (empty body)
 *   kRefuse   'X'  either way, then close: | reason u8 | (1 bad cookie, 2 replay, 3 malformed)
 *
 * The role labels and both names in the digests bind each proof to its direction and its
 * pair of nodes, so a digest can be neither reflected back nor replayed to another node.
 */
export const kHello = 0x48;
export const kStatus = 0x53;
export const kWelcome = 0x57;
export const kReply = 0x52;
export const kAck = 0x41;
export const kRefuse = 0x58;

export const kStatusOk = 0;
export const kStatusNok = 1;
export const kStatusAlive = 2;
export const kStatusVersion = 3;

export const kRefuseBadCookie = 1;
export const kRefuseReplay = 2;
export const kRefuseMalformed = 3;

export const kChallengeBytes = 32;
export const kDigestBytes = 32;
export const kMaxHandshakeMessage = 4096;
export const kMaxNameBytes = 1024;

/** Protocol versions this implementation speaks. */
export const kVersionMin = 1;
export const kVersionMax = 1;

/** Capability flags (u32): what a node offers on the channel. */
export const kFlagFragments = 1 << 0;
export const kFlagTicks = 1 << 1;
export const kFlagMesh = 1 << 2;
/** The node grants credit for fragments it read (channel-frames.ts kCredit), and honours the peer's window. */
export const kFlagCredit = 1 << 3;
/**
 * The node reads out-of-band payloads (codec/op-parts.ts, tag 0x3e: large binaries after
 * the op's codec bytes). A peer that does not offer it is sent every op in band: the
 * node transport re-encodes such a payload before it is written (node-transport.ts).
 */
export const kFlagOutOfBand = 1 << 4;
export const kDistFlags = kFlagFragments | kFlagTicks | kFlagMesh | kFlagCredit | kFlagOutOfBand;

const utf8 = new TextEncoder();
const utf8d = new TextDecoder('utf-8', { fatal: true });

/** Builds one message. */
export class MessageBuilder {
  private readonly parts: number[] = [];
  private readonly tag: number;
  constructor(tag: number) {
    this.tag = tag;
  }
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    this.parts.push((v >>> 8) & 0xff, v & 0xff);
    return this;
  }
  u32(v: number): this {
    this.parts.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    return this;
  }
  bytes(b: Uint8Array): this {
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]!);
    return this;
  }
  name(s: string): this {
    const b = utf8.encode(s);
    return this.u16(b.length).bytes(b);
  }
  build(): Uint8Array {
    const n = this.parts.length + 1;
    const out = new Uint8Array(4 + n);
    new DataView(out.buffer).setUint32(0, n);
    out[4] = this.tag;
    out.set(this.parts, 5);
    return out;
  }
}

/** Reads one message's body; every read checks bounds (a short body -> RangeError, caught by the caller). */
export class MessageReader {
  private pos = 0;
  private readonly view: DataView;
  readonly body: Uint8Array;
  constructor(body: Uint8Array) {
    this.body = body;
    this.view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  }
  u8(): number {
    return this.view.getUint8(this.pos++);
  }
  u16(): number {
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.body.length) throw new RangeError('short body');
    const b = this.body.slice(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  name(): string {
    const n = this.u16();
    if (n === 0 || n > kMaxNameBytes) throw new RangeError('bad name length');
    return utf8d.decode(this.bytes(n));
  }
  end(): void {
    if (this.pos !== this.body.length) throw new RangeError('trailing bytes');
  }
}
