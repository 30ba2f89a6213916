/**
 * The benchmark itself is correct: quick runs of two workloads on both sides agree
 * (skynet computes the same sum on Switchboard and on the BEAM; both rings complete), with
 * one scheduler and with two (Switchboard's worker-thread node, `erl +S 2`).
 * Runs the real `erl`; .ci/run installs erlang-nox when it is missing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beamAvailable, compileBeam, runBeamWorkload } from '../../native-bench/beam.ts';
import { runSwitchboardWorkload } from '../../native-bench/switchboard.ts';

const skip = process.env.SWITCHBOARD_SKIP_BEAM === '1';
const ebinDir = mkdtempSync(path.join(tmpdir(), 'sb-ebin-'));

describe.skipIf(skip)('benchmark sides agree', () => {
  beforeAll(async () => {
    const info = await beamAvailable();
    if (!info.available) throw new Error('erl not found: install Erlang/OTP with `apt-get install erlang-nox` (or set SWITCHBOARD_SKIP_BEAM=1)');
    await compileBeam(ebinDir);
  }, 120_000);

  it.each([1, 2])('skynet: the same sum on both sides (%i schedulers)', async (schedulers) => {
    const params = { preset: 'quick', leaves: 20_000 };
    const sb = await runSwitchboardWorkload('skynet', params, { schedulers, timeoutMs: 60_000 });
    const beam = await runBeamWorkload('skynet', params, { schedulers, timeoutMs: 60_000, ebinDir });
    const sum = (ms: typeof sb) => ms.find((m) => m.metric === 'check')!.value;
    expect(sum(sb)).toBe((20_000 * 19_999) / 2);
    expect(sum(sb)).toBe(sum(beam));
  }, 120_000);

  it.each([1, 2])('ring: both sides complete every variant with a positive figure (%i schedulers)', async (schedulers) => {
    const params = { preset: 'quick', rings: '1000x10,5000x4' };
    const sb = await runSwitchboardWorkload('ring', params, { schedulers, timeoutMs: 60_000 });
    const beam = await runBeamWorkload('ring', params, { schedulers, timeoutMs: 60_000, ebinDir });
    for (const side of [sb, beam]) {
      expect(side.map((m) => m.variant).sort()).toEqual(['1000x10', '5000x4']);
      for (const m of side) expect(m.value).toBeGreaterThan(0);
    }
    expect(sb.map((m) => m.extra.hops)).toEqual(beam.map((m) => m.extra.hops));
  }, 120_000);
});
