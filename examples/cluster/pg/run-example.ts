/**
 * The pg example: a pool of workers spread over node processes, found through a process
 * group instead of by name.
 *
 *   node scripts/run-ts.mjs examples/cluster/pg/run-example.ts [jobs=20]
 *
 * Steps:
 *   1. Start a port mapper (EPMD protocol) on a free port of 127.0.0.1, then two worker
 *      node processes (worker-node.ts: w1, w2), each with 2 SquareWorkers in 'squares'.
 *   2. This process is the dispatcher node: it starts the default pg scope, connects to
 *      w1 and w2 (their scope servers discover each other), and subscribes to 'squares'
 *      (Pg.monitor from the node: the events come as the node's 'message' events) until
 *      it sees 4 members.
 *   3. It sends `jobs` calls round-robin over Pg.members(node, 'squares') and counts the
 *      answers by node.
 *   4. It kills w2 with SIGKILL: nodedown, w2's members leave the group (the leave event),
 *      and a second round goes only to w1's workers — nothing to reconfigure.
 *   5. It prints one JSON line with both rounds, stops w1 (stdin closed) and itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pg, type PgEvent } from '../../../src/cluster/pg/index.ts';
import type { Node } from '../../../src/core/node.ts';
import type { Pid } from '../../../src/core/pid.ts';
import { startPortMapper } from '../../../src/dist/port-mapper-server.ts';
import { startNode } from '../../../src/dist/start-node.ts';
import { kExampleCookie, type SquareReply } from './square-worker.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const jobs = Number(process.argv[2] ?? 20);

function startWorkerNode(name: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['scripts/run-ts.mjs', 'examples/cluster/pg/worker-node.ts', name, String(port), '2'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).once('line', () => resolve(child));
  });
}

/** Resolve once the group has exactly `count` members (watching the events, no polling). */
async function membersReach(node: Node, group: string, count: number): Promise<void> {
  let n: number | null = null; // null until the subscription's answer is in
  const early: PgEvent[] = [];
  let done: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (done = resolve));
  let ref = '';
  const apply = (m: PgEvent): void => {
    if (String(m.ref) !== ref) return;
    n! += m.event === 'join' ? m.pids.length : -m.pids.length;
    if (n === count) done();
  };
  const listener = (m: PgEvent): void => {
    if (m?.type !== 'pg') return;
    if (n === null) early.push(m);
    else apply(m);
  };
  node.on('message', listener);
  const sub = await Pg.monitor(node, group);
  ref = String(sub.ref);
  n = sub.members.length;
  if (n === count) done();
  for (const m of early) apply(m); // events that came after the answer, before this line
  await reached;
  node.off('message', listener);
  await Pg.demonitor(node, sub.ref);
}

async function round(node: Node): Promise<Record<string, number>> {
  const members: Pid[] = await Pg.members(node, 'squares');
  const byNode: Record<string, number> = {};
  for (let i = 0; i < jobs; i++) {
    const r = await node.call<SquareReply>(members[i % members.length]!, { square: i });
    if (r.value !== i * i) throw new Error(`wrong answer ${r.value} for ${i}`);
    byNode[r.node] = (byNode[r.node] ?? 0) + 1;
  }
  return byNode;
}

const mapper = await startPortMapper({ port: 0 });
const [w1, w2] = await Promise.all([startWorkerNode('w1@127.0.0.1', mapper.port), startWorkerNode('w2@127.0.0.1', mapper.port)]);
const node = await startNode({ name: 'dispatch@127.0.0.1', schedulers: 0, cookie: kExampleCookie, dist: { portMapper: { host: '127.0.0.1', port: mapper.port } } });
try {
  await Pg.start(node);
  await node.connectNode('w1@127.0.0.1');
  await node.connectNode('w2@127.0.0.1');
  await membersReach(node, 'squares', 4);
  const before = await round(node);
  w2!.kill('SIGKILL');
  await membersReach(node, 'squares', 2);
  const after = await round(node);
  console.log(JSON.stringify({ jobs, before, after }));
} finally {
  w1!.stdin!.end();
  w2!.kill('SIGKILL');
  await node.stop();
  await mapper.close();
}
