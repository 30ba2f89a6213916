/**
 * One node of the Datos example (datos.ts), as its own process:
 *
 *   node scripts/run-ts.mjs examples/cluster/leader/node.ts <name@host> <port-mapper-port> <candidate,candidate,...>
 *
 * Starts a named node (cookie 'datos', found through the EPMD-protocol port mapper on
 * 127.0.0.1:<port>; `epmd -daemon` on 4369 works too), starts the Datos GenLeader with the
 * candidates given (highest priority first), prints `{ ready }`, then takes JSON commands on
 * stdin, one a line, and prints each answer as `{ answer, to }`:
 *   { "put": "k", "value": 1 }   a leader call (answered by the leader, wherever it runs)
 *   { "get": "k" }               a local read of this node's copy
 */
import readline from 'node:readline';
import { startNode } from '../../../src/index.ts';
import { GenLeader } from '../../../src/cluster/leader/index.ts';
import { Datos } from './datos.ts';

const [name, port, list] = process.argv.slice(2);
if (name === undefined || port === undefined || list === undefined) {
  console.error('usage: node.ts <name@host> <port-mapper-port> <candidate,candidate,...>');
  process.exit(2);
}
const node = await startNode({
  name,
  cookie: 'datos',
  schedulers: 0,
  dist: { listen: { host: '127.0.0.1', port: 0 }, portMapper: { host: '127.0.0.1', port: Number(port) }, tickTimeMs: 2000 },
});
await GenLeader.start(node, { name: 'datos', candidates: list.split(',') }, Datos, []);
console.log(JSON.stringify({ ready: name }));

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const cmd = JSON.parse(line) as { put?: string; value?: unknown; get?: string };
  const answer = cmd.put !== undefined ? GenLeader.leaderCall(node, 'datos', { put: cmd.put, value: cmd.value }) : GenLeader.call(node, 'datos', { get: cmd.get });
  answer.then(
    (a) => console.log(JSON.stringify({ answer: a, to: cmd })),
    (e: Error) => console.log(JSON.stringify({ error: e.message, to: cmd })),
  );
});
lines.on('close', () => void node.stop().then(() => process.exit(0)));
