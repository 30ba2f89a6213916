/**
 * The Switchboard side of the dist workload never crashes the bench: in a build whose
 * startNode refuses `name`, a run returns no figures and records the reason (the bench
 * prints "dist: Switchboard side unavailable: S1: <error>"), and later runs skip at once;
 * in a build with distribution, a tiny run prints the figures. Uses a free port for epmd.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startNodeTakesName } from '../../native-bench/dist-api.ts';
import { runSwitchboardDist, switchboardDistUnavailable } from '../../native-bench/dist-switchboard.ts';
import { listNames } from '../../src/dist/port-mapper-client.ts';

const skip = process.env.SWITCHBOARD_SKIP_BEAM === '1'; // the epmd binary comes with Erlang/OTP

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const params = { preset: 'quick', messages: 2000, echoes: 200, calls: 200, big_mib: 4, big_count: 1, idle_ms: 50 };

describe.skipIf(skip)('dist workload, Switchboard side', () => {
  it.runIf(!startNodeTakesName())('without distribution: no figures, the reason recorded once, later runs skip', async () => {
    const epmdPort = await freePort();
    expect(await runSwitchboardDist(params, { schedulers: 1, timeoutMs: 30_000, epmdPort })).toEqual([]);
    expect(switchboardDistUnavailable()).toEqual(['S1: startNode: unknown option "name"']);
    await expect(listNames({ host: '127.0.0.1', port: epmdPort, timeoutMs: 500 })).rejects.toThrow();
    const t0 = performance.now();
    expect(await runSwitchboardDist(params, { schedulers: 1, timeoutMs: 30_000, epmdPort })).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(50); // no process started
    expect(switchboardDistUnavailable()).toHaveLength(1);
  }, 60_000);

  it.runIf(startNodeTakesName())('with distribution: a tiny run prints every figure', async () => {
    const epmdPort = await freePort();
    const ms = await runSwitchboardDist(params, { schedulers: 1, timeoutMs: 30_000, epmdPort });
    expect(switchboardDistUnavailable()).toEqual([]);
    const got = ms.map((m) => `${m.variant} ${m.metric}`);
    expect(got).toEqual(expect.arrayContaining(['small_2000 msgs_per_s', 'echo_200 rtt_p50', 'call_200 call_p50', 'call_200 node_call_p50', 'big_4MiB mib_per_s', 'big_4MiB ping_idle_p99']));
    for (const m of ms) expect(Number.isFinite(m.value) && m.value > 0).toBe(true);
    await expect(listNames({ host: '127.0.0.1', port: epmdPort, timeoutMs: 500 })).rejects.toThrow();
  }, 60_000);
});
