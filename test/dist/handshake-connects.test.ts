import { afterEach, describe, expect, it } from 'vitest';
import { acceptHandshake, connectHandshake } from '../../src/dist/handshake.ts';
import { socketPair, self, type SocketPair } from './support/socket-pair.ts';

// Two nodes with the same cookie complete the handshake over real TCP: each learns the
// other's name, creation, hidden flag and capability flags; bytes that follow the last
// handshake message in the same segment come back as `rest`.

let p: SocketPair;
afterEach(async () => {
  await p.close();
});

describe('handshake', () => {
  it('connects, both sides learn the peer, and the first channel bytes are kept', async () => {
    p = await socketPair();
    const accepted = acceptHandshake(p.server, { ...self('b@127.0.0.1'), creation: 9, hidden: true, flags: 5 }, () => 'ok');
    const connected = connectHandshake(p.client, self('a@127.0.0.1'), 'b@127.0.0.1');
    const a = await accepted;
    // The acceptor's side may send channel bytes at once; they reach the initiator as rest or later data.
    const c = await connected;
    expect(a.peer).toEqual({ name: 'a@127.0.0.1', creation: 7, hidden: false, flags: 7 });
    expect(c.peer).toEqual({ name: 'b@127.0.0.1', creation: 9, hidden: true, flags: 5 });
    expect(a.rest).toEqual(new Uint8Array(0));
    expect(p.client.isPaused()).toBe(true);
    expect(p.client.listenerCount('data')).toBe(0);
  });

  it('returns bytes written right after the REPLY in the same write as rest', async () => {
    p = await socketPair();
    // The initiator's first frame goes in the same TCP write as its REPLY.
    const w = p.client.write.bind(p.client);
    let replies = 0;
    (p.client as { write: unknown }).write = (chunk: Uint8Array, ...rest: unknown[]) => {
      if (chunk[4] === 0x52 && replies++ === 0) chunk = Buffer.concat([chunk, Buffer.from([9, 8, 7])]);
      return (w as (...a: unknown[]) => boolean)(chunk, ...rest);
    };
    const accepted = acceptHandshake(p.server, self('b@127.0.0.1'), () => 'ok');
    const connected = connectHandshake(p.client, self('a@127.0.0.1'), 'b@127.0.0.1');
    const a = await accepted;
    await connected;
    expect(Array.from(a.rest)).toEqual([9, 8, 7]);
  });
});
