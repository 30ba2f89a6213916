/**
 * The real epmd for the dist workload: the port mapper both the BEAM nodes and the
 * Switchboard nodes register in (127.0.0.1:4369, the one port the bench uses that is not
 * a free one).
 *
 * Protocol (ensureEpmd):
 *   1. Ask 127.0.0.1:<port> for its names (NAMES_REQ, src/dist/port-mapper-client.ts).
 *      An answer: an epmd is up (another test's, or a user's): reuse it, never stop it.
 *   2. Else start `epmd -port <port>` as a child in the foreground (not -daemon, so it
 *      stays our child) and poll step 1 every 25 ms until it answers (5 s at most; if the
 *      child exits first because another epmd just took the port, reuse that one).
 *   3. release(): stop the epmd this started (SIGTERM, then SIGKILL after 2 s) and wait
 *      for it to exit; a no-op for a reused one.
 * Every erl the bench starts gets `-start_epmd false`, so no epmd -daemon outlives a run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { listNames } from '../src/dist/port-mapper-client.ts';

export const kEpmdPort = 4369;

export interface EpmdHandle {
  readonly port: number;
  /** True when this process started it (and release() stops it). */
  readonly started: boolean;
  release(): Promise<void>;
}

async function answers(port: number): Promise<boolean> {
  try {
    await listNames({ host: '127.0.0.1', port, timeoutMs: 500 });
    return true;
  } catch {
    return false;
  }
}

/** Wait for `child` to exit; SIGKILL it if it has not after `graceMs`. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill(signal);
  });
}

export async function ensureEpmd(port = kEpmdPort): Promise<EpmdHandle> {
  const reused: EpmdHandle = { port, started: false, release: async () => {} };
  if (await answers(port)) return reused;
  const child = spawn('epmd', ['-port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let gone: Error | null = null;
  child.once('error', (e: NodeJS.ErrnoException) => {
    gone = new Error(e.code === 'ENOENT' ? 'epmd not found on PATH (install Erlang/OTP: apt-get install erlang-nox)' : `epmd: ${e.message}`);
  });
  child.once('exit', (code, sig) => (gone ??= new Error(`epmd exited (${code ?? sig}) before answering on port ${port}${stderr ? `: ${stderr.trim()}` : ''}`)));
  const deadline = performance.now() + 5000;
  for (;;) {
    if (await answers(port)) {
      if (gone !== null) return reused; // another epmd took the port first
      return { port, started: true, release: () => stopChild(child) };
    }
    if (gone !== null) throw gone;
    if (performance.now() > deadline) {
      await stopChild(child, 'SIGKILL');
      throw new Error(`epmd did not answer on 127.0.0.1:${port} within 5 s`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
