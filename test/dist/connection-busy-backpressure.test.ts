import { afterEach, describe, expect, it } from 'vitest';
import { kInBusy, kInMessage, kInNotBusy, kOutMessage } from '../../src/dist/io-protocol.ts';
import { freePort } from './fixtures/free-port.ts';
import { startSide, stopAll, testConfig, type NodeSide } from './fixtures/io-host-helpers.ts';
import { makePayload, payloadIs } from './fixtures/io-link-helpers.ts';
import { TcpProxy } from './fixtures/tcp-proxy.ts';

let sides: NodeSide[] = [];
let proxy: TcpProxy | null = null;
afterEach(async () => {
  await stopAll(sides);
  sides = [];
  await proxy?.close();
  proxy = null;
});

describe('connections: a peer that reads slowly makes the connection busy, and nothing is dropped', () => {
  it('counts a busy event above maxUnsentBytes, keeps accepting, and delivers everything once the peer reads', async () => {
    const pm = await freePort();
    const b = await startSide(testConfig('b@127.0.0.1', pm));
    sides.push(b);
    proxy = await TcpProxy.start(b.host.listenPort);
    const maxUnsentBytes = 256 << 10;
    const a = await startSide(testConfig('a@127.0.0.1', pm, { maxUnsentBytes, staticPorts: { 'b@127.0.0.1': `127.0.0.1:${proxy.port}` } }));
    sides.push(a);
    a.connect('b@127.0.0.1');
    const [upB] = await Promise.all([a.nodeUp('b@127.0.0.1'), b.nodeUp('a@127.0.0.1')]);
    proxy.pause();
    const n = 48;
    const size = 1 << 20;
    for (let seq = 0; seq < n; seq++) a.host.link.write(kOutMessage, upB.conn, seq % 2, makePayload(seq, size));
    a.host.link.flush();
    // The kernel's buffers fill, then the writer's queue grows: the node side hears kInBusy.
    const busy = await a.waitFor((r) => r.kind === kInBusy);
    expect(busy.conn).toBe(upB.conn);
    const s = (await a.host.stats()).connections[0]!;
    expect([s.busy, s.busyEvents]).toEqual([true, 1]);
    expect(s.queuedBytes + s.unsentBytes).toBeGreaterThan(maxUnsentBytes);
    expect(b.records.filter((r) => r.kind === kInMessage).length).toBeLessThan(n);
    proxy.resume();
    await b.waitFor((r) => r.kind === kInMessage && r.payload.length === size && new DataView(r.payload.buffer, r.payload.byteOffset).getUint32(0, true) === n - 1);
    const got = b.records.filter((r) => r.kind === kInMessage);
    for (const stream of [0, 1]) {
      const seqs = got.filter((r) => r.stream === stream).map((r) => new DataView(r.payload.buffer, r.payload.byteOffset).getUint32(0, true));
      expect(seqs).toEqual(Array.from({ length: n / 2 }, (_, i) => 2 * i + stream));
    }
    for (const r of got) expect(payloadIs(r.payload, new DataView(r.payload.buffer, r.payload.byteOffset).getUint32(0, true), size)).toBe(true);
    // Below half the bound again: kInNotBusy, once, after the one kInBusy.
    const notBusy = await a.waitFor((r) => r.kind === kInNotBusy);
    expect(notBusy.conn).toBe(upB.conn);
    expect(a.records.filter((r) => r.kind === kInBusy || r.kind === kInNotBusy).map((r) => r.kind)).toEqual([kInBusy, kInNotBusy]);
    const after = (await a.host.stats()).connections[0]!;
    expect(after.busy).toBe(false);
    expect((await a.host.stats()).busyEvents).toBeGreaterThanOrEqual(1);
  });
});
