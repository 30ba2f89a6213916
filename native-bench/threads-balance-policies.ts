/**
 * Balance policies side by side (src/threads/stealing.ts, balancer.ts, migration.ts): one
 * parent on scheduler 0 of a 2-scheduler node spawns N busy actors in one handler (a pool
 * burst, default placement), for each `balance` policy; prints the time until all are
 * done and where they ran (spawned here, stolen/placed away, moved by live migration).
 *
 *   node scripts/run-ts.mjs native-bench/threads-balance-policies.ts [N] [policies, e.g. steal,migrate,spawn]
 */
import { startNode } from '../src/dist/start-node.ts';
import type { ThreadedNode } from '../src/threads/index.ts';
import { BusyParent } from './threads-bench-actors.ts';

const n = Number(process.argv[2] ?? 20_000);
const policies = (process.argv[3] ?? 'steal,migrate,spawn').split(',') as ('steal' | 'spawn' | 'migrate')[];

function waitFor<T>(node: ThreadedNode, pred: (m: T) => boolean, count: number): Promise<T[]> {
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
    node.on('message', on as (m: unknown) => void);
  });
}

for (const balance of policies) {
  const node = await startNode({ schedulers: 2, balance });
  try {
    const parent = await node.spawn(BusyParent, [], { scheduler: 0 });
    const spawned = waitFor<{ spawned?: number; perScheduler?: number[] }>(node, (m) => m.spawned !== undefined, 1);
    const done = waitFor<{ busyDone?: number }>(node, (m) => m.busyDone !== undefined, n);
    const t0 = performance.now();
    node.send(parent, { spawnBusy: { n, ticks: 5, iters: 2000, report: node.pid, endpoints: node.schedulers + 1 } });
    const [{ perScheduler }] = (await spawned) as [{ perScheduler: number[] }];
    await done;
    const ms = performance.now() - t0;
    const st = node.stats().schedulers;
    console.log(`${balance}: ${n} busy actors from one parent, all done in ${ms.toFixed(0)} ms; pids per scheduler ${perScheduler.join('/')}; ` +
      `placed away ${st[0]!.migrations}, moved ${st.map((x) => x.migrationsOut).join('/')}; busy ms ${st.map((x) => x.busyMs.toFixed(0)).join('/')}`);
  } finally {
    await node.stop();
  }
}
process.exit(0);
