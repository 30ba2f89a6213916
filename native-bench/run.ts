/**
 * `npm run bench` — the main job: millions-of-actors workloads, Switchboard and the BEAM
 * side by side on this machine.
 *
 *   npm run bench [-- --quick] [--only <regex>] [--runs N] [--schedulers 1,2] [--no-beam]
 *
 * `--quick` is a smoke run: small sizes, one run, every workload checked to run and to
 * agree. Its ratios mean nothing (V8 does not warm up at those sizes: side by side, quick
 * and full disagree on which side is ahead), and its output says so.
 *
 * Protocol:
 *   1. Look for Erlang (`erl`). Missing: say how to get it (apt-get install erlang-nox) and
 *      run the Switchboard side alone. Nothing is installed silently.
 *   2. Compile the Erlang workloads (native-bench/.ebin).
 *   3. For each workload and scheduler count, run the two sides interleaved A B A B, each
 *      run a fresh process bounded in time, `--runs` times (3 full, 1 quick).
 *   4. Take the median of each figure, with its min and max over the runs; compute ratios
 *      (report.ts says how). Progress (stderr) shows the elapsed time and what remains.
 *   5. Print the table; write native-bench/results/<timestamp>.{json,md,svg} and
 *      latest.{json,md,svg} (a --quick or --only run writes them under results/tmp/ instead).
 *
 * The dist workload (`--only dist`) runs two node processes per side instead of one
 * (dist-beam.ts, dist-switchboard.ts) and adds a section with spreads and the issue 11
 * targets (dist-report.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { beamAvailable, compileBeam, runBeamWorkload, BEAM_WORKLOADS } from './beam.ts';
import { runSwitchboardWorkload, switchboardSchedulerCounts, type BenchMetric } from './switchboard.ts';
import { kQuickWarning, minMax, ratioOf, renderMarkdown, renderSvg, renderTable, type FigureRecord, type Report } from './report.ts';
import { runBeamDist } from './dist-beam.ts';
import { DIST_WORKLOADS, distJson, isDistWorkload, renderDistMarkdown, renderDistText } from './dist-report.ts';
import { runSwitchboardDist, switchboardDistUnavailable } from './dist-switchboard.ts';

const WORKLOADS: readonly string[] = [...BEAM_WORKLOADS, ...DIST_WORKLOADS];

interface Args { quick: boolean; only: RegExp | null; runs: number; schedulers: number[]; beam: boolean }

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, only: null, runs: 0, schedulers: [1, 2], beam: true };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${k} needs a value`);
      return v;
    };
    if (k === '--quick') a.quick = true;
    else if (k === '--only') {
      const v = next();
      try {
        a.only = new RegExp(v);
      } catch {
        usage(`--only: not a regular expression: ${v}`);
      }
    } else if (k === '--runs') {
      a.runs = Number(next());
      if (!Number.isInteger(a.runs) || a.runs < 1 || a.runs > 20) usage('--runs must be an integer from 1 to 20');
    } else if (k === '--schedulers') {
      a.schedulers = next().split(',').map(Number);
      if (a.schedulers.some((n) => !Number.isInteger(n) || n < 1 || n > 64)) usage('--schedulers takes a list like 1,2');
    } else if (k === '--no-beam') a.beam = false;
    else if (k === '--help' || k === '-h') usage(null);
    else usage(`unknown option ${k}`);
  }
  if (a.runs === 0) a.runs = a.quick ? 1 : 3;
  return a;
}

function usage(err: string | null): never {
  const text = 'usage: npm run bench -- [--quick] [--only <regex>] [--runs N] [--schedulers 1,2] [--no-beam]\n';
  if (err) {
    process.stderr.write(`bench: ${err}\n${text}`);
    process.exit(2);
  }
  process.stdout.write(text);
  process.exit(0);
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * One line per finished run: a bar, the count, the elapsed time and an estimate of what
 * remains. The estimate is the mean time per run so far of the same side and scheduler
 * count (a BEAM run and a 2-scheduler run cost differently), times the runs left of each.
 */
