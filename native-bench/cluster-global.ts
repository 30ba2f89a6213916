/**
 * Figures of global names (src/cluster/global) with three node processes on this machine:
 *
 *   node scripts/run-ts.mjs native-bench/cluster-global.ts [runs=5] [ops=200] [burst=500]
 *
 * Protocol:
 *   1. The parent starts an embedded port mapper (EPMD protocol, a free port) and three
 *      children of this script (role `node`): gb@127.0.0.1 and gc@127.0.0.1 start a node
 *      (schedulers: 0), Global.start, print {"ready":true}, and wait for stdin to close;
 *      ga@127.0.0.1 does the same, connects to both, waits for Global.sync, then measures.
 *   2. Each run on ga:
 *      - latency: `ops` times, one at a time, Global.register(node, name_i, pid) then
 *        Global.unregister(node, name_i), each timed (every one takes the cluster lock on
 *        all three nodes and writes on all three);
 *      - throughput: `burst` registrations of distinct names issued at once (the node's
 *        registrar batches them), registrations/s = burst / elapsed; then they are
 *        unregistered (not timed);
 *      - contended throughput: a Burster on each of the three nodes (remote spawn) has
 *        `burst` actors register distinct names at the same moment, so the three
 *        registrars compete for the cluster lock: registrations/s = 3 * burst / elapsed
 *        (the names go when each Burster ends).
 *   3. ga prints one JSON line per run; the parent prints min / median / max over the runs
 *      of register p50/p99, unregister p50/p99 (ms) and registrations/s, then ends the
 *      children (stdin closed -> each stops its node and exits).
 * Erlang's equivalent: global:register_name/2 + unregister_name/1 with three nodes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Global } from '../src/cluster/global/index.ts';
import { startNode } from '../src/dist/start-node.ts';
import { startPortMapper } from '../src/dist/port-mapper-server.ts';
import type { Node } from '../src/core/node.ts';
import { defineActor } from '../src/core/behaviour.ts';
import type { Context } from '../src/core/context.ts';
import type { Pid } from '../src/core/pid.ts';

const kHost = '127.0.0.1';
const kCookie = 'cluster-global-bench';
const RUN_TS = fileURLToPath(new URL('../scripts/run-ts.mjs', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

/** Registers one name for `owner` from an actor, tells `owner` the answer. */
export const BurstWorker = defineActor(import.meta.url, function* burstWorker(ctx: Context, name: string, owner: Pid) {
  const r = yield* Global.register(ctx, name, owner);
  ctx.send(owner, { registered: r });
}, 'BurstWorker');

/**
 * Spawned on each node for the contended burst: `n` workers register `prefix-i` for it at
 * once; it reports `{ burstDone, yes }` to `report` and ends (its names go with it).
 */
export const Burster = defineActor(import.meta.url, function* burster(ctx: Context, prefix: string, n: number, report: Pid) {
  yield ctx.receive('go');
  for (let i = 0; i < n; i++) ctx.spawn(BurstWorker, [`${prefix}-${i}`, ctx.self]);
  let yes = 0;
  for (let i = 0; i < n; i++) {
    const m = (yield ctx.receive((x: { registered?: unknown }) => x?.registered !== undefined)) as { registered: string };
    if (m.registered === 'yes') yes++;
  }
  ctx.send(report, { burstDone: ctx.nodeName, yes });
}, 'Burster');

/** Each node registers `burst` names of its own at the same moment; registrations/s over all. */
async function contendedBurst(node: Node, nodes: readonly string[], prefix: string, burst: number): Promise<number> {
  const bursters = await Promise.all(nodes.map((n) => node.spawn(Burster, [`${prefix}-${n}`, burst, node.pid], n === node.name ? undefined : { node: n })));
  const done = new Promise<number>((resolve, reject) => {
    let left = nodes.length;
    let yes = 0;
    const on = (m: { burstDone?: string; yes?: number }): void => {
      if (m?.burstDone === undefined) return;
      yes += m.yes!;
      if (--left > 0) return;
      node.off('message', on);
      if (yes !== burst * nodes.length) reject(new Error(`contended burst: ${yes} of ${burst * nodes.length} registrations answered yes`));
      else resolve(yes);
    };
    node.on('message', on);
  });
  const t0 = process.hrtime.bigint();
  for (const b of bursters) node.send(b, 'go');
  const yes = await done;
  return yes / (Number(process.hrtime.bigint() - t0) / 1e9);
}

