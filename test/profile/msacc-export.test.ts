import { afterEach, describe, expect, it } from 'vitest';
import type { MicrostateReport } from '../../src/core/microstate.ts';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { metricTable } from '../../src/profile/metrics/metric-table.ts';
import { microstateShares } from '../../src/profile/msacc/shares.ts';
import { msaccLine } from '../../src/profile/top/render.ts';
import { Spinner } from './fixtures/trace-actors.ts';
import { waitSamples } from './fixtures/msacc-actors.ts';

// The microstates as `switchboard top` and the metrics export show them: per-state ms sum
// to the sampled wall time, top's msacc line gives the interval's shares (mostly actor for
// a busy node), and switchboard_scheduler_msacc_seconds_total has one sample per state
// (and gc) per scheduler, equal to the report's ms.

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

describe('msacc: top line and metrics', () => {
  it('a busy LocalNode: shares, the top line, the metric samples', async () => {
    node = await startNode({ schedulers: 0 });
    const n = node;
    const read = (): MicrostateReport => n.stats().schedulers[0]!['msacc'] as MicrostateReport;
    const p = await n.spawn(Spinner, [2000]);
    n.send(p, 'tick');
    const a = await waitSamples(read, read(), 20);
    const b = await waitSamples(read, a, 200);
    const sum = Object.values(b.ms).reduce((x, y) => x + y, 0);
    expect(sum).toBeCloseTo(b.elapsedMs, 3);
    const shares = microstateShares(a, b)!;
    expect(shares.samples).toBe(b.samples - a.samples);
    expect(shares.shares.actor).toBeGreaterThan(0.5);
    expect(msaccLine(shares)).toMatch(/^ {6}msacc actor \d+% codec \d+% ring \d+% timers \d+% house \d+% spin \d+% park \d+% idle \d+% {2}gc \d+ms$/);
    const spec = metricTable.find((m) => m.name === 'scheduler_msacc_seconds_total')!;
    expect(spec.kind).toBe('counter');
    const stats = n.stats();
    const samples = spec.read({ name: 'x', stats, processes: null, registered: null, io: null, connections: [] });
    const m = stats.schedulers[0]!['msacc'] as MicrostateReport;
    expect(samples.map((s) => s.labels['state'])).toEqual(['idle', 'actor', 'codec', 'ring', 'timers', 'housekeeping', 'spin', 'parked', 'gc']);
    expect(samples.find((s) => s.labels['state'] === 'actor')!.value).toBeCloseTo(m.ms.actor / 1000, 9);
    expect(samples.every((s) => s.labels['scheduler'] === '0')).toBe(true);
  }, 20_000);
});
