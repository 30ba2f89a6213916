import { afterEach, describe, expect, it } from 'vitest';
import { kOutMessage } from '../../src/dist/io-protocol.ts';
import { freePort } from './fixtures/free-port.ts';
import { startSide, stopAll, testConfig, type NodeSide } from './fixtures/io-host-helpers.ts';

// A connection ticks (every tickTimeMs / 4) only while it has sent nothing since the last
// tick timer: frames already tell the peer it is alive. Idle, it ticks.

let sides: NodeSide[] = [];
afterEach(async () => {
  await stopAll(sides);
  sides = [];
});

const ticksOut = async (s: NodeSide): Promise<number> => (await s.host.stats()).connections[0]!.ticksOut;

describe('connection ticks', () => {
  it('sends none while data flows, and ticks again when idle', async () => {
    const pm = await freePort();
    const a = await startSide(testConfig('a@127.0.0.1', pm, { tickTimeMs: 400 }));
    sides.push(a);
    const b = await startSide(testConfig('b@127.0.0.1', pm, { tickTimeMs: 400 }));
    sides.push(b);
    a.connect('b@127.0.0.1');
    const up = await a.nodeUp('b@127.0.0.1');
    const before = await ticksOut(a);
    // 1 s of traffic, a message every 10 ms (ticks would go every 100 ms).
    for (let i = 0; i < 100; i++) {
      a.host.link.write(kOutMessage, up.conn, 1, new Uint8Array(8));
      a.host.link.flush();
      await new Promise((r) => setTimeout(r, 10));
    }
    const during = (await ticksOut(a)) - before;
    // Without the rule about 10 would go; allow a few for a loaded machine (a late timer).
    expect(during).toBeLessThanOrEqual(3);
    const idleFrom = await ticksOut(a);
    await new Promise((r) => setTimeout(r, 600));
    expect((await ticksOut(a)) - idleFrom).toBeGreaterThanOrEqual(3);
  });
});
