import { afterEach, describe, expect, it } from 'vitest';
import { kInConnectFailed, kInNodeDown, kInNodeUp } from '../../src/dist/io-protocol.ts';
import { freePort } from './fixtures/free-port.ts';
import { startSide, stopAll, testConfig, type NodeSide } from './fixtures/io-host-helpers.ts';

let sides: NodeSide[] = [];
afterEach(async () => {
  await stopAll(sides);
  sides = [];
});

describe('connections: two nodes connecting to each other at once end with one connection', () => {
  it('keeps exactly one connection, one nodeup per side and no failure, over many rounds', async () => {
    const pm = await freePort();
    const a = await startSide(testConfig('a@127.0.0.1', pm));
    sides.push(a);
    const b = await startSide(testConfig('b@127.0.0.1', pm));
    sides.push(b);
    for (let round = 0; round < 10; round++) {
      const fromA = a.records.length;
      const fromB = b.records.length;
      a.connect('b@127.0.0.1');
      b.connect('a@127.0.0.1');
      const [upB, upA] = await Promise.all([a.waitFor((r) => r.kind === kInNodeUp, fromA), b.waitFor((r) => r.kind === kInNodeUp, fromB)]);
      const [sa, sb] = await Promise.all([a.host.stats(), b.host.stats()]);
      expect(sa.connections.map((c) => c.name)).toEqual(['b@127.0.0.1']);
      expect(sb.connections.map((c) => c.name)).toEqual(['a@127.0.0.1']);
      expect(a.records.slice(fromA).filter((r) => r.kind === kInConnectFailed).map((r) => r.json)).toEqual([]);
      expect(b.records.slice(fromB).filter((r) => r.kind === kInConnectFailed).map((r) => r.json)).toEqual([]);
      // Take it down again for the next round (from A: B sees 'closed').
      a.host.link.write(4 /* kOutDisconnect */, upB.conn, 0, new Uint8Array(0));
      a.host.link.flush();
      await Promise.all([a.nodeDown('b@127.0.0.1', fromA), b.nodeDown('a@127.0.0.1', fromB)]);
      expect(a.records.slice(fromA).filter((r) => r.kind === kInNodeUp)).toHaveLength(1);
      expect(b.records.slice(fromB).filter((r) => r.kind === kInNodeUp)).toHaveLength(1);
      expect(b.records.slice(fromB).filter((r) => r.kind === kInNodeDown)).toHaveLength(1);
      expect(upA.json!.name).toBe('a@127.0.0.1');
    }
  });
});
