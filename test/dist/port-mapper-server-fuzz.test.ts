import net from 'node:net';
import { once } from 'node:events';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lookupNode, registerNode } from '../../src/dist/port-mapper-client.ts';
import { type PortMapperServer, startPortMapper } from '../../src/dist/port-mapper-server.ts';
import { encodeAlive2Req, encodePortPlease2Req } from '../../src/dist/epmd-frames.ts';
import { PortMapperError } from '../../src/dist/errors.ts';

let server: PortMapperServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Connect, send `bytes`, half-close; resolves once the connection is fully closed. */
async function fire(port: number, bytes: Uint8Array): Promise<void> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  socket.on('data', () => {});
  await once(socket, 'connect');
  socket.end(bytes);
  if (!socket.destroyed) await once(socket, 'close');
}

describe('embedded port mapper: random and mutated frames never hurt other connections', () => {
  it('after every random frame the server still serves the registered node, and holds nothing extra', async () => {
    const errors: unknown[] = [];
    server = await startPortMapper({ port: 0, idleTimeoutMs: 200, onConnectionError: (e) => errors.push(e) });
    const port = server.port;
    const reg = await registerNode({ port, name: 'steady', listenPort: 3100 });
    const seeds = [encodeAlive2Req({ name: 'z', port: 1, nodeType: 77, protocol: 0, highestVersion: 6, lowestVersion: 6, extra: new Uint8Array(0) }), encodePortPlease2Req('steady')];
    const frames = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.tuple(fc.constantFrom(...seeds), fc.nat(40), fc.integer({ min: 0, max: 255 })).map(([seed, at, b]) => {
        const m = Uint8Array.from(seed);
        m[at % m.length] = b;
        return m;
      }),
    );
    await fc.assert(fc.asyncProperty(frames, async (bytes) => {
      await fire(port, bytes);
      expect(await lookupNode('steady', { port })).toMatchObject({ port: 3100 });
    }), { numRuns: 60 });
    expect(reg.active).toBe(true);
    for (const e of errors) expect(e).toBeInstanceOf(PortMapperError);
    await vi.waitFor(() => expect(server!.entries().map((e) => e.name)).toEqual(['steady']));
    await vi.waitFor(() => expect(server!.connectionCount).toBe(1));
    await reg.close();
  });
});
