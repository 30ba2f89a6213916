import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listNames, lookupNode, registerNode } from '../../src/dist/port-mapper-client.ts';
import { PortMapperError } from '../../src/dist/errors.ts';
import { InvalidOptionError } from '../../src/core/errors.ts';
import { freePort } from './fixtures/free-port.ts';

let fake: net.Server | undefined;
const sockets = new Set<net.Socket>();
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await new Promise<void>((resolve) => (fake ? fake.close(() => resolve()) : resolve()));
  fake = undefined;
});

/** A fake port mapper: `answer` is called with each connection's first data. */
async function fakeMapper(answer: (socket: net.Socket) => void): Promise<number> {
  fake = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('data', () => answer(socket));
  });
  await new Promise<void>((resolve) => fake!.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
  return (fake.address() as net.AddressInfo).port;
}

async function failure(p: Promise<unknown>): Promise<PortMapperError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(PortMapperError);
  expect((err as PortMapperError).code).toBe('ERR_SB_PORT_MAPPER');
  return err as PortMapperError;
}

describe('port-mapper client: every failure is a PortMapperError, in bounded time', () => {
  it('a refused connection', async () => {
    const port = await freePort();
    const e = await failure(lookupNode('a', { port }));
    expect([e.failure, e.message]).toEqual(['refused', `lookupNode: no port mapper at 127.0.0.1:${port} (connection refused)`]);
    const r = await failure(registerNode({ port, name: 'a', listenPort: 1 }));
    expect(r.message).toBe(`registerNode: no port mapper at 127.0.0.1:${port} (connection refused)`);
  });

  it('a port mapper that never answers: a timeout', async () => {
    const port = await fakeMapper(() => {});
    const e = await failure(registerNode({ port, name: 'a', listenPort: 1, timeoutMs: 100 }));
    expect([e.failure, e.message]).toEqual(['timeout', `registerNode: no answer from the port mapper at 127.0.0.1:${port} within 100 ms`]);
    const n = await failure(listNames({ port, timeoutMs: 50 }));
    expect(n.message).toBe(`listNames: no answer from the port mapper at 127.0.0.1:${port} within 50 ms`);
  });

  it('a bad answer, and a close before the answer', async () => {
    const port = await fakeMapper((s) => s.end(Buffer.from([42, 0, 0, 0])));
    const e = await failure(lookupNode('a', { port }));
    expect([e.failure, e.message]).toEqual([
      'malformed', `lookupNode: bad answer from the port mapper at 127.0.0.1:${port}: expected PORT2_RESP (119), got tag 42`,
    ]);
    await new Promise<void>((resolve) => fake!.close(() => resolve()));
    const port2 = await fakeMapper((s) => s.end(Buffer.from([118, 0])));
    const c = await failure(registerNode({ port: port2, name: 'a', listenPort: 1 }));
    expect([c.failure, c.message]).toEqual(['closed', `registerNode: the port mapper at 127.0.0.1:${port2} closed the connection before answering`]);
  });

  it('bad options are InvalidOptionError', async () => {
    await expect(registerNode({ name: '', listenPort: 1 })).rejects.toThrow(new InvalidOptionError('name', 'registerNode: option "name" must be a non-empty string'));
    await expect(registerNode({ name: 'a', listenPort: 0 })).rejects.toThrow('registerNode: option "listenPort" must be an integer in 1..65535');
    await expect(lookupNode('a', { timeoutMs: Infinity })).rejects.toThrow('lookupNode: option "timeoutMs" must be a positive finite number of milliseconds');
    await expect(lookupNode('a\0b')).rejects.toThrow('lookupNode: the name is not a port-mapper name (node name contains a NUL byte)');
    await expect(listNames({ bogus: 1 } as never)).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(registerNode({ name: 'a', listenPort: 0 })).rejects.toBeInstanceOf(InvalidOptionError);
  });
});
