import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEAM_WORKLOADS, beamAvailable, compileBeam, runBeamWorkload, type BeamMetric } from '../../native-bench/beam.ts';

// SWITCHBOARD_SKIP_BEAM=1 skips these tests; otherwise a machine without
// Erlang/OTP fails them, so a missing BEAM is never mistaken for a pass.
const skipBeam = process.env.SWITCHBOARD_SKIP_BEAM === '1';
const info = skipBeam ? { available: false } : await beamAvailable();

const INSTALL_HINT =
  'Erlang/OTP (`erl`, `erlc`) was not found on PATH. The native benchmarks compare Switchboard ' +
  'with the BEAM and need it: install it with `apt-get install erlang-nox` (Debian/Ubuntu), ' +
  'or set SWITCHBOARD_SKIP_BEAM=1 to skip these tests.';

function find(metrics: BeamMetric[], variant: string, metric: string): BeamMetric {
  const m = metrics.find((x) => x.variant === variant && x.metric === metric);
  if (!m) throw new Error(`no ${variant}/${metric} in ${JSON.stringify(metrics)}`);
  return m;
}

describe.skipIf(skipBeam)('BEAM workloads (native-bench/erlang)', () => {
  if (!info.available) {
    it('needs Erlang/OTP installed', () => {
      expect.fail(INSTALL_HINT);
    });
    return;
  }

  let ebin = '';
  beforeAll(async () => {
    ebin = mkdtempSync(path.join(tmpdir(), 'sb-ebin-'));
    await compileBeam(ebin);
  }, 60_000);
  afterAll(() => {
    if (ebin) rmSync(ebin, { recursive: true, force: true });
  });

  it('reports the OTP release', () => {
    expect(info.otpRelease).toMatch(/^\d+/);
    expect(info.erts).toMatch(/^\d+\./);
  });

  for (const schedulers of [1, 2]) {
    it(`skynet: a 10-ary tree of 100,000 leaves sums to n(n-1)/2 (+S ${schedulers})`, async () => {
      const n = 100_000;
      const metrics = await runBeamWorkload('skynet', { leaves: n, branch: 10 }, { schedulers, timeoutMs: 15_000, ebinDir: ebin });
      const check = find(metrics, '100000x10', 'check');
      expect(check.value).toBe((n * (n - 1)) / 2);
      expect(check.extra.expected).toBe((n * (n - 1)) / 2);
      expect(check.better).toBe('equal');
      expect(check.schedulers).toBe(schedulers);
      const ms = find(metrics, '100000x10', 'ms');
      expect(ms.value).toBeGreaterThan(0);
      expect(ms.extra.processes).toBe(111_111);
    });

    it(`ring: quick sizes complete with a positive ns_per_hop (+S ${schedulers})`, async () => {
      const metrics = await runBeamWorkload('ring', { preset: 'quick' }, { schedulers, timeoutMs: 15_000, ebinDir: ebin });
      expect(metrics.map((m) => m.variant)).toEqual(['1000x100', '10000x10']);
      for (const m of metrics) {
        expect(m.workload).toBe('ring');
        expect(m.metric).toBe('ns_per_hop');
        expect(m.unit).toBe('ns');
        expect(m.better).toBe('lower');
        expect(m.schedulers).toBe(schedulers);
        expect(m.value).toBeGreaterThan(0);
        expect(Number.isFinite(m.value)).toBe(true);
      }
    });
  }

  // Every workload's quick preset, once, so a broken module is caught here and
  // not in the middle of a 20-minute full benchmark.
  for (const workload of BEAM_WORKLOADS) {
    it(`${workload}: quick preset prints finite metrics (+S 2)`, async () => {
      const metrics = await runBeamWorkload(workload, { preset: 'quick' }, { schedulers: 2, timeoutMs: 15_000, ebinDir: ebin });
      expect(metrics.length).toBeGreaterThan(0);
      for (const m of metrics) {
        expect(m.workload).toBe(workload);
        expect(Number.isFinite(m.value)).toBe(true);
        expect(m.value).toBeGreaterThanOrEqual(0);
      }
    });
  }

  it('rejects with the driver error for a bad parameter', async () => {
    await expect(
      runBeamWorkload('ring', { lapz: 3 }, { schedulers: 1, timeoutMs: 10_000, ebinDir: ebin }),
    ).rejects.toThrow(/unknown parameter lapz/);
  });

  it('the driver watchdog bounds a run', async () => {
    await expect(
      runBeamWorkload('ring', { actors: 1000, laps: 1_000_000 }, { schedulers: 1, timeoutMs: 300, ebinDir: ebin }),
    ).rejects.toThrow(/watchdog: timeout after 300 ms/);
  });
});
