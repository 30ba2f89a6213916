import { afterEach, describe, expect, it } from 'vitest';
import { DiscoveryFailedError, PortMapperDiscovery } from '../../src/cluster/membership/index.ts';
import { InvalidOptionError } from '../../src/core/errors.ts';
import { registerNode, type PortMapperRegistration } from '../../src/dist/port-mapper-client.ts';
import { startPortMapper, type PortMapperServer } from '../../src/dist/port-mapper-server.ts';
import { freePort } from '../dist/fixtures/free-port.ts';

// Seeds from a port mapper's NAMES answer: every registered name on the host but ours,
// sorted, with its port; a host whose mapper is down gives none; no mapper answering at
// all is DiscoveryFailedError.
const open: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

describe('PortMapperDiscovery', () => {
  it('lists the registered nodes but ourselves; a dead host adds nothing', async () => {
    const mapper: PortMapperServer = await startPortMapper({ port: 0 });
    open.push(mapper);
    for (const [name, listenPort] of [['b', 5002], ['a', 5001], ['c', 5003]] as const) {
      const r: PortMapperRegistration = await registerNode({ name, listenPort, port: mapper.port });
      open.push(r);
    }
    const d = new PortMapperDiscovery({ hosts: ['127.0.0.1'], port: mapper.port, self: 'a@127.0.0.1' });
    expect(d.source).toBe(`port-mapper:127.0.0.1:${mapper.port}`);
    expect(await d.seeds()).toEqual([
      { node: 'b@127.0.0.1', host: '127.0.0.1', port: 5002 },
      { node: 'c@127.0.0.1', host: '127.0.0.1', port: 5003 },
    ]);
    const m = new PortMapperDiscovery({ port: mapper.port, match: (n) => n === 'c' });
    expect((await m.seeds()).map((s) => s.node)).toEqual(['c@127.0.0.1']);
  });

  it('no mapper answering: DiscoveryFailedError; bad options: InvalidOptionError', async () => {
    const port = await freePort();
    const d = new PortMapperDiscovery({ port, timeoutMs: 1000 });
    const e = await d.seeds().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DiscoveryFailedError);
    expect((e as DiscoveryFailedError).code).toBe('ERR_SB_MEMBERSHIP_DISCOVERY_FAILED');
    expect((e as Error).message).toMatch(new RegExp(`^port-mapper:127\\.0\\.0\\.1:${port}: no port mapper answered \\(`));
    expect(() => new PortMapperDiscovery({ hosts: [] })).toThrow(InvalidOptionError);
    expect(() => new PortMapperDiscovery({ hosts: [] })).toThrow('PortMapperDiscovery: option "hosts" must be a non-empty array of host names');
    expect(() => new PortMapperDiscovery({ bogus: 1 } as never)).toThrow('PortMapperDiscovery: unknown option "bogus"');
  });
});
