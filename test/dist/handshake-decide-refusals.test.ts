import { afterEach, describe, expect, it } from 'vitest';
import { NameTakenHandshakeError, SimultaneousConnectError, VersionMismatchError, MalformedHandshakeError } from '../../src/dist/handshake-errors.ts';
import { acceptHandshake, connectHandshake, keepsOutgoing, type HandshakeSelf } from '../../src/dist/handshake.ts';
import { socketPair, self, type SocketPair } from './support/socket-pair.ts';

// The acceptor's decision and the version check end a handshake with a typed error on
// both sides; a peer that is not the node dialled is refused by the initiator.

let p: SocketPair;
afterEach(async () => {
  await p.close();
});

async function run(decide: 'ok' | 'nok' | 'alive', initiator: HandshakeSelf = self('a@127.0.0.1'), acceptor: HandshakeSelf = self('b@127.0.0.1'), expected = 'b@127.0.0.1') {
  p = await socketPair();
  const accepted = acceptHandshake(p.server, acceptor, () => decide);
  const connected = connectHandshake(p.client, initiator, expected);
  return Promise.allSettled([accepted, connected]);
}

describe('handshake refusals', () => {
  it("'nok': a lost simultaneous connect", async () => {
    const [a, c] = await run('nok');
    expect((a as PromiseRejectedResult).reason).toEqual(new SimultaneousConnectError('a@127.0.0.1'));
    expect((c as PromiseRejectedResult).reason).toBeInstanceOf(SimultaneousConnectError);
    expect((c as PromiseRejectedResult).reason.message).toBe('handshake with b@127.0.0.1 refused: a simultaneous connect, the other connection is kept');
  });

  it("'alive': already connected to that name", async () => {
    const [, c] = await run('alive');
    expect((c as PromiseRejectedResult).reason).toBeInstanceOf(NameTakenHandshakeError);
    expect((c as PromiseRejectedResult).reason.code).toBe('ERR_SB_HANDSHAKE_ALIVE');
  });

  it('versions that do not overlap', async () => {
    const [a, c] = await run('ok', { ...self('a@127.0.0.1'), versions: [2, 3] }, { ...self('b@127.0.0.1'), versions: [1, 1] });
    expect((a as PromiseRejectedResult).reason).toBeInstanceOf(VersionMismatchError);
    const ce = (c as PromiseRejectedResult).reason;
    expect(ce).toBeInstanceOf(VersionMismatchError);
    expect(ce.message).toBe('handshake with b@127.0.0.1 refused: protocol versions 2-3 and 1-1 do not overlap');
  });

  it('an answer from another node than the one dialled', async () => {
    const [, c] = await run('ok', self('a@127.0.0.1'), self('c@127.0.0.1'), 'b@127.0.0.1');
    expect((c as PromiseRejectedResult).reason).toEqual(new MalformedHandshakeError('b@127.0.0.1', 'the node that answered is c@127.0.0.1, not b@127.0.0.1'));
  });

  it('keepsOutgoing: exactly one of the two directions is kept', () => {
    expect(keepsOutgoing('a@h', 'b@h')).toBe(true);
    expect(keepsOutgoing('b@h', 'a@h')).toBe(false);
  });
});
