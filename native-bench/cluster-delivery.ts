/**
 * Figures of the delivery helpers (issue 13, part 5): at-least-once throughput and latency
 * against plain send, between two node processes on this host.
 *
 *   node scripts/run-ts.mjs native-bench/cluster-delivery.ts [runs=5]
 *
 * Protocol:
 *   1. An embedded port mapper on a free port; node B is a child process running this file
 *      with role `b` (a sink, an echo and an acker registered; it prints {"ready":..}).
 *   2. Node A is this process (one scheduler, named). Per run, from actors on A:
 *      - plain throughput: N_PLAIN sends `{ i }` to 'sink' on B; the sink answers the
 *        last one; msgs/s from the first send to that answer;
 *      - at-least-once throughput: N_ALO `Delivery.send`s to 'acker' on B (acks each),
 *        at most WINDOW unacknowledged; msgs/s until the last report; and the same with the
 *        receiver deduping (`Delivery.processOnce`, an in-memory DedupeTable);
 *      - latency: M round trips one at a time — plain: a send to 'echo' and its answer;
 *        at-least-once: `yield* Delivery.deliver` to 'acker' (envelope, ack, report through
 *        the courier); the median of each run.
 *   3. Prints one line per figure with min / median / max over the runs, then stops B.
 * What differs between the two: an at-least-once message costs a local hop to the courier,
 * a timer, the ack back over the wire and a local report; the envelope carries an id, a
 * key and the courier's pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { defineActor } from '../src/core/behaviour.ts';
import type { Context } from '../src/core/context.ts';
import type { Node } from '../src/core/node.ts';
import type { Pid } from '../src/core/pid.ts';
import { startNode } from '../src/dist/start-node.ts';
import { startPortMapper } from '../src/dist/port-mapper-server.ts';
import { Delivery, DedupeTable, isDelivery, type DeliveryReport } from '../src/cluster/delivery/index.ts';

const N_PLAIN = 20_000;
const N_ALO = 5_000;
const WINDOW = 256;
const M = 500;
const cookie = 'delivery-bench';

// --- node B's behaviours ---

export const Sink = defineActor(import.meta.url, {
  init: () => 0,
  handle(m: { i: number; last?: Pid }, n: number, ctx: Context) {
    if (m.last !== undefined) ctx.send(m.last, { sunk: n + 1 });
    return n + 1;
  },
}, 'Sink');

export const Echo = defineActor(import.meta.url, {
  handle(m: { from: Pid; i: number }, st: null, ctx: Context) {
    ctx.send(m.from, m.i);
    return st;
  },
}, 'Echo');

export const Acker = defineActor(import.meta.url, {
  init: (dedupe: boolean) => (dedupe ? new DedupeTable({ maxEntries: 100_000 }) : null),
  handle(m: unknown, table: DedupeTable | null, ctx: Context) {
    if (!isDelivery(m)) return table;
    if (table === null) Delivery.ack(ctx, m);
    else Delivery.processOnce(ctx, m, table, () => undefined);
    return table;
  },
}, 'Acker');

// --- A's measurements ---

function inActor<T>(node: Node, body: (ctx: Context) => Generator<any, T, any>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    node.spawn(function* (ctx: Context) {
      try {
        resolve(yield* body(ctx));
      } catch (e) {
        reject(e);
      }
    }).catch(reject);
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function plainThroughput(a: Node, b: string): Promise<number> {
  return inActor(a, function* (ctx) {
    const sink = { name: 'sink', node: b };
    const t0 = performance.now();
    for (let i = 0; i < N_PLAIN - 1; i++) ctx.send(sink, { i });
    ctx.send(sink, { i: N_PLAIN - 1, last: ctx.self });
    yield ctx.receive({ sunk: (n: number) => n > 0 });
    return N_PLAIN / ((performance.now() - t0) / 1000);
  });
}

async function aloThroughput(a: Node, b: string, name: string): Promise<number> {
  return inActor(a, function* (ctx) {
    const to = { name, node: b };
    const t0 = performance.now();
    let next = 0;
    let done = 0;
    while (done < N_ALO) {
      while (next < N_ALO && next - done < WINDOW) {
        Delivery.send(ctx, to, { i: next++ }, { timeoutMs: 5000 });
      }
      const r = (yield ctx.receive((m: unknown) => Delivery.isReport(m))) as DeliveryReport;
      if (!r.ok) throw new Error(`delivery failed: ${JSON.stringify(r.reason)}`);
      done++;
    }
    return N_ALO / ((performance.now() - t0) / 1000);
  });
}

async function plainLatency(a: Node, b: string): Promise<number> {
  return inActor(a, function* (ctx) {
    const echo = { name: 'echo', node: b };
    const us: number[] = [];
    for (let i = 0; i < M; i++) {
      const t0 = performance.now();
      ctx.send(echo, { from: ctx.self, i });
      yield ctx.receive(i);
      us.push((performance.now() - t0) * 1000);
    }
    return median(us);
  });
}

async function aloLatency(a: Node, b: string): Promise<number> {
  return inActor(a, function* (ctx) {
    const to = { name: 'acker', node: b };
    const us: number[] = [];
    for (let i = 0; i < M; i++) {
      const t0 = performance.now();
      yield* Delivery.deliver(ctx, to, { i }, { timeoutMs: 5000 });
      us.push((performance.now() - t0) * 1000);
    }
    return median(us);
  });
}

function startB(port: number): Promise<ChildProcess> {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const child = spawn(process.execPath, ['scripts/run-ts.mjs', 'native-bench/cluster-delivery.ts', 'b', String(port)], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`node B exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l.includes('"ready"')) resolve(child);
    });
  });
}

async function runB(port: number): Promise<void> {
  const node = await startNode({ schedulers: 0, name: 'bench-b@127.0.0.1', cookie, dist: { portMapper: { host: '127.0.0.1', port } } });
  await node.spawn(Sink, [], { name: 'sink' });
  await node.spawn(Echo, [], { name: 'echo' });
  await node.spawn(Acker, [false], { name: 'acker' });
  await node.spawn(Acker, [true], { name: 'acker-dedupe' });
  process.stdin.on('end', () => void node.stop().then(() => process.exit(0))).resume();
  process.stdout.write(JSON.stringify({ ready: node.name }) + '\n');
}

async function runA(runs: number): Promise<void> {
  const mapper = await startPortMapper({ port: 0 });
  const child = await startB(mapper.port);
  const a = await startNode({ schedulers: 0, name: 'bench-a@127.0.0.1', cookie, dist: { portMapper: { host: '127.0.0.1', port: mapper.port } } });
  const b = 'bench-b@127.0.0.1';
  try {
    await a.connectNode(b);
    const figures: Record<string, number[]> = {
      'plain send, msgs/s': [], 'at-least-once, msgs/s': [], 'at-least-once + dedupe, msgs/s': [],
      'plain round trip p50, µs': [], 'at-least-once deliver p50, µs': [],
    };
    // One warm-up pass, not counted.
    for (let r = -1; r < runs; r++) {
      const row = [
        await plainThroughput(a, b), await aloThroughput(a, b, 'acker'), await aloThroughput(a, b, 'acker-dedupe'),
        await plainLatency(a, b), await aloLatency(a, b),
      ];
      if (r >= 0) Object.values(figures).forEach((xs, i) => xs.push(row[i]!));
    }
    console.log(`cluster delivery, 2 node processes (schedulers: 0), ${runs} runs; N plain ${N_PLAIN}, N at-least-once ${N_ALO} (window ${WINDOW}), ${M} round trips per latency run`);
    console.log('figure | min | median | max');
    for (const [name, xs] of Object.entries(figures)) {
      const f = (x: number): string => Math.round(x).toLocaleString('en-US');
      console.log(`${name} | ${f(Math.min(...xs))} | ${f(median(xs))} | ${f(Math.max(...xs))}`);
    }
  } finally {
    await a.stop();
    child.stdin!.end();
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
    await mapper.close();
  }
}

if (process.argv[2] === 'b') await runB(Number(process.argv[3]));
else await runA(Number(process.argv[2] ?? 5));
