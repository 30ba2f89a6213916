/**
 * One node process of the delivery example (run.ts starts three; or start them by hand):
 *
 *   node scripts/run-ts.mjs examples/cluster/delivery/node.ts service <name> <port-mapper-port> <file>
 *   node scripts/run-ts.mjs examples/cluster/delivery/node.ts client <name> <port-mapper-port> <count> <node> [fallback-node ...]
 *
 * Prints JSON lines: {"ready":"<node>"} once the service is registered / the client runs,
 * then the client's {"progress":n} and {"done":{...}}. The cookie is SWITCHBOARD_COOKIE or
 * 'delivery-example'. A service node runs until SIGTERM or its stdin closes; a client node
 * stops when it is done.
 */
import { startNode } from '../../../src/dist/start-node.ts';
import { LoginClient, LoginService, kLoginName } from './login.ts';

const [role, name, port, ...rest] = process.argv.slice(2);
if ((role !== 'service' && role !== 'client') || name === undefined || port === undefined) {
  console.error('usage: node.ts service <name> <port-mapper-port> <file> | client <name> <port-mapper-port> <count> <node> [fallback ...]');
  process.exit(2);
}
const out = (o: unknown): void => void process.stdout.write(JSON.stringify(o) + '\n');
const node = await startNode({
  schedulers: 0, name, cookie: process.env.SWITCHBOARD_COOKIE ?? 'delivery-example',
  dist: { portMapper: { host: '127.0.0.1', port: Number(port) }, tickTimeMs: 2000 },
});

if (role === 'service') {
  await node.spawn(LoginService, [rest[0]], { name: kLoginName });
  const stop = (): void => void node.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop).resume();
  out({ ready: node.name });
} else {
  const [count, ...nodes] = rest;
  for (const n of nodes) await node.connectNode(n);
  node.on('message', (m: { progress?: number; done?: unknown }) => {
    out(m);
    if (m.done !== undefined) void node.stop().then(() => process.exit(0));
  });
  await node.spawn(LoginClient, [node.pid, Number(count), nodes]);
  out({ ready: node.name });
}
