/**
 * Overhead of the timeline trace (src/profile/trace/) on ping-pong: two actors on one
 * LocalNode scheduler exchange `--trips` round trips (default 200k), with tracing off and
 * on (startTrace with the default 65536-event ring, so it wraps and keeps overwriting)
 * recording every slice, and on recording one slice in `--sample` (default 16),
 * interleaved A B C A B C over `--runs` rounds (default 5) after one warm-up round.
 *
 *   node scripts/run-ts.mjs native-bench/trace-overhead.ts [--trips N] [--runs N] [--sample N]
 *
 * Prints, per mode, the median, min and max time per run (ms) and round trips per second,
 * then the ratio of medians (on / off). Goal: <= 1.10.
 * Protocol of one run:
 *   1. Spawn a ponger (replies 'pong' to each { from }) and a pinger (on 'go' and on each
 *      pong, the next ping, until `trips` pongs, then calls done() and exits).
 *   2. Time from sending 'go' to done(); the ponger is killed after.
 */
import { defineActor } from '../src/core/behaviour.ts';
import type { Context } from '../src/core/context.ts';
import type { Pid } from '../src/core/pid.ts';
import { startNode } from '../src/dist/start-node.ts';
import { startTrace, stopTrace } from '../src/profile/trace/index.ts';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const trips = arg('--trips', 200_000);
const runs = arg('--runs', 5);
const kSample = arg('--sample', 16);

const Ponger = defineActor(import.meta.url, {
  handle(m: { from: Pid }, s: null, ctx: Context) {
    ctx.send(m.from, 'pong');
    return s;
  },
}, 'Ponger');

const node = await startNode({ schedulers: 0 });

async function once(): Promise<number> {
  const ponger = await node.spawn(Ponger);
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const pinger = await node.spawn({
    init() {
      return { n: 0 };
    },
    handle(_m: unknown, s: { n: number }, ctx: Context) {
      if (s.n === trips) {
        done();
        ctx.exit('normal');
        return s;
      }
      s.n++;
      ctx.send(ponger, { from: ctx.self });
      return s;
    },
  } as never);
  const t0 = performance.now();
  node.send(pinger, 'go');
  await finished;
  const ms = performance.now() - t0;
  await node.exit(ponger, 'kill');
  return ms;
}

/** sample 0: tracing off; else startTrace with sampleSlices = sample. */
async function run(sample: number): Promise<number> {
  if (sample > 0) await startTrace(node, { sampleSlices: sample });
  const ms = await once();
  if (sample > 0) await stopTrace(node);
  return ms;
}

const stats = (xs: number[]): { med: number; min: number; max: number } => {
  const s = [...xs].sort((a, b) => a - b);
  return { med: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s.at(-1)! };
};

await run(0);
await run(1);
await run(kSample);
const off: number[] = [];
const on: number[] = [];
const sampled: number[] = [];
for (let i = 0; i < runs; i++) {
  off.push(await run(0));
  on.push(await run(1));
  sampled.push(await run(kSample));
}
const fmt = (name: string, xs: number[]): string => {
  const { med, min, max } = stats(xs);
  return `${name.padEnd(14)} median ${med.toFixed(1)} ms  min ${min.toFixed(1)}  max ${max.toFixed(1)}  (${((trips / med) * 1000 / 1e6).toFixed(3)} M round trips/s)`;
};
console.log(`ping-pong, ${trips} round trips, one LocalNode scheduler, ${runs} interleaved runs per mode`);
console.log(fmt('tracing off', off));
console.log(fmt('tracing on', on));
console.log(fmt(`on, 1 in ${kSample}`, sampled));
console.log(`ratio on/off (medians): every slice ${(stats(on).med / stats(off).med).toFixed(3)}, 1 slice in ${kSample} ${(stats(sampled).med / stats(off).med).toFixed(3)}  (goal <= 1.10)`);
await node.stop();
