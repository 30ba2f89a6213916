import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectHandshake, kDistFlags } from '../../src/dist/handshake.ts';
import { startSide, stopAll, testConfig, type NodeSide } from './fixtures/io-host-helpers.ts';

let sides: NodeSide[] = [];
let socket: net.Socket | null = null;
afterEach(async () => {
  socket?.destroy();
  socket = null;
  await stopAll(sides);
  sides = [];
});

/** A peer made by hand: the real handshake, then whatever bytes the test writes. */
async function rawPeer(a: NodeSide): Promise<net.Socket> {
  const s = net.connect({ host: '127.0.0.1', port: a.host.listenPort });
  socket = s;
  await new Promise<void>((r) => s.once('connect', () => r()));
  const self = { name: 'x@127.0.0.1', creation: 77, hidden: false, flags: kDistFlags, cookie: 'io-test-cookie', setupTimeMs: 5000 };
  await connectHandshake(s, self, 'a@127.0.0.1');
  return s;
}

const closed = (s: net.Socket): Promise<void> => new Promise((r) => (s.destroyed ? r() : s.once('close', () => r())));

describe('connections: malformed input from a peer closes its connection with the reason', () => {
  it('a frame of an unknown kind: nodedown with the FrameError, the socket closed', async () => {
    const a = await startSide(testConfig('a@127.0.0.1', null));
    sides.push(a);
    const s = await rawPeer(a);
    s.resume();
    await a.nodeUp('x@127.0.0.1');
    s.write(Uint8Array.of(0, 0, 0, 1, 99));
    const down = await a.nodeDown('x@127.0.0.1');
    expect(down.json).toEqual({ name: 'x@127.0.0.1', reason: 'noconnection', detail: 'error: channel frame: unknown kind 99 (frame length 1)' });
    await closed(s);
  });

  it('a control frame that is not a mesh list: nodedown with the MeshControlError', async () => {
    const a = await startSide(testConfig('a@127.0.0.1', null));
    sides.push(a);
    const s = await rawPeer(a);
    s.resume();
    await a.nodeUp('x@127.0.0.1');
    s.write(Uint8Array.of(0, 0, 0, 2, 2, 9)); // kControl, tag 9
    const down = await a.nodeDown('x@127.0.0.1');
    expect(down.json).toEqual({ name: 'x@127.0.0.1', reason: 'noconnection', detail: 'error: mesh control: unknown control tag 9' });
    await closed(s);
  });
});
