import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplayedChallengeError } from '../../src/dist/handshake-errors.ts';
import { ChallengeMemory, acceptHandshake, connectHandshake } from '../../src/dist/handshake.ts';
import { socketPair, self, type SocketPair } from './support/socket-pair.ts';

// The bytes of a real handshake, captured and replayed into another acceptor of the same
// process, are refused: the challenge was seen before. (A replay of the REPLY could not
// pass anyway: it answers another challenge.)

const pairs: SocketPair[] = [];
afterEach(async () => {
  for (const p of pairs.splice(0)) await p.close();
});

describe('handshake replay', () => {
  it('refuses a HELLO whose challenge was seen before', async () => {
    const memory = new ChallengeMemory();
    const p1 = await socketPair();
    pairs.push(p1);
    const a1 = acceptHandshake(p1.server, self('b@127.0.0.1'), () => 'ok', memory);
    await connectHandshake(p1.client, self('a@127.0.0.1'), 'b@127.0.0.1');
    await a1;
    const hello = p1.fromClient[0]!;
    expect(hello[4]).toBe(0x48);

    const p2 = await socketPair();
    pairs.push(p2);
    const a2 = acceptHandshake(p2.server, self('b@127.0.0.1'), () => 'ok', memory);
    const got: Buffer[] = [];
    p2.client.on('data', (d) => got.push(d));
    p2.client.write(hello);
    await expect(a2).rejects.toThrow(new ReplayedChallengeError('a@127.0.0.1'));
    // The replayer is told why: REFUSE replay.
    await new Promise<void>((r) => p2.client.once('close', () => r()));
    expect(Array.from(Buffer.concat(got))).toEqual([0, 0, 0, 2, 0x58, 2]);
    void connect;
  });
});
