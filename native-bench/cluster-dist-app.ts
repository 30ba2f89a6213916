/**
 * Distributed applications: failover time after kill -9 and takeover time, with real node
 * processes (examples/cluster/dist-app/node.ts: proxima distributed over [a, [b, c]]).
 *
 *   node scripts/run-ts.mjs native-bench/cluster-dist-app.ts [--runs R] [--failover MS] [--tick MS]
 *
 * Each of R runs, with proxima on a:
 *   1. failover: kill -9 a; measured from the kill to the 'serving' line of b's new
 *      instance (its 'go' phase done). It is: detecting the loss (a killed process's socket
 *      closes at once, so this is not the tick time: that is only for silent peers) +
 *      failoverTimeoutMs + starting the application on b. Printed with the part above
 *      the configured timeout.
 *   2. rejoin takeover: start a again (same name); measured from its Application.start
 *      call ('starting' line, after the process and node are up) to its instance serving
 *      (sync with b and c, start, 'takeover' phase fetching b's counter, 'go').
 *   3. manual takeover: Application.takeover on c (from a), then on a (back from c);
 *      measured around the call (it resolves when the new instance runs).
 * Prints every sample and min / median / max per measure. Times are wall clock of one
 * host (the lines carry Date.now() of the node that printed them).
 */
import { startPortMapper } from '../src/dist/port-mapper-server.ts';
import { launchNode, type LaunchedNode, type NodeLine } from '../examples/cluster/dist-app/launch.ts';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const runs = arg('runs', 3);
const failoverMs = arg('failover', 1000);
const tickMs = arg('tick', 2000);
const opts = { failoverTimeoutMs: failoverMs, tickTimeMs: tickMs };

const samples: Record<string, number[]> = { failover: [], 'failover - timeout': [], 'rejoin takeover': [], 'manual takeover': [] };
const serving = (after: number) => (l: NodeLine) => l.event === 'serving' && (l.t as number) >= after;

let queries = 0;
/** Until `n`'s controller knows that proxima runs on `on` (a view lags the move by a message). */
async function untilSeen(n: LaunchedNode, on: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const id = String(++queries);
    n.send(`where ${id}`);
    if ((await n.waitFor((l) => l.event === 'where' && l.id === id, 10_000, 'where')).where === on) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${n.short} never saw proxima on ${on}`);
}

/** Application.takeover on `n` (from `old`); resolves once old's instance has stopped too. */
async function takeover(n: LaunchedNode, old: LaunchedNode): Promise<number> {
  await untilSeen(n, `${old.short}@127.0.0.1`);
  const before = n.lines.length;
  const oldBefore = old.lines.length;
  n.send('takeover');
  const l = await n.waitFor((x) => x.event === 'takeover' && n.lines.indexOf(x) >= before, 20_000, 'takeover answer');
  if (typeof l.ms !== 'number') throw new Error(`takeover on ${n.short}: ${String(l.error)}`);
  await old.waitFor((x) => x.event === 'stopped' && old.lines.indexOf(x) >= oldBefore, 20_000, 'the old instance stopped');
  return l.ms;
}

const mapper = await startPortMapper({ port: 0 });
const live: LaunchedNode[] = [];
try {
  let a = launchNode('a', mapper.port, opts);
  const b = launchNode('b', mapper.port, opts);
  const c = launchNode('c', mapper.port, opts);
  live.push(a, b, c);
  await Promise.all(live.map((n) => n.waitFor((l) => l.event === 'ready', 60_000, 'ready')));
  await a.waitFor(serving(0), 10_000, 'serving on a');
  for (let r = 1; r <= runs; r++) {
    const tKill = Date.now();
    a.kill9();
    const onB = await b.waitFor(serving(tKill), 20_000, 'serving on b');
    const fo = (onB.t as number) - tKill;
    if (JSON.stringify(onB.startType) !== JSON.stringify({ failover: 'a@127.0.0.1' })) throw new Error(`failover: start type ${JSON.stringify(onB.startType)} after ${fo} ms`);
    samples.failover!.push(fo);
    samples['failover - timeout']!.push(fo - failoverMs);
    await a.exited;
    a = launchNode('a', mapper.port, opts);
    live.push(a);
    const starting = await a.waitFor((l) => l.event === 'starting', 60_000, 'starting');
    const onA = await a.waitFor(serving(0), 20_000, 'serving on the new a');
    if (JSON.stringify(onA.startType) !== JSON.stringify({ takeover: 'b@127.0.0.1' })) throw new Error(`rejoin: start type ${JSON.stringify(onA.startType)}`);
    samples['rejoin takeover']!.push((onA.t as number) - (starting.t as number));
    await a.waitFor((l) => l.event === 'ready', 20_000, 'ready on the new a'); // placed: every node has heard
    samples['manual takeover']!.push(await takeover(c, a), await takeover(a, c));
    console.log(`run ${r}: failover ${fo} ms, rejoin takeover ${samples['rejoin takeover']!.at(-1)} ms, manual takeovers ${samples['manual takeover']!.slice(-2).join(' / ')} ms`);
  }
  console.log(`\ndistributed application, 3 node processes, failoverTimeoutMs ${failoverMs}, tickTimeMs ${tickMs}, ${runs} runs`);
  console.log('measure                 min      median   max   (ms)');
  for (const [k, v] of Object.entries(samples)) {
    const s = [...v].sort((x, y) => x - y);
    console.log(`${k.padEnd(22)} ${String(s[0]).padStart(5)} ${String(s[Math.floor(s.length / 2)]).padStart(9)} ${String(s[s.length - 1]).padStart(7)}`);
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  for (const n of live) n.kill9(); // all at once: stopping one by one would hand proxima on at each
  await Promise.all(live.map((n) => n.exited));
  await mapper.close();
}
