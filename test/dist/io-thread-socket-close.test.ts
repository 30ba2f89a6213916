import { afterEach, describe, expect, it } from 'vitest';
import { kOutDisconnect, kOutMessage } from '../../src/dist/io-protocol.ts';
import { freePort } from './fixtures/free-port.ts';
import { startSide, stopAll, testConfig, type NodeSide } from './fixtures/io-host-helpers.ts';
import { TcpProxy } from './fixtures/tcp-proxy.ts';

let sides: NodeSide[] = [];
let proxy: TcpProxy | null = null;
afterEach(async () => {
  await stopAll(sides);
  sides = [];
  await proxy?.close();
  proxy = null;
});

describe('io thread: a closed socket is a nodedown at once', () => {
  it('reports nodedown detail closed on both sides when the connection is cut, long before the tick time', async () => {
    const pm = await freePort();
    const b = await startSide(testConfig('b@127.0.0.1', pm));
    sides.push(b);
    proxy = await TcpProxy.start(b.host.listenPort);
    const a = await startSide(testConfig('a@127.0.0.1', pm, { staticPorts: { 'b@127.0.0.1': `127.0.0.1:${proxy.port}` } }));
    sides.push(a);
    a.connect('b@127.0.0.1');
    const [upB] = await Promise.all([a.nodeUp('b@127.0.0.1'), b.nodeUp('a@127.0.0.1')]);
    const cutAt = performance.now();
    proxy.cut();
    const [downA, downB] = await Promise.all([a.nodeDown('b@127.0.0.1'), b.nodeDown('a@127.0.0.1')]);
    expect(downA.json).toEqual({ name: 'b@127.0.0.1', reason: 'noconnection', detail: 'closed' });
    expect(downB.json).toEqual({ name: 'a@127.0.0.1', reason: 'noconnection', detail: 'closed' });
    expect(downA.conn).toBe(upB.conn);
    expect(downA.at - cutAt).toBeLessThan(5_000); // tickTimeMs is 60 s: this is the close, not a timeout
    // A message to the lost connection is dropped and counted, never sent anywhere.
    a.host.link.write(kOutMessage, upB.conn, 0, new Uint8Array(8));
    a.host.link.flush();
    while ((await a.host.stats()).droppedMessages === 0) await new Promise((r) => setTimeout(r, 10));
    expect((await a.host.stats()).droppedMessages).toBe(1);
  });

  it('a disconnect from the node side closes the socket: nodedown disconnect here, closed there', async () => {
    const pm = await freePort();
    const a = await startSide(testConfig('a@127.0.0.1', pm));
    sides.push(a);
    const b = await startSide(testConfig('b@127.0.0.1', pm));
    sides.push(b);
    a.connect('b@127.0.0.1');
    const [upB] = await Promise.all([a.nodeUp('b@127.0.0.1'), b.nodeUp('a@127.0.0.1')]);
    a.host.link.write(kOutDisconnect, upB.conn, 0, new Uint8Array(0));
    a.host.link.flush();
    const [downA, downB] = await Promise.all([a.nodeDown('b@127.0.0.1'), b.nodeDown('a@127.0.0.1')]);
    expect(downA.json).toEqual({ name: 'b@127.0.0.1', reason: 'noconnection', detail: 'disconnect' });
    expect(downB.json).toEqual({ name: 'a@127.0.0.1', reason: 'noconnection', detail: 'closed' });
    // It can connect again: a new conn id.
    const from = a.records.length;
    a.connect('b@127.0.0.1');
    const again = await a.waitFor((r) => r.json?.name === 'b@127.0.0.1' && r.json?.creation !== undefined, from);
    expect(again.conn).not.toBe(upB.conn);
  });
});
