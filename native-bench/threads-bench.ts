/**
 * Multi-thread node benchmark: run with
 *
 *   node scripts/run-ts.mjs native-bench/threads-bench.ts [--quick]
 *
 * Prints, on this machine:
 *   1. cross-scheduler small-message throughput through the SPSC rings (one producer actor
 *      on scheduler 0, one consumer on scheduler 1; then two pairs crossing both ways),
 *   2. the same traffic between two plain worker threads with postMessage (one message per
 *      postMessage, a MessageChannel between them), and the ratio; then both again with
 *      integer messages (the rings' scalar fast path, codec/scalar-values.ts),
 *   3. cross-scheduler ping-pong round trip (actor on scheduler 0 <-> actor on scheduler 1),
 *   4. 1 -> 2 scheduler scaling of an embarrassingly parallel CPU workload (8 actors, fixed
 *      total work),
 *   5. balance: 100,000 busy actors all spawned by one parent on scheduler 0 of a 2-scheduler
 *      node, default policy ('steal': only spawns made while the other scheduler idles go
 *      there): where they ran (actors per scheduler, the spawns stolen / placed away, each
 *      scheduler's busy time and reductions during the run) and how long they took
 *      (threads-balance-policies.ts compares the policies on this),
 *   6. balance after spawn: busy actors all pinned to scheduler 0 (`{ scheduler: 0 }`, so
 *      spawn-time sharing cannot help) on a 2-scheduler node, with `balance: 'spawn'` and
 *      with `balance: 'migrate'` (live migration, src/threads/migration.ts): time until all
 *      are done, and actors per scheduler at the end.
 * `--rings` stops after 2 (the ring-vs-postMessage figures alone, for A/B runs).
 * Targets (issue): >= 10 M msgs/s and >= 20x postMessage; < 5 us round trip; >= 1.7x scaling.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Pid } from '../src/core/pid.ts';
import { type ThreadedNode } from '../src/threads/index.ts';
import { startNode } from '../src/dist/start-node.ts';
import { BusyParent, BusyWorker, Consumer, Cruncher, Pinger, Ponger, Producer } from './threads-bench-actors.ts';

const quick = process.argv.includes('--quick');
/** --rings: only sections 1-2 (rings vs postMessage), for A/B runs of the ring path. */
const ringsOnly = process.argv.includes('--rings');
const N = quick ? 1_000_000 : 5_000_000;

function waitFor<T>(node: ThreadedNode, pred: (m: T) => boolean, count = 1): Promise<T[]> {
  return new Promise((resolve) => {
    const got: T[] = [];
    const on = (m: T): void => {
      if (!pred(m)) return;
      got.push(m);
      if (got.length === count) {
        node.off('message', on);
        resolve(got);
      }
    };
    node.on('message', on);
  });
}

async function ringThroughput(pairs: { from: number; to: number }[], n: number, rounds: number, ints = false): Promise<number> {
  const node = await startNode({ schedulers: 2 });
  try {
    const ps: { p: Pid; c: Pid }[] = [];
    for (const { from, to } of pairs) {
      ps.push({ p: await node.spawn(Producer, [], { scheduler: from }), c: await node.spawn(Consumer, [], { scheduler: to }) });
    }
    let best = 0;
    for (let r = 0; r < rounds; r++) {
      const done = waitFor<{ done?: string }>(node, (m) => m.done !== undefined, ps.length);
      const t0 = performance.now();
      ps.forEach(({ p, c }, i) => node.send(p, { go: { to: c, n, batch: 1000, report: node.pid, tag: `r${r}p${i}`, ints } }));
      await done;
      const rate = (n * ps.length) / ((performance.now() - t0) / 1000);
      best = Math.max(best, rate);
    }
    return best;
  } finally {
    await node.stop();
  }
}

