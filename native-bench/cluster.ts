/**
 * `npm run bench:cluster` — the cluster services' figures (issue 13), one script after the
 * other, never two at once (each starts its own node processes and would disturb the other).
 *
 *   npm run bench:cluster [-- <part> ...]     parts: global, pg, dist-app, leader, delivery
 *
 * Protocol:
 *   1. Find the figure scripts native-bench/cluster-<part>.ts (the parts asked for, else all).
 *   2. Run each as its own process (scripts/run-ts.mjs), bounded in time, its output passed
 *      through as it comes; each script prints its figures with min / median / max.
 *   3. Exit non-zero if any script failed or ran out of time, naming it.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../', import.meta.url));
const kDeadlineMs = 5 * 60_000;

const available = readdirSync(here)
  .map((f) => /^cluster-(.+)\.ts$/.exec(f)?.[1])
  .filter((p): p is string => p !== undefined)
  .sort();
const asked = process.argv.slice(2);
for (const p of asked) {
  if (!available.includes(p)) {
    process.stderr.write(`bench:cluster: no figure script for "${p}" (have: ${available.join(', ') || 'none'})\n`);
    process.exit(2);
  }
}
const parts = asked.length > 0 ? asked : available;

function runPart(part: string): Promise<number | string> {
  return new Promise((resolve) => {
    process.stdout.write(`\n== cluster: ${part} ==\n`);
    const child = spawn(process.execPath, ['scripts/run-ts.mjs', `native-bench/cluster-${part}.ts`], { cwd: root, stdio: 'inherit' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(`ran past ${kDeadlineMs / 1000} s`);
    }, kDeadlineMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? `killed by ${signal}`);
    });
  });
}

const failed: string[] = [];
for (const part of parts) {
  const r = await runPart(part);
  if (r !== 0) failed.push(`${part} (${r})`);
}
if (failed.length > 0) {
  process.stderr.write(`bench:cluster: failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
