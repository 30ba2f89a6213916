/**
 * One worker node of the pg example, as its own process:
 *
 *   node scripts/run-ts.mjs examples/cluster/pg/worker-node.ts <name@host> <portMapperPort> [workers=2]
 *
 * Steps: start the named node (the port mapper at 127.0.0.1:<port>), start the default pg
 * scope, start `workers` SquareWorkers and join them to the group 'squares' (Erlang:
 * pg:join(squares, Pids)), print `{ "ready": name, "workers": n }`, then run until killed
 * or until stdin closes (then stop the node: its members leave the group everywhere).
 */
import { Pg } from '../../../src/cluster/pg/index.ts';
import { startNode } from '../../../src/dist/start-node.ts';
import { GenServer } from '../../../src/otp/gen-server.ts';
import { kExampleCookie, SquareWorker } from './square-worker.ts';

const [name, port, count] = process.argv.slice(2);
if (name === undefined || port === undefined) {
  process.stderr.write('usage: worker-node.ts <name@host> <portMapperPort> [workers]\n');
  process.exit(2);
}
const node = await startNode({ name, schedulers: 0, cookie: kExampleCookie, dist: { portMapper: { host: '127.0.0.1', port: Number(port) } } });
await Pg.start(node);
const workers = [];
for (let i = 0; i < Number(count ?? 2); i++) workers.push((await GenServer.start(node, SquareWorker, []))!);
await Pg.join(node, 'squares', workers);
console.log(JSON.stringify({ ready: node.name, workers: workers.length }));
process.stdin.resume();
process.stdin.on('end', () => void node.stop().then(() => process.exit(0)));
