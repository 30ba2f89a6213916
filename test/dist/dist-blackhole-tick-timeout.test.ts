import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './fixtures/free-port.ts';
import { startNodeProcess } from './support/node-process.ts';
import { fullName, nodeupsOf } from './support/node-cluster.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

// A peer that goes silent without closing (the proxy blackholes both directions, both
// sockets stay open) is detected by the tick: with tickTimeMs 2000, both sides declare
// nodedown (reason noconnection, detail tick_timeout) within tickTimeMs and some slack,
// and not at once (nothing closed). a reaches b only through the proxy (static map, no
// port mapper); b has no address for a, so no connection bypasses the proxy.

const kTick = 2000;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

describe('distribution: a blackholed peer is detected by the tick', () => {
  it('both sides see nodedown within tickTimeMs of the silence', async () => {
    const bPort = await freePort();
    const b = await startNodeProcess({ name: fullName('b'), cookie: 'c', dist: { listen: { host: '127.0.0.1', port: bPort }, portMapper: false, tickTimeMs: kTick } });
    proxy = await startTcpProxy({ host: '127.0.0.1', port: bPort });
    const a = await startNodeProcess({
      name: fullName('a'), cookie: 'c',
      dist: { listen: { host: '127.0.0.1', port: 0 }, portMapper: false, staticPorts: { [fullName('b')]: proxy.address }, tickTimeMs: kTick },
    });
    expect(await a.request({ cmd: 'connect', node: fullName('b') })).toBe(true);
    await nodeupsOf(a, ['b']);
    await nodeupsOf(b, ['a']);
    // Ticks flow while idle: still up after more than one tickTimeMs.
    await b.request({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });
    const before = proxy.stats().forwardedToTarget;
    expect(await a.request({ cmd: 'call', to: { name: 'echo', node: fullName('b') }, msg: 1 })).toMatchObject({ value: { echo: 1 } });
    expect(proxy.stats().forwardedToTarget).toBeGreaterThan(before);

    proxy.blackhole();
    const t0 = Date.now();
    const [downA, downB] = await Promise.all([
      a.events.waitFor((e) => e.event === 'nodedown', kTick * 3, 'nodedown on a'),
      b.events.waitFor((e) => e.event === 'nodedown', kTick * 3, 'nodedown on b'),
    ]);
    const took = Date.now() - t0;
    expect(downA).toMatchObject({ name: fullName('b'), reason: 'noconnection', detail: 'tick_timeout' });
    expect(downB).toMatchObject({ name: fullName('a'), reason: 'noconnection', detail: 'tick_timeout' });
    expect(took).toBeGreaterThanOrEqual(kTick * 0.5);
    expect(took).toBeLessThan(kTick * 2);
    expect(proxy.stats().open).toBe(1); // the proxy closed nothing: detection was the tick's
  }, 30_000);
});
