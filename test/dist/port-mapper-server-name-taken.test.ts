import { afterEach, describe, expect, it } from 'vitest';
import { lookupNode, registerNode } from '../../src/dist/port-mapper-client.ts';
import { type PortMapperServer, startPortMapper } from '../../src/dist/port-mapper-server.ts';
import { PortMapperError } from '../../src/dist/errors.ts';

let server: PortMapperServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('embedded port mapper: one registration per name', () => {
  it('a second ALIVE2 for a taken name is refused, and the first stays', async () => {
    server = await startPortMapper({ port: 0 });
    const at = { port: server.port };
    const first = await registerNode({ ...at, name: 'taken', listenPort: 2001 });
    const err = await registerNode({ ...at, name: 'taken', listenPort: 2002 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortMapperError);
    expect((err as PortMapperError).code).toBe('ERR_SB_PORT_MAPPER');
    expect((err as PortMapperError).failure).toBe('name_taken');
    expect((err as PortMapperError).message).toBe(
      `registerNode: the port mapper at 127.0.0.1:${server.port} refused to register "taken" (result 1: the name is taken)`,
    );
    expect(first.active).toBe(true);
    expect(await lookupNode('taken', at)).toMatchObject({ port: 2001 });
    await first.close();
  });
});
