/**
 * The BEAM half of the benchmark suite: find Erlang/OTP, compile the workload
 * modules in native-bench/erlang/, and run one workload in a fresh `erl`.
 *
 * Protocol (see native-bench/erlang/sb_bench.erl):
 *   erl -noshell +S <n> +P <limit> -pa <ebin> -run sb_bench main <workload> key=value ...
 * prints one JSON object per line on stdout, one per metric, then halts 0; on
 * failure it prints a line with an "error" field and halts non-zero
 * (1 workload failed, 2 bad arguments, 3 its own watchdog fired).
 *
 * Node 20 built-ins only.
 */
import { execFile } from 'node:child_process';
import { runMetricsChild } from './child-metrics.ts';
import { mkdir, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Directory holding the Erlang sources (sb_bench.erl, sb_<workload>.erl, ...). */
export const ERLANG_SRC_DIR = fileURLToPath(new URL('./erlang/', import.meta.url));
/** Default output directory for compiled .beam files (should be gitignored). */
export const DEFAULT_EBIN_DIR = fileURLToPath(new URL('./.ebin/', import.meta.url));

/** Workload names understood by the driver (aliases such as "ping-pong" also work). */
export const BEAM_WORKLOADS = [
  'spawn',
  'skynet',
  'ring',
  'pingpong',
  'fanin',
  'timers',
  'genserver',
  'fairness',
  'cross_scheduler',
] as const;
export type BeamWorkload = (typeof BEAM_WORKLOADS)[number];

/**
 * Process limit passed as `+P`. The default (262,144) is too small for the
 * 1,000,000-process workloads (spawn, ring 1M x 10, skynet's ~1.1M processes).
 */
export const DEFAULT_PROCESS_LIMIT = 4_194_304;

/** One metric line printed by the driver. */
export interface BeamMetric {
  workload: string;
  variant: string;
  metric: string;
  unit: string;
  value: number;
  /** "equal" marks a correctness check (e.g. skynet's sum), not a performance figure. */
  better: 'lower' | 'higher' | 'equal';
  /** Schedulers online in the run (the +S value). */
  schedulers: number;
  /** Every other field of the line (e.g. expected, note, samples, max_us). */
  extra: Record<string, unknown>;
}

export interface BeamInfo {
  available: boolean;
  /** e.g. "25" */
  otpRelease?: string;
  /** ERTS version, e.g. "13.1.5" */
  erts?: string;
}

export interface RunBeamOptions {
  /** +S: number of schedulers. */
  schedulers: number;
  /**
   * Time limit. Passed to the driver as timeout_ms (its watchdog halts with an
   * error line), and the erl process is killed from here if it is still alive
   * `killGraceMs` later.
   */
  timeoutMs: number;
  /** Where compileBeam put the .beam files. Default: native-bench/.ebin */
  ebinDir?: string;
  /** +P. Default DEFAULT_PROCESS_LIMIT. */
  processLimit?: number;
  /** Extra time given to erl after timeoutMs before it is killed. Default 5000. */
  killGraceMs?: number;
  /** Extra emulator flags placed before -pa (e.g. ['+sbt', 'db']). */
  erlFlags?: string[];
}

interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, env: erlEnv() },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : null) : 0;
        resolve({
          code,
          signal: (error as { signal?: NodeJS.Signals } | null)?.signal ?? null,
          stdout: String(stdout),
          stderr: String(stderr),
          error: error ?? undefined,
        });
      },
    );
  });
}

/** Environment for erl/erlc: no crash dumps in the working directory, no user ERL_FLAGS. */
function erlEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  env.ERL_CRASH_DUMP_SECONDS = '0';
  delete env.ERL_FLAGS;
  delete env.ERL_AFLAGS;
  delete env.ERL_ZFLAGS;
  return env;
}

let availability: Promise<BeamInfo> | undefined;

/**
 * Whether `erl` is on PATH and works, with its OTP release and ERTS version.
 * Never throws; the answer is cached for the life of the process.
 */
export function beamAvailable(): Promise<BeamInfo> {
  availability ??= (async (): Promise<BeamInfo> => {
    try {
      const r = await run(
        'erl',
        [
          '-noshell',
          '-eval',
          'io:format("~s ~s~n", [erlang:system_info(otp_release), erlang:system_info(version)]), halt().',
        ],
        20_000,
      );
      if (r.code !== 0) return { available: false };
      const m = /^(\S+) (\S+)$/m.exec(r.stdout.trim());
      if (!m) return { available: false };
      return { available: true, otpRelease: m[1], erts: m[2] };
    } catch {
      return { available: false };
    }
  })();
  return availability;
}

