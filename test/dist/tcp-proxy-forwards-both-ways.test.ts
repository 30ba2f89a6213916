import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { connectClient, destroyed, startTargetServer, type TargetServer } from './support/tcp-peer.ts';

// The proxy relays both directions over real loopback sockets, byte for byte, and its
// capture and counters are exact: the very bytes each side wrote, in order, per pair.

let proxy: TcpProxy | undefined;
let target: TargetServer | undefined;
afterEach(async () => {
  await proxy?.close();
  await target?.close();
  proxy = target = undefined;
});

describe('tcp proxy: forwarding', () => {
  it('relays both ways, and capture() holds exactly the bytes that crossed each way', async () => {
    target = await startTargetServer();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: target.port });
    const client = await connectClient(proxy.port);
    const far = await target.connection(0);

    const up = randomBytes(300_000); // several segments and back-pressure on loopback
    const down = randomBytes(120_003);
    client.socket.write(up.subarray(0, 7));
    client.socket.write(up.subarray(7));
    far.socket.write(down);
    await far.atLeast(up.length);
    await client.atLeast(down.length);

    expect(far.all.equals(up)).toBe(true);
    expect(client.all.equals(down)).toBe(true);
    const cap = proxy.capture();
    expect(cap.toTarget.equals(up)).toBe(true);
    expect(cap.toClient.equals(down)).toBe(true);
    expect(cap.pairs).toHaveLength(1);
    expect(proxy.stats()).toEqual({
      accepted: 1, open: 1, seenToTarget: up.length, seenToClient: down.length,
      forwardedToTarget: up.length, forwardedToClient: down.length, held: 0,
    });
    await destroyed(client.socket);
  });

  it('keeps pairs apart, and carries a FIN through (half-close)', async () => {
    target = await startTargetServer();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: target.port });
    const a = await connectClient(proxy.port);
    const farA = await target.connection(0);
    const b = await connectClient(proxy.port);
    const farB = await target.connection(1);
    a.socket.write('from a');
    b.socket.write('from b!');
    await farA.atLeast(6);
    await farB.atLeast(7);
    expect(farA.all.toString()).toBe('from a');
    expect(farB.all.toString()).toBe('from b!');
    expect(proxy.capture().pairs.map((p) => p.toTarget.toString())).toEqual(['from a', 'from b!']);

    const ended = new Promise<void>((resolve) => farA.socket.once('end', () => resolve()));
    a.socket.end();
    await ended;
    expect(farB.ended).toBe(false);
    await destroyed(b.socket);
  });
});
