/**
 * The BEAM side of the dist workload: two `erl -name` nodes, each its own OS process, on
 * this machine, through the real epmd (dist-pair.ts runs them).
 *
 *   B: erl -noshell -name <b>@127.0.0.1 -setcookie <c> -start_epmd false +S <n> -pa <ebin>
 *          -run sb_dist_peer main timeout_ms=<t>
 *   A: erl -noshell -name <a>@127.0.0.1 -setcookie <c> -start_epmd false +S <n> -pa <ebin>
 *          -run sb_bench main dist peer=<b>@127.0.0.1 preset=... timeout_ms=<t> key=value ...
 * Names are unique per run (this process's pid and a counter), the cookie is fresh random
 * bytes, distribution ports are the kernel's free ports; only epmd sits on 4369 (another
 * port with opts.epmdPort, passed to erl as ERL_EPMD_PORT: the tests use a free one).
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { DEFAULT_EBIN_DIR } from './beam.ts';
import type { BenchMetric } from './switchboard.ts';
import { runDistPair } from './dist-pair.ts';

let runs = 0;

/** Fresh node names for one run: `<prefix>_{a,b}_<pid>_<n>@127.0.0.1`. */
export function distNodeNames(prefix: string): { a: string; b: string } {
  const tag = `${process.pid}_${++runs}`;
  return { a: `${prefix}_a_${tag}@127.0.0.1`, b: `${prefix}_b_${tag}@127.0.0.1` };
}

export function freshCookie(): string {
  return randomBytes(18).toString('hex');
}

/** As beam.ts's: no crash dumps, no user ERL_FLAGS. */
function erlEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ERL_CRASH_DUMP_SECONDS: '0' };
  delete env.ERL_FLAGS;
  delete env.ERL_AFLAGS;
  delete env.ERL_ZFLAGS;
  return env;
}

export function runBeamDist(
  params: Record<string, number | string>,
  opts: { schedulers: number; timeoutMs: number; ebinDir?: string; epmdPort?: number },
): Promise<BenchMetric[]> {
  const names = distNodeNames('sbbench_beam');
  const cookie = freshCookie();
  const common = (name: string): string[] => [
    '-noshell', '-name', name, '-setcookie', cookie, '-start_epmd', 'false',
    '+S', String(opts.schedulers), '-pa', opts.ebinDir ?? DEFAULT_EBIN_DIR,
  ];
  const kv = Object.entries(params).filter(([k]) => k !== 'timeout_ms').map(([k, v]) => `${k}=${String(v)}`);
  const env = erlEnv();
  if (opts.epmdPort !== undefined) env.ERL_EPMD_PORT = String(opts.epmdPort);
  const notFound = 'erl not found on PATH (install Erlang/OTP: apt-get install erlang-nox)';
  return runDistPair({
    label: `BEAM dist (+S ${opts.schedulers})`,
    timeoutMs: opts.timeoutMs,
    epmdPort: opts.epmdPort,
    b: { cmd: 'erl', args: [...common(names.b), '-run', 'sb_dist_peer', 'main', `timeout_ms=${opts.timeoutMs + 10_000}`], env, cwd: tmpdir(), notFound },
    a: { cmd: 'erl', args: [...common(names.a), '-run', 'sb_bench', 'main', 'dist', `peer=${names.b}`, ...kv, `timeout_ms=${opts.timeoutMs}`], env, cwd: tmpdir(), notFound },
  });
}
