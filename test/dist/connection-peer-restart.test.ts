import { afterEach, describe, expect, it } from 'vitest';
import { kInNodeDown, kInNodeUp } from '../../src/dist/io-protocol.ts';
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

describe('connections: a peer that restarted before we noticed replaces its old connection', () => {
  it('reports the old life down, then the new one up, when the new life connects', async () => {
    const pm = await freePort();
    const a = await startSide(testConfig('a@127.0.0.1', pm));
    sides.push(a);
    proxy = await TcpProxy.start(a.host.listenPort);
    const b1 = await startSide(testConfig('b@127.0.0.1', null, { staticPorts: { 'a@127.0.0.1': `127.0.0.1:${proxy.port}` } }));
    sides.push(b1);
    // b's first life reaches a through the proxy; freezing it hides b1's stop from a.
    b1.connect('a@127.0.0.1');
    const up1 = await a.nodeUp('b@127.0.0.1');
    proxy.freeze();
    await b1.host.stop();
    const b2 = await startSide(testConfig('b@127.0.0.1', null, { staticPorts: { 'a@127.0.0.1': `127.0.0.1:${a.host.listenPort}` } }));
    sides.push(b2);
    expect(b2.host.creation).not.toBe(b1.host.creation);
    const from = a.records.length;
    b2.connect('a@127.0.0.1');
    await b2.nodeUp('a@127.0.0.1');
    const up2 = await a.waitFor((r) => r.kind === kInNodeUp, from);
    const after = a.records.slice(from).filter((r) => r.kind === kInNodeDown || r.kind === kInNodeUp);
    expect(after.map((r) => [r.kind, r.conn, r.json!.creation ?? r.json!.detail])).toEqual([
      [kInNodeDown, up1.conn, 'error: the peer restarted'],
      [kInNodeUp, up2.conn, b2.host.creation],
    ]);
  });
});
