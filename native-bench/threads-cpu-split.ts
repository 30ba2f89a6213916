/**
 * Where a workload's CPU goes, by OS thread: the embedding (main) thread and all the others
 * (V8's GC helper threads — concurrent marking, parallel scavenge, sweeping — and, with
 * schedulers > 1, the scheduler worker threads), read from /proc/self/task/<tid>/stat
 * (utime + stime, 10 ms ticks) before and after one run of the workload (Linux only).
 *
 *   node --expose-gc scripts/run-ts.mjs native-bench/threads-cpu-split.ts [leaves] [schedulers]
 *
 * It answers "can a second scheduler make this faster on this machine": a 1-scheduler
 * skynet whose helper threads already use as much CPU as its main thread keeps two cores
 * busy by itself, so on a 2-core machine a second scheduler has no idle core to run on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { workloads, type Metric } from './switchboard/workloads.ts';
import { threadedWorkloads } from './switchboard/threaded-workloads.ts';

/** CPU ms so far: the main thread's and the sum over every other thread of the process. */
function cpuMs(): { main: number; others: number } {
  let main = 0;
  let others = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    let st: string;
    try {
      st = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(f[11]) + Number(f[12])) * 10;
    if (tid === String(process.pid)) main += ms;
    else others += ms;
  }
  return { main, others };
}

const leaves = Number(process.argv[2] ?? 300_000);
const schedulers = Number(process.argv[3] ?? 1);
let wallMs = NaN;
const emit = (m: Metric): void => {
  if (m.metric === 'ms') wallMs = m.value;
};
const params = { leaves, branch: 10 };
const before = cpuMs();
if (schedulers === 1) await workloads.skynet!.run(params, emit);
else await threadedWorkloads.skynet!(params, emit, schedulers);
const after = cpuMs();
const main = after.main - before.main;
const others = after.others - before.others;
console.log(`skynet ${leaves}x10 on ${schedulers} scheduler(s): ${wallMs.toFixed(0)} ms; CPU main thread ${main} ms, other threads ${others} ms ` +
  `(${((main + others) / wallMs).toFixed(2)} cores busy on average)` + (schedulers > 1 ? '; the node start and stop are inside the window' : ''));
process.exit(0);
