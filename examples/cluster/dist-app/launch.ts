/**
 * Start example nodes (node.ts) as child processes and wait on the JSON lines they print:
 * what main.ts and native-bench/cluster-dist-app.ts share.
 *
 *   const mapper = await startPortMapper({ port: 0 });
 *   const a = launchNode('a', mapper.port, { failoverTimeoutMs: 1500 });
 *   await a.waitFor((e) => e.event === 'ready', 20_000);
 *   a.send('ask 1'); a.kill9(); await a.exited;
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = fileURLToPath(new URL('./node.ts', import.meta.url));

export interface NodeLine {
  readonly event: string;
  readonly [k: string]: unknown;
}

export interface LaunchedNode {
  readonly short: string;
  readonly lines: NodeLine[];
  readonly exited: Promise<number | null>;
  waitFor(pred: (l: NodeLine) => boolean, deadlineMs: number, what?: string): Promise<NodeLine>;
  send(line: string): void;
  kill9(): void;
  stderr(): string;
}

export function launchNode(short: string, mapperPort: number, opts: object = {}): LaunchedNode {
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(process.execPath, ['scripts/run-ts.mjs', script, short, String(mapperPort), JSON.stringify(opts)], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: NodeLine[] = [];
  let waiters: { pred: (l: NodeLine) => boolean; resolve: (l: NodeLine) => void }[] = [];
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdin.on('error', () => {});
  createInterface({ input: child.stdout }).on('line', (text) => {
    let l: NodeLine;
    try {
      l = JSON.parse(text) as NodeLine;
    } catch {
      return;
    }
    lines.push(l);
    waiters = waiters.filter((w) => (w.pred(l) ? (w.resolve(l), false) : true));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  process.once('exit', () => child.kill('SIGKILL'));
  return {
    short,
    lines,
    exited,
    waitFor(pred, deadlineMs, what = 'a line') {
      const seen = lines.find(pred);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`node ${short}: no ${what} within ${deadlineMs} ms; stderr: ${err.slice(-1500)}`)), deadlineMs);
        waiters.push({ pred, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      });
    },
    send: (line) => void child.stdin.write(line + '\n'),
    kill9: () => void child.kill('SIGKILL'),
    stderr: () => err,
  };
}
