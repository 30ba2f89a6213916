import { afterEach, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { connectClient, destroyed, startTargetServer, type Received, type TargetServer } from './support/tcp-peer.ts';

// blackhole() makes the peer go silent without closing anything: no byte crosses in either
// direction, no FIN either, both sockets stay open; resume() delivers what was held, in
// order, on the same sockets. "Nothing crossed" is measured against a control pair through
// a second proxy to the same target: its bytes made the full trip, the blackholed ones not.

const proxies: TcpProxy[] = [];
let target: TargetServer | undefined;
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
  await target?.close();
  target = undefined;
});

async function pairThrough(): Promise<{ proxy: TcpProxy; client: Received; far: Received }> {
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: target!.port });
  proxies.push(proxy);
  const k = proxies.length - 1;
  const client = await connectClient(proxy.port);
  const far = await target!.connection(k);
  return { proxy, client, far };
}

describe('tcp proxy: blackhole', () => {
  it('stops bytes both ways and keeps both sockets open; resume delivers them intact', async () => {
    target = await startTargetServer();
    const hole = await pairThrough();
    const control = await pairThrough();
    hole.client.socket.write('before');
    await hole.far.atLeast(6);

    hole.proxy.blackhole();
    hole.client.socket.write('up while silent');
    hole.far.socket.write('down while silent');
    control.client.socket.write('control up');
    control.far.socket.write('control down');
    await control.far.atLeast(10);
    await control.client.atLeast(12);
    // A round trip on the control pair after the writes: the blackholed bytes had as long.
    control.client.socket.write('!');
    await control.far.atLeast(11);

    expect(hole.far.all.toString()).toBe('before');
    expect(hole.client.bytes).toBe(0);
    expect(hole.proxy.stats()).toMatchObject({ open: 1, forwardedToTarget: 6, forwardedToClient: 0 });
    expect([hole.client.ended, hole.client.closed, hole.far.ended, hole.far.closed]).toEqual([false, false, false, false]);

    hole.proxy.resume();
    await hole.far.atLeast(6 + 15);
    await hole.client.atLeast(17);
    expect(hole.far.all.toString()).toBe('beforeup while silent');
    expect(hole.client.all.toString()).toBe('down while silent');
    expect(hole.proxy.stats()).toMatchObject({ open: 1, held: 0, forwardedToTarget: 21, forwardedToClient: 17 });
    await destroyed(hole.client.socket);
    await destroyed(control.client.socket);
  });

  it('holds a FIN until resume, so the far side sees no end while silent', async () => {
    target = await startTargetServer();
    const hole = await pairThrough();
    const control = await pairThrough();
    hole.proxy.blackhole();
    hole.client.socket.end('last words');
    const controlEnded = new Promise<void>((resolve) => control.far.socket.once('end', () => resolve()));
    control.client.socket.end('x');
    await controlEnded;
    expect([hole.far.bytes, hole.far.ended, hole.far.closed]).toEqual([0, false, false]);

    const ended = new Promise<void>((resolve) => hole.far.socket.once('end', () => resolve()));
    hole.proxy.resume();
    await ended;
    expect(hole.far.all.toString()).toBe('last words');
  });

  it('a connection accepted while blackholed stays silent until resume', async () => {
    target = await startTargetServer();
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: target.port });
    proxies.push(proxy);
    proxy.blackhole();
    const client = await connectClient(proxy.port);
    client.socket.write('hello');
    const far = await target.connection(0); // the upstream connects; nothing is read yet
    proxy.resume();
    await far.atLeast(5);
    expect(far.all.toString()).toBe('hello');
    await destroyed(client.socket);
  });
});
