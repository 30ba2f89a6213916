/**
 * Micro-benchmark of one message's whole ring path, in one thread (ring-path-harness.ts):
 * endpoint A emits MSG records (header words + the value, encoded in place in the ring),
 * flushes (one tail store per batch), endpoint B drains them (one head store per batch) and
 * decodes each value. No scheduler and no second thread, so the figure is the per-record
 * cost of the ring protocol and the codec alone.
 *
 *   node scripts/run-ts.mjs native-bench/micro-ring-path.ts [--n <records per run>] [--runs <k>] [--only <name prefix>]
 *
 * Prints CPU ns per record (process CPU time, not wall time, so that waiting for a core on a
 * loaded machine does not count; min / median / max over the runs) for a small integer, a
 * float, a short string, `{ n: i }` (the message of threads-bench.ts) and
 * `{ from: pid, n, tag }`. To compare two trees, ring-path-ab.ts alternates them in one process.
 */
import { fileURLToPath } from 'node:url';
import { loadRingPath, stats, subjects } from './ring-path-harness.ts';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('--n', 2_000_000);
const runs = arg('--runs', 5);
const only = process.argv.indexOf('--only');

const { run, pid } = await loadRingPath(fileURLToPath(new URL('../src', import.meta.url)));
console.log(`ring path (emit + flush + drain + decode, one thread), ${N} records per run, ${runs} runs, node ${process.version}`);
console.log('message'.padEnd(24) + 'min'.padStart(10) + 'median'.padStart(10) + 'max'.padStart(10) + '  CPU ns/record');
for (const [name, make] of subjects(pid)) {
  if (only > 0 && !name.startsWith(process.argv[only + 1]!)) continue;
  run(make, N); // warm-up
  const xs: number[] = [];
  for (let r = 0; r < runs; r++) xs.push(run(make, N));
  const s = stats(xs);
  console.log(name.padEnd(24) + s.min.toFixed(1).padStart(10) + s.median.toFixed(1).padStart(10) + s.max.toFixed(1).padStart(10));
}
