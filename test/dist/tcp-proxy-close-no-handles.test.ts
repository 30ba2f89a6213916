import { describe, expect, it } from 'vitest';
import { startTcpProxy } from './support/tcp-proxy.ts';
import { connectClient, destroyed, startTargetServer } from './support/tcp-peer.ts';

// close() destroys every socket of every pair (blackholed or not) and the listener, and
// resolves only once their handles are gone: no TCP handle of the proxy is left.

const tcp = (): number => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;

describe('tcp proxy: close', () => {
  it('leaves no TCP handle behind, even with open and blackholed pairs', async () => {
    const before = tcp();
    const target = await startTargetServer();
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: target.port });
    const a = await connectClient(proxy.port);
    await target.connection(0);
    proxy.blackhole();
    const b = await connectClient(proxy.port);
    await target.connection(1);
    // listener x2, client x2, proxy x4 (two pairs), target side x2
    expect(tcp() - before).toBe(10);

    const clientsSawClose = Promise.all([a, b].map((c) => new Promise<void>((r) => (c.closed ? r() : c.socket.once('close', () => r())))));
    await proxy.close();
    await clientsSawClose; // the proxy's destroy reached the clients
    await Promise.all([destroyed(a.socket), destroyed(b.socket)]);
    await target.close();
    expect(tcp()).toBe(before);
    expect(proxy.stats().open).toBe(0);
    await expect(connectClient(proxy.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
