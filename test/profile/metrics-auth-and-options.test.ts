import { afterEach, describe, expect, it } from 'vitest';
import { BadArgError, InvalidOptionError } from '../../src/core/errors.ts';
import { LocalNode } from '../../src/core/local-node.ts';
import { metricsRegistry, startMetricsServer } from '../../src/profile/metrics/index.ts';
import { parseMetrics } from './fixtures/metrics-text.ts';

// The endpoint binds to loopback unless a token is given; with a token every request
// needs `Authorization: Bearer <token>`; options are checked with exact messages.

let node: LocalNode | null = null;
afterEach(async () => {
  await node?.stop();
  node = null;
});

function refusal(f: () => unknown): InvalidOptionError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOptionError);
    return e as InvalidOptionError;
  }
  throw new Error('no error');
}

async function refusalOf(p: Promise<unknown>): Promise<InvalidOptionError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(InvalidOptionError);
  return e as InvalidOptionError;
}

describe('metrics endpoint access', () => {
  it('refuses a non-loopback host without a token, nothing bound', async () => {
    node = new LocalNode();
    const e = await refusalOf(startMetricsServer(node, { host: '0.0.0.0' }));
    expect(e.code).toBe('ERR_SB_INVALID_OPTION');
    expect(e.option).toBe('host');
    expect(e.message).toBe('startMetricsServer: option "host" must be a loopback address unless option "token" is given (got "0.0.0.0")');
  });

  it('with a token, answers 401 without the right bearer and 200 with it (any host)', async () => {
    node = new LocalNode();
    const m = await startMetricsServer(node, { host: '0.0.0.0', token: 's3cret' });
    const url = `http://127.0.0.1:${m.port}/metrics`;
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong!' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 's3cret' } })).status).toBe(401);
    // Unauthorised requests learn nothing, not even which paths exist.
    expect((await fetch(`http://127.0.0.1:${m.port}/nothing`)).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: 'Bearer s3cret' } });
    expect(ok.status).toBe(200);
    expect(parseMetrics(await ok.text()).types.get('switchboard_scheduler_spawns_total')).toBe('counter');
    await m.close();
    await m.close();
  });

  it('a port in use rejects with the listen error', async () => {
    node = new LocalNode();
    const m = await startMetricsServer(node);
    await expect(startMetricsServer(node, { port: m.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await m.close();
  });

  it('loopback hosts are accepted without a token', async () => {
    node = new LocalNode();
    const m = await startMetricsServer(node, { host: 'localhost' });
    expect(m.url).toBe(`http://localhost:${m.port}/metrics`);
    await m.close();
  });
});

describe('metrics options', () => {
  it('refuses bad options with exact messages', async () => {
    node = new LocalNode();
    const n = node;
    const cases: [object, string, string][] = [
      [{ port: -1 }, 'port', 'startMetricsServer: option "port" must be an integer from 0 to 65535'],
      [{ port: 70000 }, 'port', 'startMetricsServer: option "port" must be an integer from 0 to 65535'],
      [{ host: '' }, 'host', 'startMetricsServer: option "host" must be a non-empty string'],
      [{ path: 'metrics' }, 'path', 'startMetricsServer: option "path" must be a URL path starting with "/" (no spaces, "?" or "#")'],
      [{ prefix: '9x' }, 'prefix', 'startMetricsServer: option "prefix" must be "" or a metric name prefix matching [a-zA-Z_:][a-zA-Z0-9_:]*'],
      [{ intervalMs: 1.5 }, 'intervalMs', 'startMetricsServer: option "intervalMs" must be a non-negative integer'],
      [{ token: '' }, 'token', 'startMetricsServer: option "token" must be a non-empty string'],
      [{ colour: 'red' }, 'colour', 'startMetricsServer: unknown option "colour"'],
    ];
    for (const [opts, option, message] of cases) {
      const e = await refusalOf(startMetricsServer(n, opts));
      expect([e.option, e.message]).toEqual([option, message]);
    }
    const bad = refusal(() => metricsRegistry(n, { prefix: 'a-b' }));
    expect([bad.option, bad.message]).toEqual(['prefix', 'metricsRegistry: option "prefix" must be "" or a metric name prefix matching [a-zA-Z_:][a-zA-Z0-9_:]*']);
    expect(refusal(() => metricsRegistry(n, { port: 1 } as never)).message).toBe('metricsRegistry: unknown option "port"');
    expect(refusal(() => metricsRegistry(n, 'x' as never)).message).toBe('metricsRegistry: options must be an object');
    expect(() => metricsRegistry({} as never)).toThrow(new BadArgError('metricsRegistry: node must be a Switchboard Node'));
  });

  it('metricsRegistry serves embedders: the text format, an empty prefix, snapshots reused within intervalMs', async () => {
    node = new LocalNode();
    const r = metricsRegistry(node, { prefix: '', intervalMs: 60_000 });
    const first = parseMetrics(await r.metrics());
    expect(first.types.get('scheduler_spawns_total')).toBe('counter');
    const spawns = first.samples.find((s) => s.name === 'scheduler_spawns_total')!.value;
    node.scheduler.spawn({ handle: (_m: unknown, s: unknown) => s });
    // Within intervalMs the same snapshot answers...
    expect(parseMetrics(await r.metrics()).samples.find((s) => s.name === 'scheduler_spawns_total')!.value).toBe(spawns);
    // ...while a registry without an interval reads the node at every scrape.
    const live = parseMetrics(await metricsRegistry(node, { prefix: '' }).metrics());
    expect(live.samples.find((s) => s.name === 'scheduler_spawns_total')!.value).toBe(spawns + 1);
  });
});
