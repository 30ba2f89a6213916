import { afterEach, describe, expect, it } from 'vitest';
import { kInConnectFailed, kInMessage, kOutMessage } from '../../src/dist/io-protocol.ts';
import { freePort } from './fixtures/free-port.ts';
import { startSide, stopAll, testConfig, type NodeSide } from './fixtures/io-host-helpers.ts';
import { makeTestCerts } from './fixtures/test-certs.ts';

let sides: NodeSide[] = [];
afterEach(async () => {
  await stopAll(sides);
  sides = [];
});

const certs = makeTestCerts();

describe('io thread: with tls, connections are mutual TLS', () => {
  it('connects two nodes whose certificates the CA signed, and carries messages', async () => {
    const pm = await freePort();
    const tls = { key: certs.key, cert: certs.cert, ca: certs.ca };
    const a = await startSide(testConfig('a@127.0.0.1', pm, { tls }));
    sides.push(a);
    const b = await startSide(testConfig('b@127.0.0.1', pm, { tls }));
    sides.push(b);
    a.connect('b@127.0.0.1');
    const [upB] = await Promise.all([a.nodeUp('b@127.0.0.1'), b.nodeUp('a@127.0.0.1')]);
    a.host.link.write(kOutMessage, upB.conn, 3, new Uint8Array([1, 2, 3]));
    a.host.link.flush();
    const m = await b.waitFor((r) => r.kind === kInMessage);
    expect([m.stream, ...m.payload]).toEqual([3, 1, 2, 3]);
  });

  it('refuses a node whose certificate the CA did not sign', async () => {
    const pm = await freePort();
    const a = await startSide(testConfig('a@127.0.0.1', pm, { tls: { key: certs.key, cert: certs.cert, ca: certs.ca } }));
    sides.push(a);
    const s = await startSide(testConfig('s@127.0.0.1', pm, { tls: { key: certs.strangerKey, cert: certs.strangerCert, ca: certs.ca } }));
    sides.push(s);
    const id = s.connect('a@127.0.0.1');
    const failed = await s.waitFor((r) => r.kind === kInConnectFailed && r.conn === id);
    // TLS 1.3: the client's side of TLS completes before the server checks the client's
    // certificate; the server then closes, which the handshake reports as its failure.
    expect(failed.json).toEqual({
      name: 'a@127.0.0.1',
      error: { name: 'HandshakeClosedError', code: 'ERR_SB_HANDSHAKE_CLOSED', message: 'handshake with a@127.0.0.1 failed: the connection closed during the handshake' },
    });
    const sa = await a.host.stats();
    expect([sa.connections, sa.accepted]).toEqual([[], 0]);
  });
});
