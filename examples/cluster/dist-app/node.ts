/**
 * One node of the dist-app example, as its own process:
 *
 *   node scripts/run-ts.mjs examples/cluster/dist-app/node.ts <short> <portMapperPort> [options JSON]
 *
 * starts `<short>@127.0.0.1` (cookie 'dist-app-example', port mapper 127.0.0.1:<port>),
 * then, in order: DistApp.start(node); the centauri application (local); the proxima
 * application (distributed over a@, b@, c@127.0.0.1 — [a, [b, c]] — with
 * syncNodesOptional: the other two). Options JSON: { failoverTimeoutMs (1500), tickTimeMs
 * (1000), lifetimeLog (null), syncNodesTimeoutMs (5000) }.
 *
 * It prints one JSON line per event on stdout:
 *   { event: 'starting', node, t }                Application.start of proxima called
 *   { event: 'ready', node, where }               proxima placed (Application.start resolved)
 *   { event: 'serving', node, startType, t }      an instance passed 'go' on this node
 *   { event: 'stopped', node, t }                 this node's instance stopped
 *   { event: 'answer', id, ok | error, t }        the answer to an 'ask' command
 *   { event: 'takeover', node, ms }               the answer to a 'takeover' command
 *   { event: 'where', id, where }                 the answer to 'where <id>' (DistApp.whereRunning)
 * and reads commands, one per line, on stdin: 'ask <id>' (centauri asks proxima to count), 'where <id>',
 * 'takeover' (Application.takeover here), 'stop' (node.stop, then exit). SIGTERM stops too.
 */
import { Global } from '../../../src/cluster/global/index.ts';
import { DistApp } from '../../../src/cluster/dist-app/index.ts';
import { startNode } from '../../../src/dist/start-node.ts';
import { Application } from '../../../src/otp/application.ts';
import { createInterface } from 'node:readline';
import { defineCentauri } from './centauri.ts';
import { defineProxima, proximaEvents } from './proxima.ts';

const [short, port, json] = process.argv.slice(2);
if (short === undefined || port === undefined) {
  console.error('usage: node.ts <short> <portMapperPort> [options JSON]');
  process.exit(2);
}
const o = { failoverTimeoutMs: 1500, tickTimeMs: 1000, lifetimeLog: null as string | null, syncNodesTimeoutMs: 5000, ...(json === undefined ? {} : JSON.parse(json)) };
const host = '127.0.0.1';
const all = ['a', 'b', 'c'].map((s) => `${s}@${host}`);
const print = (x: object): void => void process.stdout.write(JSON.stringify(x) + '\n');

const node = await startNode({
  schedulers: 0,
  name: `${short}@${host}`,
  cookie: 'dist-app-example',
  dist: { listen: { host, port: 0 }, portMapper: { host, port: Number(port) }, tickTimeMs: o.tickTimeMs },
});
defineProxima({ nodes: [all[0]!, [all[1]!, all[2]!]], failoverTimeoutMs: o.failoverTimeoutMs, lifetimeLog: o.lifetimeLog });
defineCentauri();
proximaEvents.on('serving', (e: object) => print({ event: 'serving', ...e, t: Date.now() }));
proximaEvents.on('stopped', () => print({ event: 'stopped', node: `${short}@${host}`, t: Date.now() }));
await Global.start(node); // proxima registers its server globally (proxima.ts)
await DistApp.start(node);
await Application.start(node, 'centauri');
print({ event: 'starting', node: node.name, t: Date.now() });
await Application.start(node, 'proxima', { syncNodesOptional: all.filter((n) => n !== node.name), syncNodesTimeoutMs: o.syncNodesTimeoutMs });
print({ event: 'ready', node: node.name, where: await DistApp.whereRunning(node, 'proxima') });

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await node.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());

createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, id] = line.trim().split(/\s+/);
  if (cmd === 'ask') {
    node.call('centauri', 'incr', 40_000).then(
      (a) => print({ event: 'answer', id, ...(a as object), t: Date.now() }),
      (e: Error) => print({ event: 'answer', id, error: e.message, t: Date.now() }),
    );
  } else if (cmd === 'where') {
    DistApp.whereRunning(node, 'proxima').then((where) => print({ event: 'where', id, where }), (e: Error) => print({ event: 'where', id, error: e.message }));
  } else if (cmd === 'takeover') {
    const t0 = Date.now();
    Application.takeover(node, 'proxima').then(
      () => print({ event: 'takeover', node: node.name, ms: Date.now() - t0 }),
      (e: Error) => print({ event: 'takeover', node: node.name, error: e.message }),
    );
  } else if (cmd === 'stop') void stop();
});
