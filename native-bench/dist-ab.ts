/**
 * A/B runner for the Switchboard side of the dist workload: the same pair of node
 * processes (dist-node.ts roles b and a) from two source trees, alternating A, B, A, B ...
 * in one sitting, so a loaded machine moves both sides alike; prints min/median/max per
 * tree and figure, and the ratio of the medians (after / before).
 *
 *   node scripts/run-ts.mjs native-bench/dist-ab.ts before=/work/wt-before after=. \
 *        runs=3 schedulers=0,2 [epmd_port=4399] [dist-node params: messages=N echoes=N
 *        calls=N big_mib=N big_count=N ping_ms=N idle_ms=N] [before_env=K=V,K=V after_env=K=V]
 * before_env / after_env: environment variables for that tree's two nodes only (e.g. the
 * same tree twice with SB_DIST_SPIN_US=500 vs 0, to A/B a node option).
 *
 * Protocol:
 *   1. Start (or reuse) a real epmd on epmd_port (dist-epmd.ts; not 4369 by default, so a
 *      run does not meet other benches' nodes).
 *   2. For each run, for each scheduler count, for each tree in turn: runDistPair with that
 *      tree's scripts/run-ts.mjs and native-bench/dist-node.ts (preset quick plus the
 *      params given); collect the metric lines by tree, scheduler count and figure.
 *   3. Print one table row per (schedulers, figure): min/median/max for each tree and
 *      median(after) / median(before); release epmd.
 * No BEAM side here: dist-beam.ts in `npm run bench -- --only dist` is that.
 */
import { resolve } from 'node:path';
import { distNodeNames, freshCookie } from './dist-beam.ts';
import { ensureEpmd } from './dist-epmd.ts';
import { runDistPair } from './dist-pair.ts';

const args: Record<string, string> = {};
for (const a of process.argv.slice(2)) {
  const i = a.indexOf('=');
  if (i <= 0) throw new Error(`dist-ab: bad argument ${a} (expected key=value)`);
  args[a.slice(0, i)] = a.slice(i + 1);
}
const trees: [string, string][] = [['before', resolve(args.before ?? '/work/wt-before')], ['after', resolve(args.after ?? '.')]];
const runs = Number(args.runs ?? 3);
const scheds = (args.schedulers ?? '0,2').split(',').map(Number);
const epmdPort = Number(args.epmd_port ?? 4399);
const timeoutMs = Number(args.timeout_ms ?? 120_000);
const own = new Set(['before', 'after', 'runs', 'schedulers', 'epmd_port', 'timeout_ms', 'before_env', 'after_env']);
const treeEnv = (spec: string | undefined): Record<string, string> =>
  Object.fromEntries((spec ?? '').split(',').filter((kv) => kv !== '').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const envOf: Record<string, Record<string, string>> = { before: treeEnv(args.before_env), after: treeEnv(args.after_env) };
const params = Object.entries(args).filter(([k]) => !own.has(k)).map(([k, v]) => `${k}=${v}`);

const results = new Map<string, number[]>();
const epmd = await ensureEpmd(epmdPort);
try {
  for (let r = 0; r < runs; r++) {
    for (const s of scheds) {
      for (const [label, root] of (r % 2 === 0 ? trees : [...trees].reverse())) {
        const names = distNodeNames(`sbab_${label}`);
        const env = { ...process.env, ...envOf[label], SWITCHBOARD_COOKIE: freshCookie() };
        const common = ['--expose-gc', '--max-old-space-size=8192', `${root}/scripts/run-ts.mjs`, `${root}/native-bench/dist-node.ts`];
        const node = [`schedulers=${s}`, `port_mapper=${epmdPort}`];
        const t0 = performance.now();
        const ms = await runDistPair({
          label: `${label} S${s}`, timeoutMs, epmdPort,
          b: { cmd: process.execPath, args: [...common, 'b', `name=${names.b}`, ...node, `timeout_ms=${timeoutMs + 10_000}`], env, cwd: root, notFound: 'node' },
          a: { cmd: process.execPath, args: [...common, 'a', `name=${names.a}`, `peer=${names.b}`, ...node, 'preset=quick', ...params, `timeout_ms=${timeoutMs}`], env, cwd: root, notFound: 'node' },
        });
        for (const m of ms) {
          const key = `${s}|${m.variant} ${m.metric}|${label}`;
          if (!results.has(key)) results.set(key, []);
          results.get(key)!.push(m.value);
        }
        process.stderr.write(`run ${r + 1}/${runs} S${s} ${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      }
    }
  }
} finally {
  await epmd.release();
}

const fmt = (x: number): string => (x >= 10_000 ? `${(x / 1000).toFixed(1)}k` : x >= 100 ? x.toFixed(0) : x.toFixed(2));
const med = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};
const mmm = (xs: number[] | undefined): string => (xs === undefined ? '—' : `${fmt(med(xs))} [${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}]`);
console.log('| sched | figure | before med [min–max] | after med [min–max] | after/before |');
console.log('|---|---|---:|---:|---:|');
const figures = [...new Set([...results.keys()].map((k) => k.split('|').slice(0, 2).join('|')))];
for (const f of figures) {
  const [s, fig] = f.split('|');
  const b = results.get(`${f}|before`);
  const a = results.get(`${f}|after`);
  const ratio = a && b ? (med(a) / med(b)).toFixed(2) : '—';
  console.log(`| ${s} | ${fig} | ${mmm(b)} | ${mmm(a)} | ${ratio} |`);
}
