/**
 * Discovery (src/cluster/membership/discovery.ts): a seed list parsed to node/host/port,
 * and DNS SRV / A lookups through an injected fake resolver: ordering, our own name left
 * out, "no such name" = no seeds yet, other failures = DiscoveryFailedError; bad options
 * and bad seeds refused with exact messages. Finally the seeds found are joined through
 * in the simulator.
 */
import { describe, expect, it } from 'vitest';
import { BadArgError, InvalidOptionError } from '../../src/core/errors.ts';
import { DiscoveryFailedError, DnsDiscovery, MembershipSim, SeedListDiscovery, type DnsResolver } from '../../src/cluster/membership/index.ts';

const dnsError = (code: string): Error => Object.assign(new Error(`query ${code}`), { code });

function fakeResolver(srv: Record<string, Array<{ name: string; port: number; priority: number; weight: number }>>, a: Record<string, string[]>, calls: string[] = []): DnsResolver {
  return {
    async resolveSrv(name) {
      calls.push(`srv ${name}`);
      if (name === 'broken') throw dnsError('ESERVFAIL');
      if (!(name in srv)) throw dnsError('ENOTFOUND');
      return srv[name]!.map((r) => ({ ...r }));
    },
    async resolve4(name) {
      calls.push(`a ${name}`);
      if (!(name in a)) throw dnsError('ENODATA');
      return a[name]!.slice();
    },
  };
}

describe('membership discovery', () => {
  it('a seed list gives node, host and port', async () => {
    const d = new SeedListDiscovery(['a@h1', 'b@10.0.0.2:4370']);
    expect(await d.seeds()).toEqual([{ node: 'a@h1', host: 'h1' }, { node: 'b@10.0.0.2', host: '10.0.0.2', port: 4370 }]);
    expect(() => new SeedListDiscovery(['nohost'])).toThrow(new BadArgError(`SeedListDiscovery: seed "nohost" is not 'name@host' or 'name@host:port'`));
    expect(() => new SeedListDiscovery(['a@h:70000'])).toThrow(BadArgError);
  });

  it('DNS SRV: ordered by priority then weight, own name left out', async () => {
    const calls: string[] = [];
    const resolver = fakeResolver(
      {
        '_sb._tcp.app': [
          { name: 'pod-c.app', port: 4372, priority: 20, weight: 0 },
          { name: 'pod-a.app', port: 4370, priority: 10, weight: 5 },
          { name: 'pod-b.app', port: 4371, priority: 10, weight: 50 },
        ],
      },
      {},
      calls,
    );
    const d = new DnsDiscovery({ basename: 'sb', srv: '_sb._tcp.app', self: 'sb@pod-a.app', resolver });
    expect(d.source).toBe('dns-srv:_sb._tcp.app');
    expect(await d.seeds()).toEqual([
      { node: 'sb@pod-b.app', host: 'pod-b.app', port: 4371 },
      { node: 'sb@pod-c.app', host: 'pod-c.app', port: 4372 },
    ]);
    expect(calls).toEqual(['srv _sb._tcp.app']);
  });

  it('DNS A: one seed per address; no records -> no seeds; a server failure -> DiscoveryFailedError', async () => {
    const resolver = fakeResolver({}, { 'app.svc': ['10.0.0.9', '10.0.0.3'] });
    expect(await new DnsDiscovery({ basename: 'sb', a: 'app.svc', resolver }).seeds()).toEqual([
      { node: 'sb@10.0.0.3', host: '10.0.0.3' },
      { node: 'sb@10.0.0.9', host: '10.0.0.9' },
    ]);
    expect(await new DnsDiscovery({ basename: 'sb', a: 'nothing.svc', resolver }).seeds()).toEqual([]);
    expect(await new DnsDiscovery({ basename: 'sb', srv: 'missing', resolver }).seeds()).toEqual([]);
    const err = await new DnsDiscovery({ basename: 'sb', srv: 'broken', resolver }).seeds().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscoveryFailedError);
    expect((err as DiscoveryFailedError).code).toBe('ERR_SB_MEMBERSHIP_DISCOVERY_FAILED');
    expect((err as DiscoveryFailedError).message).toBe('DnsDiscovery: lookup of dns-srv:broken failed: query ESERVFAIL');
  });

  it('refuses bad options', () => {
    expect(() => new DnsDiscovery({ basename: 'sb' })).toThrow(new InvalidOptionError('srv', 'DnsDiscovery: option "srv" or "a" is required, not both'));
    expect(() => new DnsDiscovery({ basename: 'sb', srv: 'x', a: 'y' })).toThrow(InvalidOptionError);
    expect(() => new DnsDiscovery({ srv: 'x' } as never)).toThrow('DnsDiscovery: option "basename" is required');
    expect(() => new DnsDiscovery({ basename: 'sb', a: 'x', port: 1 } as never)).toThrow('DnsDiscovery: unknown option "port"');
  });

  it('the discovered seeds are what a node joins through', async () => {
    const resolver = fakeResolver({}, { 'app.svc': ['10.0.0.1', '10.0.0.2'] });
    const sim = new MembershipSim({ seed: 3 });
    sim.addNode('sb@10.0.0.1');
    sim.addNode('sb@10.0.0.2', (await new DnsDiscovery({ basename: 'sb', a: 'app.svc', self: 'sb@10.0.0.2', resolver }).seeds()).map((s) => s.node));
    sim.addNode('sb@10.0.0.3', (await new DnsDiscovery({ basename: 'sb', a: 'app.svc', resolver }).seeds()).map((s) => s.node));
    expect(sim.runUntilTrue(() => sim.converged(), 10_000)).toBeDefined();
    expect(sim.node('sb@10.0.0.3').liveMembers().sort()).toEqual(['sb@10.0.0.1', 'sb@10.0.0.2']);
  });
});
