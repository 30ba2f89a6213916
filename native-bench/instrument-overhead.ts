/**
 * Overhead of reduction counting: the same workloads compiled plainly (types stripped
 * only) and instrumented by src/compiler, timed alternately in one process.
 *
 *   node scripts/run-ts.mjs native-bench/instrument-overhead.ts [--rounds N] [--json]
 *
 * Two instrumented variants are measured (see `InstrumentOptions.counter`):
 *   - import: the protocol text, checks go through the prologue's import binding `$sbR`;
 *   - global: checks read the global `__switchboardReductions` (same counter object).
 *
 * The counter is driven as a scheduler drives a synchronous handler that overruns its
 * slice: `left` starts at a 4000-reduction slice and the slow path grants 1000 more each
 * time it runs out (the hard limit is lifted so the run is never killed). Each workload is
 * warmed up, then the three builds run in alternating rounds; the figure is the median
 * time per call and the ratio of medians (instrumented / plain). Target: <= 1.3x for
 * loop-heavy code. Expect a few percent of noise between runs on a shared machine.
 */
import { instrument, transpile } from '../src/compiler/instrument.ts';
import { reductions } from '../src/core/reductions.ts';

const workloads = `
// tight numeric loop: ~1 ns of work per iteration, the worst case for a per-iteration check
export function numeric(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (i * 7) % 13;
  return s;
}
// recursive calls: one check per call
export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
// array-heavy loops: indexed writes/reads, for-of, and a callback per element
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
  return { rounds: i >= 0 ? Number(argv[i + 1]) : 41, json: argv.includes('--json') };
}

const { rounds, json } = parseArgs(process.argv.slice(2));
const builds: Array<{ name: string; mod: Mod }> = [
  { name: 'plain', mod: await load(transpile(workloads, 'workloads.ts').code) },
  { name: 'import', mod: await load(instrument(workloads, 'workloads.ts', { counter: 'import' }).code) },
  { name: 'global', mod: await load(instrument(workloads, 'workloads.ts', { counter: 'global' }).code) },
];

reductions.limit = Number.MAX_SAFE_INTEGER;
reductions.kill = 0;

const cases: Array<{ name: string; run: (m: Mod) => number }> = [
  { name: 'numeric loop (1e6 iterations)', run: (m) => m.numeric(1_000_000) },
  { name: 'recursive fib(25)', run: (m) => m.fib(25) },
  { name: 'array loops (2e5 elements)', run: (m) => m.arrays(200_000) },
];

function time(m: Mod, run: (m: Mod) => number): [number, number, number] {
  reductions.left = 4000;
  reductions.overrun = 0;
  reductions.beginMessage();
  const t0 = process.hrtime.bigint();
  const r = run(m);
  const t1 = process.hrtime.bigint();
  return [Number(t1 - t0) / 1e6, r, reductions.spent(4000)];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

const results: Array<Record<string, string | number>> = [];
for (const c of cases) {
  const times = builds.map(() => [] as number[]);
  let expected: number | undefined;
  let spent = 0;
  for (let r = -5; r < rounds; r++) {
    builds.forEach((b, i) => {
      const [ms, value, red] = time(b.mod, c.run);
      expected ??= value;
      if (value !== expected) throw new Error(`${b.name} computed ${value}, expected ${expected}`);
      if (b.name === 'import') spent = red;
      if (r >= 0) times[i]!.push(ms);
    });
  }
  const med = times.map(median);
  results.push({
    workload: c.name,
    reductions: spent,
    plainMs: +med[0]!.toFixed(3),
    importMs: +med[1]!.toFixed(3),
    globalMs: +med[2]!.toFixed(3),
    importSlowdown: +(med[1]! / med[0]!).toFixed(3),
    globalSlowdown: +(med[2]! / med[0]!).toFixed(3),
  });
}

if (json) {
  console.log(JSON.stringify(results));
} else {
  console.log(`node ${process.version}, ${rounds} alternating rounds after 5 warm-up rounds, median per call`);
  console.log(
    'workload'.padEnd(31) +
      'reductions'.padStart(11) +
      'plain ms'.padStart(10) +
      'import ms'.padStart(11) +
      'x'.padStart(7) +
      'global ms'.padStart(11) +
      'x'.padStart(7),
  );
  for (const r of results) {
    console.log(
      String(r.workload).padEnd(31) +
        String(r.reductions).padStart(11) +
        Number(r.plainMs).toFixed(3).padStart(10) +
        Number(r.importMs).toFixed(3).padStart(11) +
        `${Number(r.importSlowdown).toFixed(2)}`.padStart(7) +
        Number(r.globalMs).toFixed(3).padStart(11) +
        `${Number(r.globalSlowdown).toFixed(2)}`.padStart(7),
    );
  }
}
