import { afterEach, describe, expect, it } from 'vitest';
import { kInConnectFailed, kInNodeUp } from '../../src/dist/io-protocol.ts';
import { freePort } from './fixtures/free-port.ts';
import { startSide, stopAll, testConfig, type NodeSide } from './fixtures/io-host-helpers.ts';

let sides: NodeSide[] = [];
afterEach(async () => {
  await stopAll(sides);
  sides = [];
});

describe('io thread: a connect brings the connection up on both sides', () => {
  it('registers both nodes in an embedded port mapper, connects, and reports nodeup both ways', async () => {
    const pm = await freePort();
    const a = await startSide(testConfig('a@127.0.0.1', pm));
    sides.push(a);
    const b = await startSide(testConfig('b@127.0.0.1', pm));
    sides.push(b);
    expect(a.host.listenPort).toBeGreaterThan(0);
    expect(a.host.creation).toBeGreaterThan(0);
    a.connect('b@127.0.0.1');
    const [upB, upA] = await Promise.all([a.nodeUp('b@127.0.0.1'), b.nodeUp('a@127.0.0.1')]);
    expect(upB.json).toMatchObject({ name: 'b@127.0.0.1', creation: b.host.creation, hidden: false });
    expect(upA.json).toMatchObject({ name: 'a@127.0.0.1', creation: a.host.creation, hidden: false });
    expect(upB.conn).toBeGreaterThan(0);
    const stats = await a.host.stats();
    expect(stats.connections.map((c) => c.name)).toEqual(['b@127.0.0.1']);
    expect(stats.connected).toBe(1);
    expect((await b.host.stats()).accepted).toBe(1);
    // A second connect to a name that is up starts nothing and answers nothing more. The
    // records are handled in order: once the failure of a later connect is back, the
    // second connect to b was handled too.
    a.connect('b@127.0.0.1', false);
    const probe = a.connect('nobody@127.0.0.1');
    await a.waitFor((r) => r.kind === kInConnectFailed && r.conn === probe);
    const after = await a.host.stats();
    expect([after.connections.length, after.pendingSetups, after.connected]).toEqual([1, 0, 1]);
    expect(a.count(kInNodeUp)).toBe(1);
    expect(a.count(kInConnectFailed)).toBe(1);
  });
});
