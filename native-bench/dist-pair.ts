/**
 * One run of the dist workload on either side: node B as a child process, then node A
 * as another, which measures and prints the metric lines; B and (if started here) epmd
 * are stopped afterwards whatever happened.
 *
 * Protocol (runDistPair):
 *   1. ensureEpmd (dist-epmd.ts): the real epmd on 127.0.0.1:4369 (or epmdPort), reused
 *      or started.
 *   2. Start B (stdin a pipe, so a Switchboard B sees the bench go away). Wait for its line
 *      {"ready":true,...} on stdout (readyTimeoutMs). A line {"error": ...} or an exit
 *      first rejects: with DistSideUnavailable when the line says "unavailable": true.
 *   3. Run A with runMetricsChild (child-metrics.ts): its metric lines are the result.
 *   4. Finally: stop B (SIGTERM, SIGKILL after 2 s; it normally exits by itself when A's
 *      connection goes), then release epmd. No process of the run is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { runMetricsChild } from './child-metrics.ts';
import { toMetric, type BeamMetric } from './beam.ts';
import { ensureEpmd, stopChild } from './dist-epmd.ts';

export interface NodeCommand {
  cmd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** What to say when `cmd` is not on PATH. */
  notFound: string;
}

export interface DistPairOptions {
  /** e.g. "BEAM dist (+S 1)" */
  label: string;
  b: NodeCommand;
  a: NodeCommand;
  /** Node A's time limit (it is killed 5 s after). */
  timeoutMs: number;
  readyTimeoutMs?: number;
  /** The epmd's port (default 4369; tests pass a free one, given to the nodes too). */
  epmdPort?: number;
}

/** Node B refused to start as a distributed node because this build has no distribution. */
export class DistSideUnavailable extends Error {}

export async function runDistPair(o: DistPairOptions): Promise<BeamMetric[]> {
  const epmd = await ensureEpmd(o.epmdPort);
  let b: ChildProcess | null = null;
  try {
    b = await startB(o);
    return await runMetricsChild<BeamMetric>({
      cmd: o.a.cmd, args: o.a.args, env: o.a.env, cwd: o.a.cwd,
      killAfterMs: o.timeoutMs + 5000, label: `${o.label} node A`, notFound: o.a.notFound, parse: toMetric,
    });
  } finally {
    if (b !== null) await stopChild(b);
    await epmd.release();
  }
}

/** Step 2. Resolves with B running and ready; on any failure B is stopped first. */
function startB(o: DistPairOptions): Promise<ChildProcess> {
  const child = spawn(o.b.cmd, o.b.args, { stdio: ['pipe', 'pipe', 'pipe'], env: o.b.env, cwd: o.b.cwd });
  let out = '';
  let err = '';
  return new Promise<ChildProcess>((resolve, reject) => {
    let settled = false;
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stopChild(child, 'SIGKILL').then(() => reject(e));
    };
    const detail = (): string => (err.trim() ? `\n--- node B stderr ---\n${err.trim()}` : '');
    const timer = setTimeout(() => fail(new Error(`${o.label} node B failed: no ready line within ${o.readyTimeoutMs ?? 60_000} ms${detail()}`)), o.readyTimeoutMs ?? 60_000);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      if (err.length < 1_000_000) err += d;
    });
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      if (settled) return;
      out += d;
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl).trim();
        out = out.slice(nl + 1);
        let rec: Record<string, unknown> | null = null;
        try {
          rec = line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : null;
        } catch {
          rec = null;
        }
        if (rec === null) continue;
        if ('error' in rec) {
          const msg = String(rec.error).split('\n')[0]!;
          fail(rec.unavailable === true ? new DistSideUnavailable(msg) : new Error(`${o.label} node B failed: ${msg}${detail()}`));
          return;
        }
        if (rec.ready === true) {
          settled = true;
          clearTimeout(timer);
          child.stdout!.resume();
          resolve(child);
          return;
        }
      }
    });
    child.once('error', (e: NodeJS.ErrnoException) => fail(new Error(`${o.label} node B failed: ${e.code === 'ENOENT' ? o.b.notFound : e.message}`)));
    child.once('exit', (code, sig) => fail(new Error(`${o.label} node B failed: exited (${code ?? sig}) before it was ready${detail()}`)));
  });
}
