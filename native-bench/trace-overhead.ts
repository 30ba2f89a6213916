/**
 * Overhead of the timeline trace (src/profile/trace/) on ping-pong: two actors exchange
 * `--trips` round trips (default 200k) with tracing off and on, interleaved (off, on,
 * exact, sampled, off, ...) over `--runs` rounds (default 5) after one warm-up round:
 *   off      no tracer
 *   on       startTrace defaults: every slice and every send recorded, the clock read after
 *            every 16th slice of a run (clockEvery 16), the 65536-row ring wrapping
 *   exact    every slice with its own clock read (clockEvery 1)
 *   sampled  one slice in `--sample` (default 16) recorded, no sends
 *
 *   node scripts/run-ts.mjs native-bench/trace-overhead.ts [--trips N] [--runs N]
 *        [--sample N] [--schedulers N] [--modes off,on,exact,sampled]
 *
 * --schedulers 0 (default): one LocalNode scheduler on this thread; N >= 1: a ThreadedNode
 * with N scheduler threads, the ponger on scheduler 0 and the pinger on scheduler N-1 (with
 * N >= 2 every message crosses threads, and every slice is a cross-thread flow).
 * Prints, per mode, the median, min and max wall time per run (ms) and round trips per
 * second, and the median and min process CPU time per run (process.cpuUsage: user +
 * system of every thread; on a loaded machine CPU time is less disturbed than wall time
 * by waiting for a core), then the ratios of each mode to off. Goal for `on`: <= 1.10.
 * Protocol of one run:
 *   1. Spawn a ponger (replies 'pong' to each { from }) and a pinger (on 'go' and on each
 *      pong, the next ping, until `trips` pongs, then sends 'done' to the embedding's
 *      gateway (node.pid, a 'message' event) and exits).
 *   2. Time from sending 'go' to the pinger's report; the ponger is killed after.
 */
import { defineActor } from '../src/core/behaviour.ts';
import type { Context } from '../src/core/context.ts';
import type { Pid } from '../src/core/pid.ts';
import { startNode } from '../src/dist/start-node.ts';
import { startTrace, stopTrace, type TraceOptions } from '../src/profile/trace/index.ts';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const trips = arg('--trips', 200_000);
const runs = arg('--runs', 5);
const kSample = arg('--sample', 16);
const schedulers = arg('--schedulers', 0);
const mi = process.argv.indexOf('--modes');
const modes = (mi >= 0 ? process.argv[mi + 1]! : 'off,on,exact,sampled').split(',');

export const Ponger = defineActor(import.meta.url, {
  handle(m: { from: Pid }, s: null, ctx: Context) {
    ctx.send(m.from, 'pong');
    return s;
  },
}, 'Ponger');

export const Pinger = defineActor(import.meta.url, {
  init(ponger: Pid, n: number, report: Pid) {
    return { ponger, left: n, report };
  },
  handle(_m: unknown, s: { ponger: Pid; left: number; report: Pid }, ctx: Context) {
    if (s.left === 0) {
      ctx.send(s.report, 'done');
      ctx.exit('normal');
      return s;
    }
    s.left--;
    ctx.send(s.ponger, { from: ctx.self });
    return s;
  },
}, 'Pinger');

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop()!);
if (isMain) {
  const node = await startNode({ schedulers });
  const last = Math.max(0, schedulers - 1);

  const once = async (): Promise<[number, number]> => {
    const ponger = await node.spawn(Ponger, [], schedulers > 0 ? { scheduler: 0 } : undefined);
    const finished = new Promise<void>((r) => node.once('message', () => r()));
    const pinger = await node.spawn(Pinger, [ponger, trips, node.pid], schedulers > 0 ? { scheduler: last } : undefined);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    node.send(pinger, 'go');
    await finished;
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    await node.exit(ponger, 'kill');
    return [ms, (c.user + c.system) / 1000];
  };

  const optsOf: Record<string, TraceOptions | null> = { off: null, on: {}, exact: { clockEvery: 1 }, sampled: { sampleSlices: kSample } };
  const run = async (mode: string): Promise<[number, number]> => {
    const o = optsOf[mode];
    if (o === undefined) throw new Error(`trace-overhead: unknown mode ${mode}`);
    if (o !== null) await startTrace(node, o);
    const ms = await once();
    if (o !== null) await stopTrace(node);
    return ms;
  };

  const stats = (xs: number[]): { med: number; min: number; max: number } => {
    const s = [...xs].sort((a, b) => a - b);
    return { med: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s.at(-1)! };
  };
  const times = new Map<string, number[]>(modes.map((m) => [m, []]));
  const cpu = new Map<string, number[]>(modes.map((m) => [m, []]));
  for (const m of modes) await run(m);
  for (let i = 0; i < runs; i++) {
    for (const m of modes) {
      const [ms, c] = await run(m);
      times.get(m)!.push(ms);
      cpu.get(m)!.push(c);
    }
  }
  const where = schedulers === 0 ? 'one LocalNode scheduler' : `ThreadedNode, ${schedulers} scheduler thread(s), ponger on 0, pinger on ${last}`;
  console.log(`ping-pong, ${trips} round trips, ${where}, ${runs} interleaved runs per mode`);
  for (const [m, xs] of times) {
    const { med, min, max } = stats(xs);
    const c = stats(cpu.get(m)!);
    console.log(`${m.padEnd(8)} median ${med.toFixed(1)} ms  min ${min.toFixed(1)}  max ${max.toFixed(1)}  (${((trips / med) * 1000 / 1e6).toFixed(3)} M round trips/s)  cpu median ${c.med.toFixed(1)} ms  min ${c.min.toFixed(1)}`);
  }
  const off = times.get('off');
  if (off !== undefined) {
    const o = stats(off);
    const parts = [...times].filter(([m]) => m !== 'off').map(([m, xs]) => `${m} ${(stats(xs).med / o.med).toFixed(3)} (min ${(stats(xs).min / o.min).toFixed(3)})`);
    console.log(`wall ratio to off, median (min): ${parts.join(', ')}  (goal for on <= 1.10)`);
    const oc = stats(cpu.get('off')!);
    const cparts = [...cpu].filter(([m]) => m !== 'off').map(([m, xs]) => `${m} ${(stats(xs).med / oc.med).toFixed(3)} (min ${(stats(xs).min / oc.min).toFixed(3)})`);
    console.log(`cpu ratio to off, median (min): ${cparts.join(', ')}`);
  }
  await node.stop();
}
