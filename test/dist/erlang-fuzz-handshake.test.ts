/**
 * Fuzz (fast-check) of the Erlang handshake: any bytes given to either side, whole or
 * as valid-looking messages with random fields, end in an ErlangHandshakeError subclass
 * (never a resolve, a hang or another error); the message decoders throw only their
 * BadHandshakeMessage.
 */
import { Duplex } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptErlangHandshake, connectErlangHandshake, ErlangHandshakeError, kErlangDefaultFlags } from '../../src/dist/erlang/index.ts';
import {
  BadHandshakeMessage, decodeAck, decodeChallenge, decodeName, decodeReply, decodeStatus, encodeChallenge, encodeName, encodeStatus,
  handshakePacket,
} from '../../src/dist/erlang/handshake-messages.ts';

const self = { name: 'sb@127.0.0.1', creation: 5, cookie: 'c', setupTimeMs: 2000 };

/** A socket that delivers `input` and then ends; what we write is dropped. */
function fakeSocket(input: Uint8Array[]): Duplex {
  const d = new Duplex({ read() {}, write(_c, _e, cb) { cb(); }, final(cb) { cb(); } });
  setImmediate(() => {
    for (const c of input) d.push(Buffer.from(c));
    d.push(null);
  });
  return d;
}

const bytes = fc.uint8Array({ maxLength: 300 });
const name = fc.constantFrom('e@127.0.0.1', 'x@h', 'sb@127.0.0.1', 'bad', '@h', 'a@', 'é@ü');
const flags = fc.oneof(fc.constant(kErlangDefaultFlags), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }));

/** A plausible handshake stream: packets of real messages with random fields, or junk. */
const packets = fc.array(fc.oneof(
  bytes.map((b) => b),
  fc.tuple(flags, fc.integer({ min: 0, max: 0xffffffff }), name).map(([f, c, n]) => handshakePacket(encodeName({ flags: f, creation: c, name: n }))),
  fc.tuple(flags, fc.integer({ min: 0, max: 0xffffffff }), name).map(([f, c, n]) => handshakePacket(encodeChallenge({ flags: f, challenge: c, creation: 1, name: n }))),
  fc.constantFrom('ok', 'ok_simultaneous', 'nok', 'alive', 'not_allowed', 'true', 'false', 'named:', '').map((s) => handshakePacket(encodeStatus(s === '' ? 'x' : s))),
  bytes.map((b) => handshakePacket(Uint8Array.of(0x72, ...b.subarray(0, 20)))),
  bytes.map((b) => handshakePacket(Uint8Array.of(0x61, ...b.subarray(0, 16)))),
), { maxLength: 6 });

async function mustFailTyped(p: Promise<unknown>): Promise<void> {
  const r = await p.then(() => 'resolved', (e: unknown) => e);
  expect(r).toBeInstanceOf(ErlangHandshakeError);
}

describe('Erlang handshake fuzz', () => {
  it('the accept side: any input ends in a typed handshake error', async () => {
    await fc.assert(fc.asyncProperty(packets, async (ps) => {
      await mustFailTyped(acceptErlangHandshake(fakeSocket(ps), self, () => 'ok'));
    }), { numRuns: 300 });
  });

  it('the connect side: any input ends in a typed handshake error', async () => {
    await fc.assert(fc.asyncProperty(packets, async (ps) => {
      await mustFailTyped(connectErlangHandshake(fakeSocket(ps), self, 'e@127.0.0.1'));
    }), { numRuns: 300 });
  });

  it('the decoders throw only BadHandshakeMessage', () => {
    fc.assert(fc.property(bytes, (b) => {
      for (const decode of [decodeName, decodeChallenge, decodeStatus, decodeReply, decodeAck]) {
        try {
          decode(b);
        } catch (e) {
          expect(e).toBeInstanceOf(BadHandshakeMessage);
        }
      }
    }), { numRuns: 1000 });
  });
});