function kv(args: readonly string[]): Record<string, string> {
  return Object.fromEntries(args.filter((a) => a.includes('=')).map((a) => a.split('=', 2) as [string, string]));
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function print(o: unknown): void {
  process.stdout.write(JSON.stringify(o) + '\n');
}

async function nodeRole(a: Record<string, string>): Promise<void> {
  const node = (await startNode({
    schedulers: 0,
    name: a.name!,
    cookie: kCookie,
    dist: { listen: { host: kHost, port: 0 }, portMapper: { host: kHost, port: Number(a.mapper) } },
  } as never)) as Node;
  await Global.start(node);
  process.stdin.on('end', () => void node.stop().then(() => process.exit(0)));
  process.stdin.resume();
  if (a.peers === undefined) {
    print({ ready: true });
    return;
  }
  for (const p of a.peers.split(',')) if (!(await node.connectNode(p))) throw new Error(`no connection to ${p}`);
  while (node.nodes().length < a.peers.split(',').length) await new Promise((r) => setTimeout(r, 10));
  await Global.sync(node);
  const owner = await node.spawn({ init: () => null, handle: (_m: unknown, s: unknown) => s });
  const runs = Number(a.runs ?? 5);
  const ops = Number(a.ops ?? 200);
  const burst = Number(a.burst ?? 500);
  for (let r = 0; r < runs; r++) {
    const reg: number[] = [];
    const unreg: number[] = [];
    for (let i = 0; i < ops; i++) {
      const name = `lat-${r}-${i}`;
      let t = process.hrtime.bigint();
      if ((await Global.register(node, name, owner)) !== 'yes') throw new Error(`register ${name}: no`);
      reg.push(Number(process.hrtime.bigint() - t) / 1e6);
      t = process.hrtime.bigint();
      await Global.unregister(node, name);
      unreg.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    reg.sort((x, y) => x - y);
    unreg.sort((x, y) => x - y);
    const names = Array.from({ length: burst }, (_, i) => `tp-${r}-${i}`);
    const t0 = process.hrtime.bigint();
    const results = await Promise.all(names.map((n) => Global.register(node, n, owner)));
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    if (results.some((x) => x !== 'yes')) throw new Error('a burst registration answered no');
    await Promise.all(names.map((n) => Global.unregister(node, n)));
    const contended = await contendedBurst(node, [node.name, ...a.peers.split(',')], `cb-${r}`, burst);
    await Global.sync(node);
    print({ run: r, regP50: quantile(reg, 0.5), regP99: quantile(reg, 0.99), unregP50: quantile(unreg, 0.5), unregP99: quantile(unreg, 0.99), perSec: burst / secs, contendedPerSec: contended });
  }
  print({ done: true });
}

function child(args: string[]): { proc: ChildProcess; lines: AsyncIterableIterator<string> } {
  const proc = spawn(process.execPath, [RUN_TS, SELF, 'node', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  return { proc, lines };
}

async function firstLine(c: { lines: AsyncIterableIterator<string> }): Promise<Record<string, unknown>> {
  const r = await c.lines.next();
  if (r.done === true) throw new Error('a node process ended before answering');
  return JSON.parse(r.value) as Record<string, unknown>;
}

async function parent(a: Record<string, string>): Promise<void> {
  const mapper = await startPortMapper({ port: 0 });
  const kids: ChildProcess[] = [];
  try {
    const b = child([`name=gb@${kHost}`, `mapper=${mapper.port}`]);
    const c = child([`name=gc@${kHost}`, `mapper=${mapper.port}`]);
    kids.push(b.proc, c.proc);
    await Promise.all([firstLine(b), firstLine(c)]);
    const runArgs = ['runs', 'ops', 'burst'].filter((k) => a[k] !== undefined).map((k) => `${k}=${a[k]}`);
    const m = child([`name=ga@${kHost}`, `mapper=${mapper.port}`, `peers=gb@${kHost},gc@${kHost}`, ...runArgs]);
    kids.push(m.proc);
    const rows: Record<string, number>[] = [];
    for (;;) {
      const line = await firstLine(m);
      if (line.done === true) break;
      rows.push(line as Record<string, number>);
      process.stderr.write(`run ${String(line.run)}: ${JSON.stringify(line)}\n`);
    }
    const stat = (k: string, digits: number): string => {
      const v = rows.map((r) => r[k]!).sort((x, y) => x - y);
      return `min ${v[0]!.toFixed(digits)}  median ${v[Math.floor(v.length / 2)]!.toFixed(digits)}  max ${v[v.length - 1]!.toFixed(digits)}`;
    };
    console.log(`global names, 3 node processes (LocalNode each, loopback), ${rows.length} runs of ${a.ops ?? 200} register+unregister and a burst of ${a.burst ?? 500}:`);
    console.log(`  register p50 ms                               ${stat('regP50', 3)}`);
    console.log(`  register p99 ms                               ${stat('regP99', 3)}`);
    console.log(`  unregister p50 ms                             ${stat('unregP50', 3)}`);
    console.log(`  unregister p99 ms                             ${stat('unregP99', 3)}`);
    console.log(`  registrations/s, a burst from one node       ${stat('perSec', 0)}`);
    console.log(`  registrations/s, bursts from 3 nodes at once ${stat('contendedPerSec', 0)}`);
  } finally {
    for (const k of kids) k.stdin?.end();
    await Promise.all(kids.map((k) => (k.exitCode !== null ? undefined : new Promise((r) => k.once('exit', r)))));
    await mapper.close();
  }
}

const [role, ...rest] = process.argv.slice(2);
if (role === 'node') await nodeRole(kv(rest));
else await parent(kv(role === undefined ? [] : [role, ...rest]));
