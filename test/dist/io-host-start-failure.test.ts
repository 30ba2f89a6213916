import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.ts';
import { PortMapperError } from '../../src/dist/errors.ts';
import { IoLinkError } from '../../src/dist/io-errors.ts';
import { freePort } from './fixtures/free-port.ts';
import { startSide, stopAll, testConfig, type NodeSide } from './fixtures/io-host-helpers.ts';

let sides: NodeSide[] = [];
afterEach(async () => {
  await stopAll(sides);
  sides = [];
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('startIoThread: a thread that cannot start rejects with a typed error and leaves nothing running', () => {
  it('a name already registered in the port mapper: PortMapperError name_taken', async () => {
    const pm = await freePort();
    sides.push(await startSide(testConfig('a@127.0.0.1', pm)));
    const err = await rejection(startSide(testConfig('a@127.0.0.1', pm)));
    expect(err).toBeInstanceOf(PortMapperError);
    expect((err as PortMapperError).failure).toBe('name_taken');
    expect((err as Error).message).toBe(`registerNode: the port mapper at 127.0.0.1:${pm} refused to register "a" (result 1: the name is taken)`);
  });

  it('a listen port in use: IoLinkError thread, naming the cause', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ host: '127.0.0.1', port: 0 }, () => r()));
    try {
      const port = (blocker.address() as net.AddressInfo).port;
      const err = await rejection(startSide(testConfig('a@127.0.0.1', null, { listen: { host: '127.0.0.1', port } })));
      expect(err).toBeInstanceOf(IoLinkError);
      expect((err as IoLinkError).failure).toBe('thread');
      expect((err as Error).message).toMatch(/^the I\/O thread failed to start: Error: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+$/);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('a bad static map: InvalidOptionError from the caller\'s thread', async () => {
    const err = await rejection(startSide(testConfig('a@127.0.0.1', null, { staticPorts: { 'nohost': '127.0.0.1:1' } })));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as Error).message).toBe('staticPortMap: "nohost" is not a full node name (name@host)');
  });
});
