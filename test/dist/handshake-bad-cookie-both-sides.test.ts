import { afterEach, describe, expect, it } from 'vitest';
import { BadCookieError } from '../../src/dist/handshake-errors.ts';
import { acceptHandshake, connectHandshake } from '../../src/dist/handshake.ts';
import { socketPair, self, type SocketPair } from './support/socket-pair.ts';

// A wrong cookie is refused on both sides, each with BadCookieError naming the other
// node; the cookie itself never crosses the wire, in either direction.

let p: SocketPair;
afterEach(async () => {
  await p.close();
});

describe('handshake with a wrong cookie', () => {
  it('is refused by both sides', async () => {
    p = await socketPair();
    const accepted = acceptHandshake(p.server, self('b@127.0.0.1', 'cookie-B'), () => 'ok');
    const connected = connectHandshake(p.client, self('a@127.0.0.1', 'cookie-A'), 'b@127.0.0.1');
    const [a, c] = await Promise.allSettled([accepted, connected]);
    expect(a.status).toBe('rejected');
    expect(c.status).toBe('rejected');
    // The initiator checks the acceptor's proof first and refuses; the acceptor is told.
    const ce = (c as PromiseRejectedResult).reason;
    expect(ce).toBeInstanceOf(BadCookieError);
    expect(ce.message).toBe('handshake with b@127.0.0.1 refused: the cookies differ');
    expect(ce.code).toBe('ERR_SB_HANDSHAKE_BAD_COOKIE');
    const ae = (a as PromiseRejectedResult).reason;
    expect(ae).toBeInstanceOf(BadCookieError);
    expect(ae.message).toBe('handshake with a@127.0.0.1 refused: the cookies differ');
    const wire = Buffer.concat([...p.fromClient, ...p.fromServer]).toString('latin1');
    expect(wire).not.toContain('cookie-A');
    expect(wire).not.toContain('cookie-B');
  });

  it('is refused by the acceptor when only the initiator proof is wrong', async () => {
    // The acceptor's proof is right (same cookie), the initiator's REPLY is not: forge it.
    p = await socketPair();
    const w = p.client.write.bind(p.client);
    (p.client as { write: unknown }).write = (chunk: Uint8Array, ...rest: unknown[]) => {
      if (chunk[4] === 0x52) {
        chunk = Buffer.from(chunk);
        chunk[5] ^= 0xff;
      }
      return (w as (...a: unknown[]) => boolean)(chunk, ...rest);
    };
    const accepted = acceptHandshake(p.server, self('b@127.0.0.1'), () => 'ok');
    const connected = connectHandshake(p.client, self('a@127.0.0.1'), 'b@127.0.0.1');
    await expect(accepted).rejects.toThrow(new BadCookieError('a@127.0.0.1'));
    await expect(connected).rejects.toThrow(new BadCookieError('b@127.0.0.1'));
  });
});
