/**
 * The Switchboard side of the dist workload: a tiny run (two node processes through a
 * real epmd on a free port) prints every figure, and leaves no epmd behind.
 */
import { describe, expect, it } from 'vitest';
import { runSwitchboardDist, switchboardDistUnavailable } from '../../native-bench/dist-switchboard.ts';
import { listNames } from '../../src/dist/port-mapper-client.ts';
import { freePort } from '../dist/fixtures/free-port.ts';

const skip = process.env.SWITCHBOARD_SKIP_BEAM === '1'; // the epmd binary comes with Erlang/OTP


const params = { preset: 'quick', messages: 2000, echoes: 200, calls: 200, big_mib: 4, big_count: 1, idle_ms: 50 };

describe.skipIf(skip)('dist workload, Switchboard side', () => {
  it('a tiny run prints every figure', async () => {
    const epmdPort = await freePort();
    const ms = await runSwitchboardDist(params, { schedulers: 1, timeoutMs: 30_000, epmdPort });
    expect(switchboardDistUnavailable()).toEqual([]);
    const got = ms.map((m) => `${m.variant} ${m.metric}`);
    expect(got).toEqual(expect.arrayContaining(['small_2000 msgs_per_s', 'echo_200 rtt_p50', 'call_200 call_p50', 'call_200 node_call_p50', 'big_4MiB mib_per_s', 'big_4MiB ping_idle_p99']));
    for (const m of ms) expect(Number.isFinite(m.value) && m.value > 0).toBe(true);
    await expect(listNames({ host: '127.0.0.1', port: epmdPort, timeoutMs: 500 })).rejects.toThrow();
  }, 60_000);
});
