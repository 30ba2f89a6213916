import { afterEach, describe, expect, it } from 'vitest';
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

describe('io thread: a peer that goes silent is down after the tick time', () => {
  it('reports nodedown with detail tick_timeout on both sides when the path stops forwarding', async () => {
    const tickTimeMs = 400;
    const pm = await freePort();
    const b = await startSide(testConfig('b@127.0.0.1', pm, { tickTimeMs }));
    sides.push(b);
    proxy = await TcpProxy.start(b.host.listenPort);
    // A reaches B through the proxy (the static map comes before the port mapper).
    const a = await startSide(testConfig('a@127.0.0.1', pm, { tickTimeMs, staticPorts: { 'b@127.0.0.1': `127.0.0.1:${proxy.port}` } }));
    sides.push(a);
    a.connect('b@127.0.0.1');
    await Promise.all([a.nodeUp('b@127.0.0.1'), b.nodeUp('a@127.0.0.1')]);
    expect(proxy.connections).toBe(1);
    // Ticks keep an idle connection up: wait three tick times' worth of ticks (counted).
    const ticksOut = async (s: NodeSide): Promise<number> => (await s.host.stats()).connections[0]?.ticksOut ?? 0;
    while ((await ticksOut(a)) < 12 || (await ticksOut(b)) < 12) await new Promise((r) => setTimeout(r, 50));
    expect(a.records.filter((r) => r.json?.reason !== undefined)).toEqual([]); // no nodedown yet

    const frozenAt = performance.now();
    proxy.freeze();
    const [downA, downB] = await Promise.all([a.nodeDown('b@127.0.0.1'), b.nodeDown('a@127.0.0.1')]);
    expect(downA.json).toEqual({ name: 'b@127.0.0.1', reason: 'noconnection', detail: 'tick_timeout' });
    expect(downB.json).toEqual({ name: 'a@127.0.0.1', reason: 'noconnection', detail: 'tick_timeout' });
    // Not before the tick time (minus the last frame heard before the freeze: one tick interval).
    expect(downA.at - frozenAt).toBeGreaterThanOrEqual(tickTimeMs - tickTimeMs / 4 - 20);
    expect(downA.at - frozenAt).toBeLessThan(5_000); // detected (generous: a loaded machine delays timers)
    expect((await a.host.stats()).tickTimeouts).toBe(1);
    expect((await a.host.stats()).connections).toEqual([]);
  });
});