const postMessageWorker = `
const { parentPort, workerData } = require('node:worker_threads');
const { role, n, ints } = workerData;
parentPort.once('message', ({ port }) => {
  if (role === 'consumer') {
    let got = 0;
    port.on('message', () => { if (++got === n) { parentPort.postMessage('done'); port.close(); } });
  } else {
    parentPort.once('message', () => {
      let i = n;
      const burst = () => {
        const k = Math.min(1000, i);
        if (ints) for (let j = 0; j < k; j++) port.postMessage(i - j);
        else for (let j = 0; j < k; j++) port.postMessage({ n: i - j });
        i -= k;
        if (i > 0) setImmediate(burst); else port.close();
      };
      burst();
    });
  }
});
`;

async function postMessageThroughput(n: number, ints = false): Promise<number> {
  const consumer = new Worker(postMessageWorker, { eval: true, workerData: { role: 'consumer', n } });
  const producer = new Worker(postMessageWorker, { eval: true, workerData: { role: 'producer', n, ints } });
  const { port1, port2 } = new MessageChannel();
  consumer.postMessage({ port: port2 }, [port2]);
  producer.postMessage({ port: port1 }, [port1]);
  await new Promise((r) => setTimeout(r, 100));
  const done = new Promise((r) => consumer.once('message', r));
  const t0 = performance.now();
  producer.postMessage('go');
  await done;
  const rate = n / ((performance.now() - t0) / 1000);
  await Promise.all([consumer.terminate(), producer.terminate()]);
  return rate;
}

async function pingPong(n: number, rounds: number): Promise<number> {
  const node = await startNode({ schedulers: 2 });
  try {
    const ponger = await node.spawn(Ponger, [], { scheduler: 1 });
    const pinger = await node.spawn(Pinger, [], { scheduler: 0 });
    let best = Infinity;
    for (let r = 0; r < rounds; r++) {
      const res = waitFor<{ rtUs?: number }>(node, (m) => m.rtUs !== undefined);
      node.send(pinger, { go: { ponger, n, report: node.pid } });
      best = Math.min(best, (await res)[0]!.rtUs!);
    }
    return best;
  } finally {
    await node.stop();
  }
}

async function crunch(schedulers: number, actors: number, chunks: number, iters: number): Promise<number> {
  const node = (await startNode({ schedulers })) as ThreadedNode;
  try {
    const pids: Pid[] = [];
    for (let i = 0; i < actors; i++) pids.push(await node.spawn(Cruncher));
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const done = waitFor<{ done?: number }>(node, (m) => m.done !== undefined, actors);
      const t0 = performance.now();
      for (const p of pids) node.send(p, { work: chunks, iters, report: node.pid });
      await done;
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  } finally {
    await node.stop();
  }
}

async function balance(n: number, ticks: number, iters: number): Promise<void> {
  const node = await startNode({ schedulers: 2 });
  try {
    const parent = await node.spawn(BusyParent, [], { scheduler: 0 });
    const before = node.stats().schedulers;
    const spawned = waitFor<{ spawned?: number; perScheduler?: number[] }>(node, (m) => m.spawned !== undefined);
    const done = waitFor<{ busyDone?: number }>(node, (m) => m.busyDone !== undefined, n);
    const t0 = performance.now();
    node.send(parent, { spawnBusy: { n, ticks, iters, report: node.pid, endpoints: node.schedulers + 1 } });
    const [{ perScheduler }] = (await spawned) as [{ perScheduler: number[] }];
    await done;
    const ms = performance.now() - t0;
    const after = node.stats().schedulers;
    console.log(`balance: ${n} busy actors spawned by one parent on scheduler 0 (${ticks} ticks of ${iters} steps each): all done in ${ms.toFixed(0)} ms`);
    for (const [k, st] of after.entries()) {
      const b = before[k]!;
      console.log(
        `  scheduler ${k}: ${perScheduler[k]} actors spawned here, busy ${(st.busyMs - b.busyMs).toFixed(0)} ms, ` +
          `${((st.reductions - b.reductions) / 1e6).toFixed(1)} M reductions, spawns placed away ${st.migrations}, remote spawns in ${st.remoteSpawns}, ` +
          `moved out ${st.migrationsOut - b.migrationsOut}, moved in ${st.migrationsIn - b.migrationsIn}`,
      );
    }
  } finally {
    await node.stop();
  }
}

