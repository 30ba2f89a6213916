import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from './support/node-cluster.ts';

// A node whose node thread is blocked (or, on a threaded node, whose scheduler threads are
// all busy, so its rings to them fill up: distribution.ts holdInput) stops reading its
// sockets once what waits for the node thread passes maxUnsentBytes (io-service.ts step
// 8c): its memory stays bounded, the pushback reaches the sender through TCP (its
// connection goes busy and holds the sending actor), the silence while paused is not
// taken for a dead peer, and once the node catches up every message arrives.

const kFixture = 'test/dist/fixtures/pushback-node.ts';
const kMiB = 1024 * 1024;

describe.each([
  { kind: 'a blocked node thread (schedulers: 0)', schedulers: 0 },
  { kind: 'busy scheduler threads (schedulers: 2, main thread free)', schedulers: 2 },
])('inbound pushback: $kind', ({ schedulers }) => {
  it('bounds the backlog, holds the sender, loses nothing and sees no nodedown', async () => {
    const limit = 8 * kMiB;
    const { nodes: { a, b } } = await startCluster(['a', 'b'], {
      tickTimeMs: 1500,
      per: { a: { dist: { maxUnsentBytes: limit } }, b: { schedulers, dist: { maxUnsentBytes: limit } } },
    });
    const count = 48;
    const size = kMiB;
    await b!.request({ cmd: 'run', module: kFixture, export: 'startSink', args: [count] });
    await a!.request({ cmd: 'connect', node: fullName('b') });

    // For 3 s, twice the tick time, b's actors cannot run.
    const busy = schedulers === 0
      ? b!.request({ cmd: 'block', ms: 3000 }, 20_000)
      : b!.request({ cmd: 'run', module: kFixture, export: 'spinSchedulers', args: [3000] }, 20_000);
    await b!.events.waitFor((e) => e.event === 'blocking' || (e.event === 'custom' && e.name === 'spinning'), 5000, 'b busy');
    await a!.request({ cmd: 'run', module: kFixture, export: 'flood', args: [fullName('b'), count, size] });
    await busy;

    await a!.events.waitFor((e) => e.event === 'message' && (e.msg as { flooded?: boolean }).flooded === true, 30_000, 'the end of the flood');
    const sunk = await b!.events.waitFor((e) => e.event === 'message' && (e.msg as { sunk?: unknown }).sunk !== undefined, 30_000, 'every message at the sink');
    expect(sunk).toEqual({ event: 'message', msg: { sunk: { messages: count, bytes: count * size } } });

    const bc = await b!.request<{ io: { inputPauses: number; peakBacklogBytes: number; tickTimeouts: number }; inputHolds: number }>({ cmd: 'run', module: kFixture, export: 'counters' });
    const ac = await a!.request<{ busyEvents: number }>({ cmd: 'run', module: kFixture, export: 'counters' });
    // At most one more message and one more socket chunk than the bound.
    expect(bc.io.peakBacklogBytes).toBeLessThanOrEqual(limit + size + 256 * 1024);
    expect(bc.io.inputPauses).toBeGreaterThanOrEqual(1);
    if (schedulers > 0) expect(bc.inputHolds).toBeGreaterThanOrEqual(1);
    expect(bc.io.tickTimeouts).toBe(0);
    expect(ac.busyEvents).toBeGreaterThanOrEqual(1);
    expect(a!.events.filter((e) => e.event === 'nodedown')).toEqual([]);
    expect(b!.events.filter((e) => e.event === 'nodedown')).toEqual([]);
  }, 60_000);
});
