/**
 * One node of the global-names example, as its own process:
 *
 *   node scripts/run-ts.mjs examples/cluster/global/node.ts <short name> <port mapper port> [peer ...]
 *
 * Steps:
 *   1. Start the node `<short>@127.0.0.1` (cookie 'global-example'), Global.start, connect
 *      to the peers, Global.sync (every node's global name server has merged with ours).
 *   2. Contend for the name 'counter': if nobody holds it, start a Counter and
 *      Global.register it — of several nodes doing this at once exactly one gets 'yes';
 *      the others stop their counter and use the winner's.
 *   3. Watch the owner; call `{ global: 'counter' }` once and print who answered.
 *   4. When the owner dies or its node goes down, its name is gone on every node: go to 2.
 * Output: one JSON line per event, `{ node, event: 'took' | 'called', ... }`. Closing stdin
 * stops the node.
 */
import { startNode } from '../../../src/dist/start-node.ts';
import type { Node } from '../../../src/core/node.ts';
import type { Pid } from '../../../src/core/pid.ts';
import { GenServer } from '../../../src/otp/gen-server.ts';
import { Global } from '../../../src/cluster/global/index.ts';
import { Counter, CounterWatcher } from './counter.ts';

const kHost = '127.0.0.1';
const [short, mapperPort, ...peers] = process.argv.slice(2);
if (short === undefined || mapperPort === undefined) {
  console.error('usage: node.ts <short name> <port mapper port> [peer ...]');
  process.exit(2);
}

const node = (await startNode({
  name: `${short}@${kHost}`,
  cookie: 'global-example',
  dist: { listen: { host: kHost, port: 0 }, portMapper: { host: kHost, port: Number(mapperPort) } },
} as never)) as Node;
const say = (o: Record<string, unknown>): void => console.log(JSON.stringify({ node: node.name, ...o }));

await Global.start(node);
for (const p of peers) await node.connectNode(p);
while (node.nodes().length < peers.length) await new Promise((r) => setTimeout(r, 10));
await Global.sync(node);

let lost: Pid | null = null;

async function contend(): Promise<void> {
  for (;;) {
    let owner = Global.whereis(node, 'counter');
    if (owner !== undefined && lost !== null && owner.equals(lost)) {
      await new Promise((r) => setTimeout(r, 20)); // this node has not seen the nodedown yet
      continue;
    }
    if (owner === undefined) {
      const mine = (await GenServer.start(node, Counter, []))!;
      if ((await Global.register(node, 'counter', mine)) === 'yes') {
        say({ event: 'took', name: 'counter' });
        owner = mine;
      } else {
        await GenServer.stop(node, mine);
        continue;
      }
    }
    await node.spawn(CounterWatcher, [owner, node.pid]);
    try {
      const r = await node.call<{ n: number; node: string }>({ global: 'counter' }, 'incr');
      say({ event: 'called', by: r.node, n: r.n });
    } catch (e) {
      say({ event: 'call_failed', error: (e as Error).message });
    }
    return;
  }
}

node.on('message', (m: { counterDown?: Pid }) => {
  if (m?.counterDown === undefined) return;
  lost = m.counterDown;
  void contend();
});
process.stdin.on('end', () => void node.stop().then(() => process.exit(0)));
process.stdin.resume();
await contend();
