/**
 * Driver for the Switchboard half of the benchmark suite: the twin of
 * native-bench/erlang/sb_bench.erl, with the same protocol.
 *
 *   node --expose-gc scripts/run-ts.mjs native-bench/switchboard/driver.ts <workload> \
 *        schedulers=1 preset=full|quick timeout_ms=N key=value ...
 *        [balance=steal|migrate|spawn] [spin_us=N] [stats=1]   (threaded runs only: node
 *        options of the workload's nodes, and their scheduler stats printed to stderr)
 *        [threaded=1]   (the worker-thread version with schedulers=1 too)
 *
 * schedulers=1 runs workloads.ts on one in-thread scheduler; schedulers=N>1 runs
 * threaded-workloads.ts on a ThreadedNode with N worker-thread schedulers.
 *
 * prints one JSON object per line on stdout, one per metric, then exits 0; on failure it
 * prints one line with an "error" field and exits non-zero (1 = workload failed,
 * 2 = bad arguments, 3 = its watchdog fired).
 */
import { nodeSettings, threadedWorkloads } from './threaded-workloads.ts';
import { workloads, type Metric, type Params } from './workloads.ts';

function fail(code: number, error: string): never {
  process.stdout.write(JSON.stringify({ error }) + '\n');
  process.exit(code);
}

const [name, ...kv] = process.argv.slice(2);
const w = name === undefined ? undefined : workloads[name.replace('-', '_')];
if (w === undefined) fail(2, `unknown workload ${name ?? '(none)'}; one of ${Object.keys(workloads).join(', ')}`);
const args: Record<string, string> = {};
for (const a of kv) {
  const i = a.indexOf('=');
  if (i <= 0) fail(2, `bad argument ${a} (expected key=value)`);
  args[a.slice(0, i)] = a.slice(i + 1);
}
const preset = args.preset ?? 'full';
if (preset !== 'full' && preset !== 'quick') fail(2, `preset must be full or quick, not ${preset}`);
const schedulers = Number(args.schedulers ?? 1);
if (!Number.isInteger(schedulers) || schedulers < 1) fail(2, `schedulers must be a positive integer, not ${args.schedulers}`);
// threaded=1: the worker-thread version also with one scheduler (a ThreadedNode of one
// worker), to tell the cost of the threads from the cost of the second scheduler.
const forceThreaded = args.threaded === '1';
const threaded = schedulers > 1 || forceThreaded ? threadedWorkloads[name!.replace('-', '_')] : undefined;
// With more than one scheduler, workloads without a multi-scheduler version print nothing.
if ((schedulers > 1 || forceThreaded) && threaded === undefined) process.exit(0);
const timeoutMs = Number(args.timeout_ms ?? 600_000);
const params: Params = { ...w.params[preset] };
for (const [k, v] of Object.entries(args)) {
  if (k === 'preset' || k === 'schedulers' || k === 'timeout_ms' || k === 'threaded') continue;
  if (k === 'balance') {
    if (v !== 'steal' && v !== 'migrate' && v !== 'spawn') fail(2, `balance must be steal, migrate or spawn, not ${v}`);
    nodeSettings.balance = v;
    continue;
  }
  if (k === 'spin_us') {
    nodeSettings.spinUs = Number(v);
    continue;
  }
  if (k === 'stats') {
    nodeSettings.stats = v === '1';
    continue;
  }
  if (!(k in params)) fail(2, `unknown parameter ${k} for ${name}; known: ${Object.keys(params).join(', ')}`);
  params[k] = typeof params[k] === 'number' ? Number(v.replaceAll('_', '')) : v;
  if (typeof params[k] === 'number' && !Number.isFinite(params[k])) fail(2, `parameter ${k} must be a number`);
}
const watchdog = setTimeout(() => fail(3, `watchdog: ${name} ran past ${timeoutMs} ms`), timeoutMs);
watchdog.unref();
const emit = (m: Metric): void => {
  const { extra, ...rest } = m;
  process.stdout.write(JSON.stringify({ workload: name, ...rest, schedulers, ...extra }) + '\n');
};
try {
  if (threaded !== undefined) await threaded(params, emit, schedulers);
  else await w.run(params, emit);
} catch (e) {
  fail(1, e instanceof Error ? `${e.message}\n${e.stack}` : String(e));
}
process.exit(0);
