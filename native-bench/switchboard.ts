/**
 * The Switchboard half of the benchmark suite: run one workload of
 * native-bench/switchboard/driver.ts in a fresh Node.js process (so every run starts
 * with a clean heap, as every BEAM run starts a fresh `erl`) and collect its metrics.
 */
import { fileURLToPath } from 'node:url';
import { runMetricsChild } from './child-metrics.ts';
import { toMetric, type BeamMetric } from './beam.ts';

const RUN_TS = fileURLToPath(new URL('../scripts/run-ts.mjs', import.meta.url));
const DRIVER = fileURLToPath(new URL('./switchboard/driver.ts', import.meta.url));

export type BenchMetric = BeamMetric;

/**
 * Scheduler counts the Switchboard driver runs: 1 is one in-thread scheduler
 * (switchboard/workloads.ts), more are worker-thread schedulers of a ThreadedNode
 * (switchboard/threaded-workloads.ts).
 */
export const switchboardSchedulerCounts: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8];

export function runSwitchboardWorkload(
  workload: string,
  params: Record<string, number | string>,
  opts: { schedulers: number; timeoutMs: number },
): Promise<BenchMetric[]> {
  const kv = Object.entries(params).map(([k, v]) => `${k}=${String(v)}`);
  kv.push(`schedulers=${opts.schedulers}`, `timeout_ms=${opts.timeoutMs}`);
  return runMetricsChild<BenchMetric>({
    cmd: process.execPath,
    args: ['--expose-gc', '--max-old-space-size=8192', RUN_TS, DRIVER, workload, ...kv],
    killAfterMs: opts.timeoutMs + 5000,
    label: `Switchboard workload ${workload} (schedulers ${opts.schedulers})`,
    notFound: 'node not found',
    parse: toMetric,
  });
}
