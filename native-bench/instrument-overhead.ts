/**
 * Overhead of reduction counting: the same workloads compiled plainly (types stripped
 * only) and instrumented by src/compiler, timed alternately in one process.
 *
 *   node scripts/run-ts.mjs native-bench/instrument-overhead.ts [--rounds N] [--json]
 *
 * The counter is driven as a scheduler would drive a synchronous handler that overruns its
 * slice: `left` starts at a 4000-reduction slice and the slow path grants 1000 more each
 * time it runs out (the hard limit is lifted so the run is never killed). Each workload is
 * warmed up, then run in alternating rounds; the figure is the median time per call and
 * the ratio of medians (instrumented / plain). Target: <= 1.3x for loop-heavy code.
 */
import { transpile, instrument } from '../src/compiler/instrument.ts';
import { reductions } from '../src/core/reductions.ts';

const workloads = `
// tight numeric loop
export function numeric(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (i * 7) % 13;
  return s;
}
// recursive calls
export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
// array-heavy loops (indexed writes/reads, for-of, and a callback per element)
export function arrays(n: number): number {
  const a: number[] = new Array(n);
  a[0] = 0;
  for (let i = 1; i < n; i++) a[i] = a[i - 1]! + (i & 15);
  let s = 0;
  for (const x of a) s += x & 1023;
  return s + a.filter((x) => (x & 3) === 0).length;
}
`;

type Mod = { numeric(n: number): number; fib(n: number): number; arrays(n: number): number };

async function load(code: string): Promise<Mod> {
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Mod;
}

function parseArgs(argv: string[]) {
  const i = argv.indexOf('--rounds');
  return { rounds: i >= 0 ? Number(argv[i + 1]) : 21, json: argv.includes('--json') };
}

const { rounds, json } = parseArgs(process.argv.slice(2));
const plain = await load(transpile(workloads, 'workloads.ts').code);
const counted = await load(instrument(workloads, 'workloads.ts').code);

reductions.limit = Number.MAX_SAFE_INTEGER;
reductions.kill = 0;

const cases: Array<{ name: string; run: (m: Mod) => number; reductions: string }> = [
  { name: 'numeric loop (1e6 iterations)', run: (m) => m.numeric(1_000_000), reductions: '1 per iteration' },
  { name: 'recursive fib(25)', run: (m) => m.fib(25), reductions: '1 per call' },
  { name: 'array loops (2e5 elements)', run: (m) => m.arrays(200_000), reductions: '3 per element' },
];

function time(m: Mod, run: (m: Mod) => number): number {
  reductions.left = 4000;
  reductions.overrun = 0;
  reductions.beginMessage();
  const t0 = process.hrtime.bigint();
  const r = run(m);
  const t1 = process.hrtime.bigint();
  if (r !== run(plain)) throw new Error('instrumented and plain results differ');
  return Number(t1 - t0) / 1e6;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

const results = [];
for (const c of cases) {
  for (let w = 0; w < 5; w++) {
    time(plain, c.run);
    time(counted, c.run);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(time(plain, c.run));
    b.push(time(counted, c.run));
  }
  const p = median(a);
  const q = median(b);
  results.push({ workload: c.name, plainMs: +p.toFixed(3), instrumentedMs: +q.toFixed(3), slowdown: +(q / p).toFixed(3) });
}

if (json) {
  console.log(JSON.stringify(results));
} else {
  console.log(`node ${process.version}, ${rounds} alternating rounds, median per call`);
  console.log('workload'.padEnd(32) + 'plain ms'.padStart(10) + 'instr ms'.padStart(10) + 'slowdown'.padStart(10));
  for (const r of results) {
    console.log(
      r.workload.padEnd(32) +
        r.plainMs.toFixed(3).padStart(10) +
        r.instrumentedMs.toFixed(3).padStart(10) +
        `${r.slowdown.toFixed(2)}x`.padStart(10),
    );
  }
}
