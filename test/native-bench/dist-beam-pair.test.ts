/**
 * The BEAM side of the dist workload runs: two erl nodes (separate OS processes) through a
 * real epmd, here on a free port (ERL_EPMD_PORT) so the test never touches 4369; a tiny
 * run prints every figure, and afterwards neither node nor the epmd it started is left.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beamAvailable, compileBeam } from '../../native-bench/beam.ts';
import { runBeamDist } from '../../native-bench/dist-beam.ts';
import { listNames } from '../../src/dist/port-mapper-client.ts';
import { freePort } from '../dist/fixtures/free-port.ts';

const skip = process.env.SWITCHBOARD_SKIP_BEAM === '1';


describe.skipIf(skip)('dist workload, BEAM side', () => {
  let ebin = '';
  beforeAll(async () => {
    if (!(await beamAvailable()).available) throw new Error('erl not found: install Erlang/OTP with `apt-get install erlang-nox` (or set SWITCHBOARD_SKIP_BEAM=1)');
    ebin = mkdtempSync(path.join(tmpdir(), 'sb-ebin-'));
    await compileBeam(ebin);
  }, 120_000);
  afterAll(() => {
    if (ebin) rmSync(ebin, { recursive: true, force: true });
  });

  it('a tiny run prints every figure and leaves no node and no epmd behind', async () => {
    const epmdPort = await freePort();
    const params = { preset: 'quick', messages: 2000, echoes: 200, calls: 200, big_mib: 4, big_count: 1, idle_ms: 50 };
    const ms = await runBeamDist(params, { schedulers: 1, timeoutMs: 30_000, ebinDir: ebin, epmdPort });
    const got = ms.map((m) => `${m.variant} ${m.metric}`);
    expect(got.slice(0, 6)).toEqual([
      'small_2000 msgs_per_s', 'echo_200 rtt_p50', 'echo_200 rtt_p99', 'call_200 call_p50', 'call_200 call_p99', 'big_4MiB mib_per_s',
    ]);
    expect(got).toContain('big_4MiB ping_idle_p99');
    for (const m of ms) {
      expect(m.workload).toBe('dist');
      expect(Number.isFinite(m.value) && m.value > 0).toBe(true);
    }
    expect(ms.find((m) => m.metric === 'msgs_per_s')!.extra.messages).toBe(2000);
    await expect(listNames({ host: '127.0.0.1', port: epmdPort, timeoutMs: 500 })).rejects.toThrow();
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps).not.toContain(`sbbench_beam_b_${process.pid}_`);
    expect(ps).not.toContain(`sbbench_beam_a_${process.pid}_`);
  }, 60_000);
});
