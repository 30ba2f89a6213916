/**
 * A/B of the one-thread ring path (ring-path-harness.ts) between two source trees, in ONE
 * process: both trees' endpoint, layout, ring and codec modules are loaded side by side, and
 * runs alternate A, B, A, B ... per message kind, so a loaded machine disturbs both alike.
 *
 *   node scripts/run-ts.mjs native-bench/ring-path-ab.ts before=<tree> after=<tree> [runs=7] [n=500000] [only=<name prefix>]
 *
 * Prints, per message kind, CPU ns per record of each tree (min / median / max) and
 * before/after of the medians and of the minima (> 1: after is faster).
 */
import { resolve } from 'node:path';
import { loadRingPath, stats, subjects } from './ring-path-harness.ts';

const kv = new Map(process.argv.slice(2).map((a) => a.split('=') as [string, string]));
const before = resolve(kv.get('before') ?? '.', 'src');
const after = resolve(kv.get('after') ?? '.', 'src');
const runs = Number(kv.get('runs') ?? 7);
const n = Number(kv.get('n') ?? 500_000);
const only = kv.get('only');

const A = await loadRingPath(before);
const B = await loadRingPath(after);
const subjA = subjects(A.pid);
const subjB = subjects(B.pid);
console.log(`ring path A/B, ${runs} alternating runs of ${n} records, before=${before} after=${after}`);
console.log('message'.padEnd(24) + 'before min/med/max'.padStart(24) + 'after min/med/max'.padStart(24) + '   ratio med   ratio min');
for (let k = 0; k < subjA.length; k++) {
  const [name, makeA] = subjA[k]!;
  const makeB = subjB[k]![1];
  if (only !== undefined && !name.startsWith(only)) continue;
  A.run(makeA, n);
  B.run(makeB, n);
  const xa: number[] = [];
  const xb: number[] = [];
  for (let r = 0; r < runs; r++) {
    xa.push(A.run(makeA, n));
    xb.push(B.run(makeB, n));
  }
  const a = stats(xa);
  const b = stats(xb);
  const f = (s: { min: number; median: number; max: number }): string => `${s.min.toFixed(0)}/${s.median.toFixed(0)}/${s.max.toFixed(0)}`;
  console.log(name.padEnd(24) + f(a).padStart(24) + f(b).padStart(24) + `${(a.median / b.median).toFixed(2)}x`.padStart(12) + `${(a.min / b.min).toFixed(2)}x`.padStart(12));
}
