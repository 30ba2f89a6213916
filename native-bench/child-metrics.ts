/**
 * Run one benchmark driver as a child process and collect its metric lines.
 *
 * Both drivers (the BEAM's sb_bench and Switchboard's driver.ts) print one JSON object
 * per line on stdout, one per metric, or a line with an "error" field and a non-zero
 * exit. This runs the child, kills it after `killAfterMs`, and resolves with the parsed
 * metrics or rejects with an Error carrying the error line and the child's stderr.
 */
import { spawn } from 'node:child_process';

export interface ChildMetricsOptions<M> {
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  killAfterMs: number;
  /** Printed at the start of every error message, e.g. "BEAM workload ring (+S 1)". */
  label: string;
  /** What to say when `cmd` is not on PATH. */
  notFound: string;
  /** Turn one parsed object into a metric; throw for a malformed line. */
  parse: (obj: Record<string, unknown>, line: string) => M;
}

export function runMetricsChild<M>(o: ChildMetricsOptions<M>): Promise<M[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(o.cmd, o.args, { stdio: ['ignore', 'pipe', 'pipe'], env: o.env ?? process.env, cwd: o.cwd });
    let stdout = '';
    let stderr = '';
    let killedForTimeout = false;
    let settled = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 1_000_000) stderr += d;
    });
    const killer = setTimeout(() => {
      killedForTimeout = true;
      child.kill('SIGKILL');
    }, o.killAfterMs);

    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(killer);
      const err = stderr.trim();
      reject(new Error(`${o.label} failed: ${why}${err ? `\n--- ${o.cmd} stderr ---\n${err}` : ''}`));
    };

    child.on('error', (e: NodeJS.ErrnoException) => {
      fail(e.code === 'ENOENT' ? o.notFound : e.message);
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      clearTimeout(killer);
      const metrics: M[] = [];
      const errors: string[] = [];
      const noise: string[] = [];
      for (const raw of stdout.split('\n')) {
        const line = raw.trim();
        if (line === '') continue;
        let obj: unknown;
        try {
          obj = line.startsWith('{') ? JSON.parse(line) : undefined;
        } catch {
          obj = undefined;
        }
        if (obj === undefined || obj === null || typeof obj !== 'object') {
          noise.push(line);
          continue;
        }
        const rec = obj as Record<string, unknown>;
        if ('error' in rec) {
          errors.push(String(rec.error));
          continue;
        }
        try {
          metrics.push(o.parse(rec, line));
        } catch (e) {
          fail((e as Error).message);
          return;
        }
      }
      const extraOut = noise.length ? `\n--- other stdout ---\n${noise.join('\n')}` : '';
      if (killedForTimeout) {
        fail(`killed after ${o.killAfterMs} ms${extraOut}`);
      } else if (errors.length > 0 || code !== 0) {
        fail(`${errors.length ? errors.join('; ') : 'no error line'} (exit ${code ?? signal})${extraOut}`);
      } else if (metrics.length === 0) {
        fail(`no metrics printed${extraOut}`);
      } else {
        settled = true;
        resolve(metrics);
      }
    });
  });
}
