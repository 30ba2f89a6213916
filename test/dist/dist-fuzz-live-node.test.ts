import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connectHandshake } from '../../src/dist/handshake.ts';
import { kDistFlags } from '../../src/dist/handshake-frames.ts';
import { freePort } from './fixtures/free-port.ts';
import { startNodeProcess } from './support/node-process.ts';

// Random and mutated bytes into a live node, before and after a good handshake: each such
// connection is closed by the node (a typed reason, logged), and the node keeps serving a
// real peer. The node is a real child process.

const cookie = 'fuzz-cookie';

/** Resolves when the node closed the socket (true), or false after `ms`. */
function closedWithin(s: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (s.destroyed) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    s.once('close', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

async function dial(port: number): Promise<Socket> {
  const s = connect(port, '127.0.0.1');
  s.on('error', () => {});
  s.on('data', () => {});
  await new Promise<void>((r, j) => s.once('connect', r).once('error', j));
  return s;
}

describe('distribution fuzz into a live node', () => {
  it('closes every garbage connection, keeps serving a real peer', async () => {
    const aPort = await freePort();
    const bPort = await freePort();
    const dist = (peerPort: number, peer: string, own: number) => ({
      listen: { host: '127.0.0.1', port: own }, portMapper: false as const, staticPorts: { [peer]: `127.0.0.1:${peerPort}` }, setupTimeMs: 800,
    });
    const a = await startNodeProcess({ name: 'fa@127.0.0.1', cookie, dist: dist(bPort, 'fb@127.0.0.1', aPort) });
    const b = await startNodeProcess({ name: 'fb@127.0.0.1', cookie, dist: dist(aPort, 'fa@127.0.0.1', bPort) });
    await b.request({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });

    // 1. Garbage instead of a handshake: closed at once, or at setupTimeMs at the latest.
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        const s = await dial(aPort);
        s.write(bytes);
        const closed = await closedWithin(s, 3000);
        s.destroy();
        return closed;
      }),
      { numRuns: 25 },
    );

    // 2. A good handshake, then garbage frames (ending with a frame of an unknown kind): closed.
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 200 }), fc.nat(1000), async (bytes, n) => {
        const s = await dial(aPort);
        const self = { name: `fz${n}@127.0.0.1`, creation: 1 + n, hidden: true, flags: kDistFlags, cookie, setupTimeMs: 2000 };
        await connectHandshake(s, self, 'fa@127.0.0.1');
        s.resume();
        s.write(Buffer.concat([Buffer.from(bytes), Buffer.from([0, 0, 0, 1, 0xee])]));
        const closed = await closedWithin(s, 3000);
        s.destroy();
        return closed;
      }),
      { numRuns: 15 },
    );

    // 3. The node still serves: a real peer's send and answer.
    await a.request({ cmd: 'send', to: { name: 'echo', node: 'fb@127.0.0.1' }, msg: { echoTo: { $gateway: true }, msg: 'still here' } });
    expect(await a.events.waitFor((e) => e.event === 'message', 10_000, 'the echo')).toEqual({ event: 'message', msg: { echoed: 'still here', from: 'fb@127.0.0.1' } });
    // Refusals were logged on stderr with their typed codes.
    expect(a.stderr).toMatch(/switchboard dist fa@127\.0\.0\.1: accept .* refused: ERR_SB_HANDSHAKE_/);
    expect(a.stderr).toMatch(/switchboard dist fa@127\.0\.0\.1: channel fz\d+@127\.0\.0\.1 refused: ERR_SB_FRAME/);
    await a.stop();
    await b.stop();
  }, 120_000);
});
