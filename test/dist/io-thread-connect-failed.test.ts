import { afterEach, describe, expect, it } from 'vitest';
import { kInConnectFailed } from '../../src/dist/io-protocol.ts';
import { freePort } from './fixtures/free-port.ts';
import { startSide, stopAll, testConfig, type NodeSide } from './fixtures/io-host-helpers.ts';

let sides: NodeSide[] = [];
afterEach(async () => {
  await stopAll(sides);
  sides = [];
});

describe('io thread: a connect that cannot succeed answers kInConnectFailed with a typed error', () => {
  it('names the failure: unknown to the port mapper, refused, this node, not a node name', async () => {
    const pm = await freePort();
    const dead = await freePort();
    const a = await startSide(testConfig('a@127.0.0.1', pm, { staticPorts: { 'gone@127.0.0.1': `127.0.0.1:${dead}` } }));
    sides.push(a);
    const failed = (id: number): Promise<Record<string, unknown>> => a.waitFor((r) => r.kind === kInConnectFailed && r.conn === id).then((r) => r.json!);
    const ids = [a.connect('nobody@127.0.0.1'), a.connect('gone@127.0.0.1'), a.connect('a@127.0.0.1'), a.connect('no-at-sign')];
    const [unknown, refused, self, bad] = await Promise.all(ids.map(failed));
    expect(unknown).toEqual({
      name: 'nobody@127.0.0.1',
      error: { name: 'DistConnectError', code: 'ERR_SB_DIST_CONNECT', message: `connect nobody@127.0.0.1: the port mapper at 127.0.0.1:${pm} does not know "nobody"` },
    });
    expect(refused!.error).toMatchObject({ name: 'DistConnectError', code: 'ERR_SB_DIST_CONNECT' });
    expect((refused!.error as { message: string }).message).toMatch(new RegExp(`^connect gone@127\\.0\\.0\\.1: refused at 127\\.0\\.0\\.1:${dead} \\(`));
    expect(self).toEqual({ name: 'a@127.0.0.1', error: { name: 'DistConnectError', code: 'ERR_SB_DIST_CONNECT', message: 'connect: "a@127.0.0.1" is this node' } });
    expect(bad).toEqual({ name: 'no-at-sign', error: { name: 'DistConnectError', code: 'ERR_SB_DIST_CONNECT', message: 'connect: "no-at-sign" is not a node name (name@host)' } });
    // Two requests for one name wait on one attempt and both get the failure.
    // (one batch: the I/O thread sees the second while the first attempt is under way)
    const twice = [a.connect('nobody2@127.0.0.1', false), a.connect('nobody2@127.0.0.1')];
    const both = await Promise.all(twice.map(failed));
    expect(both[0]).toEqual(both[1]);
    expect((await a.host.stats()).connectFailures).toBe(3);
  });

  it('a wrong cookie: both sides refuse, the connecting side gets BadCookieError', async () => {
    const pm = await freePort();
    const a = await startSide(testConfig('a@127.0.0.1', pm));
    sides.push(a);
    const m = await startSide(testConfig('m@127.0.0.1', pm, { cookie: 'not-the-cookie' }));
    sides.push(m);
    const id = m.connect('a@127.0.0.1');
    const failed = await m.waitFor((r) => r.kind === kInConnectFailed && r.conn === id);
    expect(failed.json).toEqual({
      name: 'a@127.0.0.1',
      error: { name: 'BadCookieError', code: 'ERR_SB_HANDSHAKE_BAD_COOKIE', message: 'handshake with a@127.0.0.1 refused: the cookies differ' },
    });
    const sa = await a.host.stats();
    expect([sa.connections, sa.accepted]).toEqual([[], 0]);
  });
});
