/**
 * The global-names example, whole: three node processes contend for one global name,
 * the owner's node is killed with SIGKILL, a survivor takes the name over.
 *
 *   node scripts/run-ts.mjs examples/cluster/global/main.ts
 *
 * Steps:
 *   1. Start a port mapper (EPMD protocol, free port) in this process and three nodes
 *      (node.ts): a, then b and c connecting to a (the mesh connects b and c).
 *   2. Wait until each node has called `{ global: 'counter' }`: all three name the same
 *      owner, and exactly one node printed 'took'.
 *   3. kill -9 the owner's process. Wait until both survivors called the counter again:
 *      again both name one owner, now a survivor.
 *   4. Print the summary, close the survivors' stdin (they stop), close the port mapper.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startPortMapper } from '../../../src/dist/port-mapper-server.ts';

const RUN_TS = fileURLToPath(new URL('../../../scripts/run-ts.mjs', import.meta.url));
const NODE = fileURLToPath(new URL('./node.ts', import.meta.url));

interface Line {
  readonly node: string;
  readonly event: string;
  readonly by?: string;
}

export async function runGlobalExample(log: (s: string) => void = console.log): Promise<{ first: string; second: string; tookFirst: string[] }> {
  const mapper = await startPortMapper({ port: 0 });
  const procs = new Map<string, ChildProcess>();
  const lines: Line[] = [];
  let wake: () => void = () => {};
  const waitFor = async (pred: () => boolean, what: string): Promise<void> => {
    const t0 = Date.now();
    while (!pred()) {
      if (Date.now() - t0 > 30_000) throw new Error(`example: no ${what} within 30 s (${JSON.stringify(lines)})`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 200);
      });
    }
  };
  const start = (short: string, peers: string[]): void => {
    const p = spawn(process.execPath, [RUN_TS, NODE, short, String(mapper.port), ...peers], { stdio: ['pipe', 'pipe', 'inherit'] });
    procs.set(`${short}@127.0.0.1`, p);
    createInterface({ input: p.stdout! }).on('line', (l) => {
      log(l);
      lines.push(JSON.parse(l) as Line);
      wake();
    });
  };
  try {
    start('a', []);
    start('b', ['a@127.0.0.1']);
    start('c', ['a@127.0.0.1']);
    const called = (since: number, nodes: string[]) => nodes.map((n) => lines.slice(since).find((l) => l.node === n && l.event === 'called'));
    await waitFor(() => called(0, [...procs.keys()]).every((l) => l !== undefined), 'first calls');
    const firstOwners = new Set(called(0, [...procs.keys()]).map((l) => l!.by));
    if (firstOwners.size !== 1) throw new Error(`example: the nodes disagree on the owner: ${[...firstOwners].join(', ')}`);
    const first = [...firstOwners][0]!;
    const tookFirst = lines.filter((l) => l.event === 'took').map((l) => l.node);
    const mark = lines.length;
    log(`-- kill -9 ${first}`);
    procs.get(first)!.kill('SIGKILL');
    procs.delete(first);
    await waitFor(() => called(mark, [...procs.keys()]).every((l) => l !== undefined), 'calls after the kill');
    const secondOwners = new Set(called(mark, [...procs.keys()]).map((l) => l!.by));
    if (secondOwners.size !== 1) throw new Error(`example: the survivors disagree on the owner: ${[...secondOwners].join(', ')}`);
    const second = [...secondOwners][0]!;
    log(`-- 'counter' ran on ${first}, then on ${second}`);
    return { first, second, tookFirst };
  } finally {
    const exits = [...procs.values()].map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r))));
    for (const p of procs.values()) p.stdin?.end();
    await Promise.all(exits);
    await mapper.close();
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await runGlobalExample();