async function balanceAfterSpawn(n: number, ticks: number, iters: number, mode: 'spawn' | 'migrate'): Promise<{ ms: number; actors: number[]; moved: number }> {
  const node = await startNode({ schedulers: 2, balance: mode });
  try {
    const pids = await Promise.all([...Array(n).keys()].map(() => node.spawn(BusyWorker, [ticks, iters, node.pid], { scheduler: 0 })));
    const done = waitFor<{ busyDone?: number }>(node, (m) => m.busyDone !== undefined, n);
    const t0 = performance.now();
    const start = { iters };
    for (const p of pids) node.send(p, start);
    await done;
    const ms = performance.now() - t0;
    const st = node.stats().schedulers;
    return { ms, actors: st.map((x) => x.actors), moved: st.reduce((a, x) => a + x.migrationsOut, 0) };
  } finally {
    await node.stop();
  }
}

const fmt = (x: number): string => (x / 1e6).toFixed(2);
console.log(`threads-bench on ${availableParallelism()} CPUs, node ${process.version}${quick ? ' (quick)' : ''}`);

const one = await ringThroughput([{ from: 0, to: 1 }], N, 3);
console.log(`rings, 1 producer (sched 0) -> 1 consumer (sched 1): ${fmt(one)} M msgs/s`);
const cross = await ringThroughput([{ from: 0, to: 1 }, { from: 1, to: 0 }], N, 3);
console.log(`rings, 2 pairs crossing both ways:                  ${fmt(cross)} M msgs/s`);
const pm = await postMessageThroughput(quick ? 200_000 : 1_000_000);
console.log(`postMessage, 1 producer worker -> 1 consumer worker: ${fmt(pm)} M msgs/s`);
console.log(`rings / postMessage: ${(one / pm).toFixed(1)}x (1 pair)`);
const oneInt = await ringThroughput([{ from: 0, to: 1 }], N, 3, true);
const pmInt = await postMessageThroughput(quick ? 200_000 : 1_000_000, true);
console.log(`integer messages: rings ${fmt(oneInt)} M msgs/s, postMessage ${fmt(pmInt)} M msgs/s, ${(oneInt / pmInt).toFixed(1)}x (1 pair)`);
if (ringsOnly) process.exit(0);
const rt = await pingPong(quick ? 20_000 : 200_000, 3);
console.log(`ping-pong round trip across schedulers: ${rt.toFixed(2)} us`);
const chunks = quick ? 40 : 200;
const iters = 200_000;
const t1 = await crunch(1, 8, chunks, iters);
const t2 = await crunch(2, 8, chunks, iters);
console.log(`parallel CPU work (8 actors x ${chunks} chunks): 1 scheduler ${t1.toFixed(0)} ms, 2 schedulers ${t2.toFixed(0)} ms, scaling ${(t1 / t2).toFixed(2)}x`);
await balance(100_000, quick ? 5 : 20, 2000);
{
  const n = quick ? 500 : 2000;
  const ticks = 50;
  const it = 20_000;
  const sp = await balanceAfterSpawn(n, ticks, it, 'spawn');
  const mg = await balanceAfterSpawn(n, ticks, it, 'migrate');
  console.log(
    `balance after spawn: ${n} busy actors pinned to scheduler 0 (${ticks} ticks of ${it} steps each) -> ` +
      `balance 'spawn' ${sp.ms.toFixed(0)} ms (actors per scheduler ${sp.actors.join('/')}), ` +
      `'migrate' ${mg.ms.toFixed(0)} ms (actors per scheduler ${mg.actors.join('/')}, ${mg.moved} moved), ${(sp.ms / mg.ms).toFixed(2)}x`,
  );
}
