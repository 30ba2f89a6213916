import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './fixtures/free-port.ts';
import { startNodeProcess } from './support/node-process.ts';
import { fullName } from './support/node-cluster.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

// The cookie never crosses the wire: every byte of a handshake and of some traffic, both
// ways, captured by the proxy between a and b, contains neither the cookie nor its hex or
// base64 form — while the same capture does contain both node names (it saw the handshake).

const kCookie = 'Very-Distinctive-Cookie-7f3a9c';
let proxy: TcpProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

describe('distribution: the cookie never crosses the wire', () => {
  it('no form of the cookie in the captured bytes', async () => {
    const bPort = await freePort();
    const b = await startNodeProcess({ name: fullName('b'), cookie: kCookie, dist: { listen: { host: '127.0.0.1', port: bPort }, portMapper: false } });
    proxy = await startTcpProxy({ host: '127.0.0.1', port: bPort });
    const a = await startNodeProcess({
      name: fullName('a'), cookie: kCookie,
      dist: { listen: { host: '127.0.0.1', port: 0 }, portMapper: false, staticPorts: { [fullName('b')]: proxy.address } },
    });
    await b.request({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });
    expect(await a.request({ cmd: 'call', to: { name: 'echo', node: fullName('b') }, msg: 'hello' })).toMatchObject({ value: { echo: 'hello' } });

    const cap = proxy.capture();
    const both = Buffer.concat([cap.toTarget, cap.toClient]);
    expect(cap.toTarget.includes(fullName('a'))).toBe(true);
    expect(cap.toClient.includes(fullName('b'))).toBe(true);
    for (const form of [Buffer.from(kCookie, 'utf8'), Buffer.from(Buffer.from(kCookie).toString('hex')), Buffer.from(Buffer.from(kCookie).toString('base64'))]) {
      expect(both.includes(form)).toBe(false);
    }
  }, 30_000);
});
