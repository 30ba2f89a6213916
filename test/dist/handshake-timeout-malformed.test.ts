import { afterEach, describe, expect, it } from 'vitest';
import { HandshakeClosedError, HandshakeTimeoutError, MalformedHandshakeError } from '../../src/dist/handshake-errors.ts';
import { acceptHandshake } from '../../src/dist/handshake.ts';
import { socketPair, self, type SocketPair } from './support/socket-pair.ts';

// A peer that says nothing is dropped at setupTimeMs; one that sends garbage or an
// oversized message is refused at once; one that hangs up mid-way fails the handshake.
// Never a hang: every case ends with the socket destroyed.

let p: SocketPair;
afterEach(async () => {
  await p.close();
});

describe('handshake timeout and malformed input', () => {
  it('times out a silent peer', async () => {
    p = await socketPair();
    const t0 = Date.now();
    await expect(acceptHandshake(p.server, { ...self('b@127.0.0.1'), setupTimeMs: 150 }, () => 'ok')).rejects.toThrow(new HandshakeTimeoutError(null, 150));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    await new Promise<void>((r) => (p.server.destroyed ? r() : p.server.once('close', () => r())));
  });

  it('refuses an oversized message from its length word', async () => {
    p = await socketPair();
    const accepted = acceptHandshake(p.server, self('b@127.0.0.1'), () => 'ok');
    p.client.write(Buffer.from([0x7f, 0, 0, 0]));
    await expect(accepted).rejects.toThrow(new MalformedHandshakeError(null, `a handshake message of ${0x7f000000} bytes`));
  });

  it('refuses a HELLO with a truncated body', async () => {
    p = await socketPair();
    const accepted = acceptHandshake(p.server, self('b@127.0.0.1'), () => 'ok');
    p.client.write(Buffer.from([0, 0, 0, 3, 0x48, 0, 1]));
    const e = await accepted.catch((x) => x);
    expect(e).toBeInstanceOf(MalformedHandshakeError);
    expect(e.code).toBe('ERR_SB_HANDSHAKE_MALFORMED');
  });

  it('refuses a first message that is not a HELLO', async () => {
    p = await socketPair();
    const accepted = acceptHandshake(p.server, self('b@127.0.0.1'), () => 'ok');
    p.client.write(Buffer.from([0, 0, 0, 1, 0x41]));
    await expect(accepted).rejects.toThrow(new MalformedHandshakeError(null, 'expected HELLO, got tag 65'));
  });

  it('fails when the peer hangs up', async () => {
    p = await socketPair();
    const accepted = acceptHandshake(p.server, self('b@127.0.0.1'), () => 'ok');
    p.client.end();
    await expect(accepted).rejects.toThrow(new HandshakeClosedError(null, 'the connection closed during the handshake'));
  });
});
