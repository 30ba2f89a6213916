import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listNames, lookupNode, registerNode } from '../../src/dist/port-mapper-client.ts';
import { ensurePortMapper } from '../../src/dist/port-mapper.ts';
import { freePort } from './fixtures/free-port.ts';
import { epmdNames, hasEpmd, startRealEpmd, type RealEpmd } from './fixtures/erlang-tools.ts';

if (!hasEpmd) console.warn('port-mapper-client-real-epmd: skipped, `epmd` is not installed (apt-get install erlang-nox)');

describe.skipIf(!hasEpmd)('port-mapper client against the real epmd', () => {
  let epmd: RealEpmd;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    // Foreground (no -daemon): it dies with stop() in afterAll.
    epmd = await startRealEpmd(port);
  });

  afterAll(async () => {
    await epmd.stop();
  });

  it('a Switchboard registration shows in `epmd -names`, is found by lookupNode, and is gone after close()', async () => {
    const reg = await registerNode({ port, name: 'sbnode', listenPort: 45678 });
    expect(reg.creation).toBeGreaterThan(0);
    const out = await epmdNames(port);
    expect(out).toContain(`epmd: up and running on port ${port} with data:`);
    expect(out).toContain('name sbnode at port 45678');
    expect(await lookupNode('sbnode', { port })).toEqual({
      name: 'sbnode', port: 45678, nodeType: 77, protocol: 0, highestVersion: 6, lowestVersion: 6, extra: new Uint8Array(0),
    });
    expect((await listNames({ port })).names).toEqual([{ name: 'sbnode', port: 45678 }]);

    await reg.close();
    await vi.waitFor(async () => expect(await lookupNode('sbnode', { port })).toBeUndefined(), { timeout: 5000, interval: 20 });
    expect(await epmdNames(port)).not.toContain('sbnode');
  });

  it('the real epmd refuses a second registration of a taken name', async () => {
    const first = await registerNode({ port, name: 'twice', listenPort: 45001 });
    await expect(registerNode({ port, name: 'twice', listenPort: 45002 })).rejects.toMatchObject({
      code: 'ERR_SB_PORT_MAPPER',
      failure: 'name_taken',
      message: `registerNode: the port mapper at 127.0.0.1:${port} refused to register "twice" (result 1: the name is taken)`,
    });
    await first.close();
  });

  it('a hidden node with extra bytes, and a version-5 node answered with ALIVE2_RESP', async () => {
    const hidden = await registerNode({ port, name: 'hid', listenPort: 45100, nodeType: 72, extra: Uint8Array.from([9, 8, 7]) });
    expect(await lookupNode('hid', { port })).toEqual({
      name: 'hid', port: 45100, nodeType: 72, protocol: 0, highestVersion: 6, lowestVersion: 6, extra: Uint8Array.from([9, 8, 7]),
    });
    const old = await registerNode({ port, name: 'old5', listenPort: 45101, highestVersion: 5, lowestVersion: 5 });
    expect([1, 2, 3]).toContain(old.creation);
    await hidden.close();
    await old.close();
  });

  it('ensurePortMapper uses the real epmd when it answers', async () => {
    expect(await ensurePortMapper({ port })).toEqual({ kind: 'external', host: '127.0.0.1', port });
  });
});