/** Compile native-bench/erlang/*.erl into outDir (created if needed) with erlc. */
export async function compileBeam(outDir: string = DEFAULT_EBIN_DIR): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const sources = (await readdir(ERLANG_SRC_DIR))
    .filter((f) => f.endsWith('.erl'))
    .sort()
    .map((f) => path.join(ERLANG_SRC_DIR, f));
  if (sources.length === 0) throw new Error(`compileBeam: no .erl files in ${ERLANG_SRC_DIR}`);
  const r = await run('erlc', ['-o', outDir, ...sources], 120_000);
  if (r.code !== 0) {
    const how = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
      ? 'erlc not found on PATH (install Erlang/OTP: apt-get install erlang-nox)'
      : `erlc exited with ${r.code ?? r.signal}`;
    throw new Error(`compileBeam: ${how}\n${r.stderr}${r.stdout}`.trimEnd());
  }
}

const KEY_RE = /^[a-z_][a-z0-9_]*$/;
const KNOWN_FIELDS = new Set(['workload', 'variant', 'metric', 'unit', 'value', 'better', 'schedulers']);

export function toMetric(obj: Record<string, unknown>, line: string): BeamMetric {
  const { workload, variant, metric, unit, value, better, schedulers } = obj;
  if (
    typeof workload !== 'string' ||
    typeof variant !== 'string' ||
    typeof metric !== 'string' ||
    typeof unit !== 'string' ||
    typeof value !== 'number' ||
    (better !== 'lower' && better !== 'higher' && better !== 'equal') ||
    typeof schedulers !== 'number'
  ) {
    throw new Error(`malformed metric line from sb_bench: ${line}`);
  }
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!KNOWN_FIELDS.has(k)) extra[k] = v;
  return { workload, variant, metric, unit, value, better, schedulers, extra };
}

/**
 * Run one workload in a fresh erl and return its metrics. Params become
 * key=value arguments (e.g. {preset: 'quick'} or {actors: 10000, laps: 1000});
 * timeout_ms is set from opts.timeoutMs. Rejects with an Error carrying the
 * driver's error line and erl's stderr if erl fails, times out, or prints no metric.
 */
export function runBeamWorkload(
  workload: string,
  params: Record<string, number | string>,
  opts: RunBeamOptions,
): Promise<BeamMetric[]> {
  const schedulers = Math.trunc(opts.schedulers);
  if (!(schedulers >= 1)) return Promise.reject(new Error(`runBeamWorkload: schedulers must be >= 1, got ${opts.schedulers}`));
  const timeoutMs = Math.trunc(opts.timeoutMs);
  if (!(timeoutMs >= 1)) return Promise.reject(new Error(`runBeamWorkload: timeoutMs must be >= 1, got ${opts.timeoutMs}`));
  if (!/^[a-z_-]+$/.test(workload)) return Promise.reject(new Error(`runBeamWorkload: bad workload name ${JSON.stringify(workload)}`));
  const kv: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (!KEY_RE.test(k)) return Promise.reject(new Error(`runBeamWorkload: bad parameter name ${JSON.stringify(k)}`));
    if (k === 'timeout_ms') continue; // comes from opts.timeoutMs
    kv.push(`${k}=${String(v)}`);
  }
  kv.push(`timeout_ms=${timeoutMs}`);
  const args = [
    '-noshell',
    '+S',
    String(schedulers),
    '+P',
    String(opts.processLimit ?? DEFAULT_PROCESS_LIMIT),
    ...(opts.erlFlags ?? []),
    '-pa',
    opts.ebinDir ?? DEFAULT_EBIN_DIR,
    '-run',
    'sb_bench',
    'main',
    workload,
    ...kv,
  ];
  const label = `BEAM workload ${workload} (+S ${schedulers}${kv.length > 1 ? ', ' + kv.slice(0, -1).join(' ') : ''})`;

  return runMetricsChild<BeamMetric>({
    cmd: 'erl',
    args,
    env: erlEnv(),
    cwd: tmpdir(),
    killAfterMs: timeoutMs + (opts.killGraceMs ?? 5000),
    label,
    notFound: 'erl not found on PATH (install Erlang/OTP: apt-get install erlang-nox)',
    parse: toMetric,
  });
}
