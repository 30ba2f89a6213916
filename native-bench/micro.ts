/**
 * `npm run bench:micro` — micro-benchmarks of the core's hot path (tinybench), in ns/op:
 *   mailbox push+shift, run queue push+shift, message copy (number, small object,
 *   medium object), local send → handle (one message through a handler actor), and
 *   the codec/ring figures of native-bench/micro-codec.ts when run with --all.
 * Each task repeats its operation `kInner` times per call so tinybench's own per-sample
 * cost does not distort the figure; ns/op = task mean / kInner.
 *   Options: --time <ms per task> (default 500), --all (also run micro-codec.ts).
 */
import { Bench } from 'tinybench';
import { Mailbox } from '../src/core/mailbox.ts';
import { RunQueue } from '../src/core/run-queue.ts';
import { copyMessage } from '../src/core/copy.ts';
import { Pid } from '../src/core/pid.ts';
import { Scheduler } from '../src/core/scheduler.ts';
import type { Context } from '../src/core/context.ts';

const kInner = 1000;
const timeArg = process.argv.indexOf('--time');
const time = timeArg > 0 ? Number(process.argv[timeArg + 1]) : 500;
let sink = 0;

const mb = new Mailbox();
const rq = new RunQueue<object>();
const item = {};
const small = { from: new Pid(0, 42, 0), n: 42, tag: 'ping' };
const medium = { id: 7, tags: ['a', 'b', 'c'], nested: { x: 1, y: [1, 2, 3], z: { deep: 'yes' } }, when: new Date(0), list: Array.from({ length: 16 }, (_, i) => i) };

const s = new Scheduler();
let handled = 0;
const sinkActor = s.spawn({ handle: (_m: unknown, st: undefined, _ctx: Context) => { handled++; return st; } });
s.runUntilIdle();

const bench = new Bench({ time, warmupTime: 200 });
bench
  .add('mailbox push+shift', () => {
    for (let i = 0; i < kInner; i++) mb.push(i);
    for (let i = 0; i < kInner; i++) sink += mb.shift() as number;
  })
  .add('run queue push+shift', () => {
    for (let i = 0; i < kInner; i++) rq.push(item);
    for (let i = 0; i < kInner; i++) sink += rq.shift() === item ? 1 : 0;
  })
  .add('copy number', () => {
    for (let i = 0; i < kInner; i++) sink += copyMessage(i) as number;
  })
  .add('copy small object {from: pid, n, tag}', () => {
    for (let i = 0; i < kInner; i++) sink += (copyMessage(small) as typeof small).n;
  })
  .add('copy medium object', () => {
    for (let i = 0; i < kInner; i++) sink += (copyMessage(medium) as typeof medium).id;
  })
  .add('local send → handle (number)', () => {
    for (let i = 0; i < kInner; i++) s.send(sinkActor, i);
    s.runUntilIdle();
  });

await bench.run();
const rows = bench.tasks.map((t) => {
  const r = t.result as unknown as { latency?: { mean: number }; mean?: number };
  const meanMs = r.latency?.mean ?? r.mean ?? NaN;
  return { task: t.name, 'ns/op': ((meanMs * 1e6) / kInner).toFixed(1) };
});
console.table(rows);
if (handled === 0 || sink === 0.5) console.log('unreachable');
if (process.argv.includes('--all')) await import('./micro-codec.ts');
