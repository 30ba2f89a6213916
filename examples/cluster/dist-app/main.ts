/**
 * The dist-app example end to end, as separate node processes:
 *
 *   node scripts/run-ts.mjs examples/cluster/dist-app/main.ts
 *
 *   1. a port mapper (on a free port), then nodes a, b, c (node.ts): proxima runs on a;
 *   2. c's centauri asks proxima twice (counts 1, 2 on a);
 *   3. kill -9 a: b starts proxima after failoverTimeoutMs ({ failover: a });
 *   4. a again (same name): it takes proxima over ({ takeover: b }), the counter carried;
 *   5. the nodes are killed, all at once. Prints one line per step and exits 0 (1 on a failure).
 */
import { startPortMapper } from '../../../src/dist/port-mapper-server.ts';
import { launchNode, type LaunchedNode, type NodeLine } from './launch.ts';

const kFailoverMs = 1500;
const opts = { failoverTimeoutMs: kFailoverMs, tickTimeMs: 1000 };
const serving = (l: NodeLine) => l.event === 'serving';
let asks = 0;
async function ask(n: LaunchedNode): Promise<NodeLine> {
  const id = String(++asks);
  n.send(`ask ${id}`);
  return n.waitFor((l) => l.event === 'answer' && l.id === id, 45_000, `answer ${id}`);
}

const mapper = await startPortMapper({ port: 0 });
const nodes: LaunchedNode[] = [];
try {
  const [a, b, c] = ['a', 'b', 'c'].map((s) => launchNode(s, mapper.port, opts));
  nodes.push(a!, b!, c!);
  await Promise.all(nodes.map((n) => n.waitFor((l) => l.event === 'ready', 30_000, 'ready')));
  console.log(`1. proxima serving on a, start type ${JSON.stringify((await a!.waitFor(serving, 10_000)).startType)}`);
  for (let i = 0; i < 2; i++) console.log(`2. centauri on c -> ${JSON.stringify((await ask(c!)).ok)}`);
  const tKill = Date.now();
  a!.kill9();
  const onB = await b!.waitFor(serving, 20_000, 'serving on b');
  console.log(`3. kill -9 a: serving on b after ${(onB.t as number) - tKill} ms (failoverTimeoutMs ${kFailoverMs}), start type ${JSON.stringify(onB.startType)}`);
  console.log(`   centauri on c -> ${JSON.stringify((await ask(c!)).ok)}`);
  const a2 = launchNode('a', mapper.port, opts);
  nodes.push(a2);
  const onA = await a2.waitFor(serving, 30_000, 'serving on the new a');
  console.log(`4. a back: serving on a, start type ${JSON.stringify(onA.startType)}; centauri on b -> ${JSON.stringify((await ask(b!)).ok)}`);
  console.log('5. done');
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  // All at once (a graceful stop of one node after another would hand proxima on at each).
  for (const n of nodes) n.kill9();
  await Promise.all(nodes.map((n) => n.exited));
  await mapper.close();
}