class Progress {
  private done = 0;
  private readonly tty = process.stderr.isTTY === true;
  private readonly started = performance.now();
  private last = performance.now();
  /** By kind ("sb S1", "beam S2"): runs done, ms spent, runs left. */
  private readonly kinds = new Map<string, { done: number; ms: number; left: number }>();
  constructor(private readonly total: number, plan: ReadonlyMap<string, number>) {
    for (const [k, n] of plan) this.kinds.set(k, { done: 0, ms: 0, left: n });
  }
  step(kind: string, label: string): void {
    const now = performance.now();
    this.done++;
    const k = this.kinds.get(kind);
    if (k !== undefined) {
      k.done++;
      k.left--;
      k.ms += now - this.last;
    }
    this.last = now;
    const width = 30;
    const filled = Math.round((this.done / this.total) * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} ` +
      `${clock(now - this.started)} elapsed, ~${clock(this.remainingMs())} left  ${label}`;
    if (this.tty) process.stderr.write(`\r\x1b[K${bar}`);
    else process.stderr.write(bar + '\n');
  }
  /** Runs of a kind not seen yet are estimated at the mean of all runs so far. */
  private remainingMs(): number {
    let ms = 0;
    let done = 0;
    for (const k of this.kinds.values()) {
      ms += k.ms;
      done += k.done;
    }
    const overall = done > 0 ? ms / done : 0;
    let left = 0;
    for (const k of this.kinds.values()) left += k.left * (k.done > 0 ? k.ms / k.done : overall);
    return left;
  }
  end(): void {
    if (this.tty) process.stderr.write('\n');
  }
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const preset = args.quick ? 'quick' : 'full';
  const timeoutMs = args.quick ? 60_000 : 300_000;
  const workloads = WORKLOADS.filter((w) => args.only === null || args.only.test(w));
  if (workloads.length === 0) usage(`--only matches no workload (${WORKLOADS.join(', ')})`);

  let info = args.beam ? await beamAvailable() : { available: false };
  if (args.beam && !info.available) {
    process.stderr.write(
      'bench: Erlang/OTP (erl) was not found, so only the Switchboard side runs.\n' +
      '       For the side-by-side report install it:  sudo apt-get install erlang-nox\n',
    );
  }
  if (info.available) {
    try {
      await compileBeam();
    } catch (e) {
      process.stderr.write(`bench: could not compile the Erlang workloads; running Switchboard alone.\n${(e as Error).message}\n`);
      info = { available: false };
    }
  }

  const samples = new Map<string, { m: BenchMetric; sb: number[]; beam: number[] }>();
  const errors: string[] = [];
  const skipped: number[] = [];
  const sides = info.available ? 2 : 1;
  const plan = new Map<string, number>();
  for (const sched of args.schedulers) {
    plan.set(`sb S${sched}`, workloads.length * args.runs);
    if (sides === 2) plan.set(`beam S${sched}`, workloads.length * args.runs);
  }
  const progress = new Progress(workloads.length * args.schedulers.length * args.runs * sides, plan);
  if (args.quick) process.stderr.write(`bench: ${kQuickWarning}\n`);
  const add = (side: 'sb' | 'beam', ms: BenchMetric[], schedulers: number): void => {
    for (const m of ms) {
      const key = `${m.workload}|${m.variant}|${m.metric}|${schedulers}`;
      let e = samples.get(key);
      if (e === undefined) samples.set(key, (e = { m: { ...m, schedulers }, sb: [], beam: [] }));
      e[side].push(m.value);
    }
  };

  for (const w of workloads) {
    const runSb = isDistWorkload(w) ? runSwitchboardDist : (p: Record<string, string>, o: { schedulers: number; timeoutMs: number }) => runSwitchboardWorkload(w, p, o);
    const runBeam = isDistWorkload(w) ? runBeamDist : (p: Record<string, string>, o: { schedulers: number; timeoutMs: number }) => runBeamWorkload(w, p, o);
    for (const s of args.schedulers) {
      for (let run = 0; run < args.runs; run++) {
        if (switchboardSchedulerCounts.includes(s)) {
          try {
            add('sb', await runSb({ preset }, { schedulers: s, timeoutMs }), s);
          } catch (e) {
            errors.push(`Switchboard ${w} S${s}: ${(e as Error).message}`);
          }
        } else if (run === 0 && !skipped.includes(s)) {
          skipped.push(s);
        }
        progress.step(`sb S${s}`, `${w} S${s} Switchboard`);
        if (info.available) {
          try {
            add('beam', await runBeam({ preset }, { schedulers: s, timeoutMs }), s);
          } catch (e) {
            errors.push(`BEAM ${w} S${s}: ${(e as Error).message}`);
          }
          progress.step(`beam S${s}`, `${w} S${s} BEAM`);
        }
      }
    }
  }
  progress.end();

  const records: FigureRecord[] = [];
  for (const { m, sb, beam } of samples.values()) {
    const s = median(sb);
    const b = median(beam);
    const note = typeof m.extra.note === 'string' ? m.extra.note : undefined;
    records.push({
      workload: m.workload, variant: m.variant, schedulers: m.schedulers, metric: m.metric, unit: m.unit,
      switchboard: s, beam: b, ratio: ratioOf(m.better, s, b), better: m.better,
      runs: { switchboard: sb.length, beam: beam.length }, spread: { switchboard: minMax(sb), beam: minMax(beam) },
      ...(note ? { note } : {}),
    });
  }
  const order = (r: FigureRecord): number => WORKLOADS.indexOf(r.workload);
  records.sort((x, y) => order(x) - order(y) || x.schedulers - y.schedulers);

  const cpus = os.cpus();
  const report: Report = {
    createdAt: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`,
    mode: preset,
    machine: { cpus: cpus[0]?.model ?? 'unknown', cores: cpus.length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()}` },
    node: process.version,
    otp: info.available ? (info as { otpRelease?: string }).otpRelease ?? null : null,
    erts: info.available ? (info as { erts?: string }).erts ?? null : null,
    records,
    errors,
    wallSeconds: (performance.now() - started) / 1000,
  };

  process.stdout.write('\n' + renderTable(report) + '\n');
  const distText = renderDistText(samples.values(), switchboardDistUnavailable());
  if (distText !== '') process.stdout.write('\n' + distText);
  for (const s of skipped) {
    process.stdout.write(`\nSwitchboard with ${s} schedulers: not supported by the Switchboard driver (1 to 8); only the BEAM column is filled.\n`);
  }
  if (errors.length > 0) {
    process.stdout.write(`\n${errors.length} run(s) failed:\n`);
    for (const e of errors) process.stdout.write(`- ${e.split('\n').slice(0, 3).join(' | ')}\n`);
  }
  // A full run of every workload is a report worth keeping (results/, committed); a quick or
  // --only run is a smoke run and goes to results/tmp/ (git-ignored), so it never replaces
  // the full report the README shows.
  const sub = args.quick || args.only !== null ? 'results/tmp/' : 'results/';
  const dir = fileURLToPath(new URL(`./${sub}`, import.meta.url));
  await mkdir(dir, { recursive: true });
  const stamp = report.createdAt.replace(/[:.]/g, '-');
  const hasDist = workloads.some(isDistWorkload);
  const json = JSON.stringify(hasDist ? { ...report, dist: distJson(samples.values(), switchboardDistUnavailable()) } : report, null, 2) + '\n';
  const md = renderMarkdown(report) + renderDistMarkdown(samples.values(), switchboardDistUnavailable());
  const svg = renderSvg(report);
  for (const base of [stamp, 'latest']) {
    await writeFile(`${dir}${base}.json`, json);
    await writeFile(`${dir}${base}.md`, md);
    await writeFile(`${dir}${base}.svg`, svg);
  }
  process.stdout.write(`\nwrote native-bench/${sub}${stamp}.{json,md,svg} and latest.{json,md,svg} (${report.wallSeconds.toFixed(0)} s)\n`);
  if (records.length === 0) process.exitCode = 1;
}

await main();
