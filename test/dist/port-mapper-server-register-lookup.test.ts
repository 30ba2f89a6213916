import { afterEach, describe, expect, it, vi } from 'vitest';
import { listNames, lookupNode, registerNode } from '../../src/dist/port-mapper-client.ts';
import { type PortMapperServer, startPortMapper } from '../../src/dist/port-mapper-server.ts';

let server: PortMapperServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('embedded port mapper: a registration lasts as long as its connection', () => {
  it('registers, is found by lookup and names, and is gone after close()', async () => {
    server = await startPortMapper({ port: 0 });
    const at = { port: server.port };
    const reg = await registerNode({ ...at, name: 'alpha', listenPort: 40001 });
    expect(reg.name).toBe('alpha');
    expect(reg.active).toBe(true);
    expect(reg.creation).toBeGreaterThanOrEqual(4);
    expect(await lookupNode('alpha', at)).toEqual({
      name: 'alpha', port: 40001, nodeType: 77, protocol: 0, highestVersion: 6, lowestVersion: 6, extra: new Uint8Array(0),
    });
    expect(await lookupNode('nobody', at)).toBeUndefined();
    expect(await listNames(at)).toEqual({ epmdPort: server.port, names: [{ name: 'alpha', port: 40001 }] });

    await reg.close();
    expect(reg.active).toBe(false);
    await vi.waitFor(() => expect(server!.entries()).toEqual([]));
    expect(await lookupNode('alpha', at)).toBeUndefined();
    expect((await listNames(at)).names).toEqual([]);
  });

  it('two clients register two names; each creation of a name is the next one', async () => {
    server = await startPortMapper({ port: 0 });
    const at = { port: server.port };
    const a = await registerNode({ ...at, name: 'a', listenPort: 1001, nodeType: 72, extra: Uint8Array.from([1, 2]) });
    const b = await registerNode({ ...at, name: 'b', listenPort: 1002 });
    expect((await listNames(at)).names.map((n) => n.name).sort()).toEqual(['a', 'b']);
    expect(await lookupNode('a', at)).toMatchObject({ port: 1001, nodeType: 72, extra: Uint8Array.from([1, 2]) });
    expect(await lookupNode('b', at)).toMatchObject({ port: 1002, nodeType: 77 });

    await a.close();
    await vi.waitFor(() => expect(server!.entries().map((e) => e.name)).toEqual(['b']));
    const a2 = await registerNode({ ...at, name: 'a', listenPort: 1003 });
    expect(a2.creation).toBe(a.creation === 0xffffffff ? 4 : a.creation + 1);
    expect(await lookupNode('a', at)).toMatchObject({ port: 1003 });
    await a2.close();
    await b.close();
  });

  it('answers a node of protocol version 5 with ALIVE2_RESP and a creation in 1..3', async () => {
    server = await startPortMapper({ port: 0 });
    const reg = await registerNode({ port: server.port, name: 'old', listenPort: 5, highestVersion: 5, lowestVersion: 5 });
    expect([1, 2, 3]).toContain(reg.creation);
    await reg.close();
  });

  it('close() of the server ends every registration', async () => {
    server = await startPortMapper({ port: 0 });
    const reg = await registerNode({ port: server.port, name: 'x', listenPort: 7 });
    await server.close();
    await reg.closed;
    expect(reg.active).toBe(false);
    expect(server.connectionCount).toBe(0);
  });
});
