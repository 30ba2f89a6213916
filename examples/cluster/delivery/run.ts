/**
 * The delivery example, end to end: node scripts/run-ts.mjs examples/cluster/delivery/run.ts [count]
 *
 *   1. A port mapper (embedded, on a free port) and two login service nodes, b and c,
 *      sharing one dedupe file in a fresh tmp dir.
 *   2. A client node a that logs in `count` users (default 300) to b, falling over to c.
 *   3. After a third of the logins, b is killed with SIGKILL.
 *   4. When the client is done: c is stopped, and the records are counted — each user
 *      processed exactly once (by b or c), none lost. The last line is the JSON summary;
 *      the exit code is 0 when the count holds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPortMapper } from '../../../src/dist/port-mapper-server.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const count = Number(process.argv[2] ?? 300);
const dir = mkdtempSync(join(tmpdir(), 'sb-delivery-example-'));
const file = join(dir, 'logins.log');
const mapper = await startPortMapper({ port: 0 });
const children: ChildProcess[] = [];

/** Start a node process; `onLine` sees each JSON line it prints; resolves at its ready line. */
function startNodeProcess(args: string[], onLine: (o: Record<string, unknown>) => void = () => {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['scripts/run-ts.mjs', 'examples/cluster/delivery/node.ts', ...args], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args[1]} exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const o = JSON.parse(line) as Record<string, unknown>;
      if (o.ready !== undefined) resolve(child);
      onLine(o);
    });
  });
}

try {
  const port = String(mapper.port);
  const [b] = await Promise.all([startNodeProcess(['service', 'b@127.0.0.1', port, file]), startNodeProcess(['service', 'c@127.0.0.1', port, file])]);
  console.log(`services on b and c; client a logs in ${count} users to b, c as fallback`);
  let killed = false;
  const summary = await new Promise<Record<string, unknown>>((resolve, reject) => {
    setTimeout(() => reject(new Error('the client did not finish within 60 s')), 60_000).unref();
    startNodeProcess(['client', 'a@127.0.0.1', port, String(count), 'b@127.0.0.1', 'c@127.0.0.1'], (o) => {
      if (typeof o.progress === 'number' && o.progress >= count / 3 && !killed) {
        killed = true;
        b.kill('SIGKILL');
        console.log(`killed b (kill -9) after ${o.progress} logins`);
      }
      if (o.done !== undefined) resolve(o.done as Record<string, unknown>);
    }).catch(reject);
  });
  const recs = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { v: { user: number; node: string } });
  const users = new Map<number, number>();
  for (const r of recs) users.set(r.v.user, (users.get(r.v.user) ?? 0) + 1);
  const byNode: Record<string, number> = {};
  for (const r of recs) byNode[r.v.node] = (byNode[r.v.node] ?? 0) + 1;
  const twice = [...users.values()].filter((n) => n > 1).length;
  const lost = count - users.size;
  console.log(`processed: ${JSON.stringify(byNode)}; processed twice: ${twice}; lost: ${lost}`);
  console.log(JSON.stringify({ count, client: summary, processedByNode: byNode, twice, lost }));
  process.exitCode = twice === 0 && lost === 0 && summary.ok === count ? 0 : 1;
} finally {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  await mapper.close();
  rmSync(dir, { recursive: true, force: true });
}
