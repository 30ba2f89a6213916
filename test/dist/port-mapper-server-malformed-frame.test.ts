import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lookupNode, registerNode } from '../../src/dist/port-mapper-client.ts';
import { type PortMapperServer, startPortMapper } from '../../src/dist/port-mapper-server.ts';
import { PortMapperError } from '../../src/dist/errors.ts';

let server: PortMapperServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Send `bytes` on a fresh connection; resolves with what came back once the server closed it. */
async function sendRaw(port: number, bytes: Buffer): Promise<Buffer> {
  const socket = net.connect({ host: '127.0.0.1', port });
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.write(bytes);
  await once(socket, 'close');
  return Buffer.concat(chunks);
}

describe('embedded port mapper: a malformed frame closes that connection only', () => {
  it('closes the bad connection, reports why, and keeps serving a registered node and new clients', async () => {
    const errors: PortMapperError[] = [];
    server = await startPortMapper({ port: 0, onConnectionError: (e) => errors.push(e) });
    const at = { port: server.port };
    const reg = await registerNode({ ...at, name: 'steady', listenPort: 3001 });

    expect(await sendRaw(server.port, Buffer.from([0, 1, 99]))).toEqual(Buffer.alloc(0));
    expect(await sendRaw(server.port, Buffer.from([0xff, 0xff]))).toEqual(Buffer.alloc(0));
    expect(await sendRaw(server.port, Buffer.from([0, 0]))).toEqual(Buffer.alloc(0));
    expect(errors.map((e) => [e.constructor, e.failure, e.message])).toEqual([
      [PortMapperError, 'malformed', 'EPMD frame: unknown request tag 99'],
      [PortMapperError, 'malformed', 'EPMD frame: request length 65535 exceeds 2053 bytes'],
      [PortMapperError, 'malformed', 'EPMD frame: request of length 0'],
    ]);

    expect(reg.active).toBe(true);
    expect(await lookupNode('steady', at)).toMatchObject({ port: 3001 });
    await reg.close();
  });

  it('a connection that never completes its request is closed after idleTimeoutMs', async () => {
    server = await startPortMapper({ port: 0, idleTimeoutMs: 100 });
    // Half a request, then nothing: the server must close it.
    expect(await sendRaw(server.port, Buffer.from([0, 5, 122]))).toEqual(Buffer.alloc(0));
    await vi.waitFor(() => expect(server!.connectionCount).toBe(0));
  });

  it('a request split over many writes is still served', async () => {
    server = await startPortMapper({ port: 0 });
    const reg = await registerNode({ port: server.port, name: 'pieces', listenPort: 3002 });
    const socket = net.connect({ host: '127.0.0.1', port: server.port });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    await once(socket, 'connect');
    const req = Buffer.from([0, 7, 122, ...Buffer.from('pieces')]);
    for (const b of req) socket.write(Buffer.from([b]));
    await once(socket, 'close');
    const answer = Buffer.concat(chunks);
    expect(answer[0]).toBe(119);
    expect(answer[1]).toBe(0);
    expect(answer.readUInt16BE(2)).toBe(3002);
    await reg.close();
  });
});
