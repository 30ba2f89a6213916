/**
 * The microstate sampler: ONE thread per process that, every `intervalMs`, reads the
 * current-microstate word of every thread of every node registered with it and counts
 * what it found (core/microstate.ts, step 2) — a sampling profiler of scheduler states.
 *
 *   node A area ----+                         +-- every intervalMs of each area:
 *   node B area ----+--> sampler thread ------+   seq++, for t: count[t][Atomics.load(word t)]++,
 *      (register / unregister over a port,    |   ticks++, elapsedMs += dt, seq++
 *       a generation word + Atomics.notify)   +-- sleeps in Atomics.wait(gen, g, untilNextDue)
 *
 * Protocol:
 *   1. `sampleArea(sab, offset, threads, intervalMs)` (the node's constructor): the first
 *      call in a process starts the thread (unref'd, no execArgv: plain JS, no module
 *      hooks); the area is posted on a MessagePort, then the generation word is bumped and
 *      notified, so the sampler (blocked in Atomics.wait, never in its event loop) takes
 *      the message with receiveMessageOnPort.
 *   2. The sampler ticks each area when due, then waits until the earliest due time or a
 *      new generation. With no area it waits on the generation word only (no CPU).
 *   3. The returned function (the node's stop) posts 'remove' the same way; the area is
 *      never touched again. The thread lives on, idle, for the next node of the process.
 * Why one per process rather than one per node: many nodes in one process (tests,
 * embedders) would each cost a thread (~10 MB, a start of tens of ms); one thread reads any
 * number of areas, and its cost per tick is a few loads per thread.
 * Resolution: a state's time is the sum of the tick periods that found it. Over n ticks a
 * state with true share p is estimated with a standard error of sqrt(p(1-p)/n) (binomial):
 * ±1.6 points at p = 0.5 after 1 s at 1 ms; a state seen k times is known to about
 * 1/sqrt(k) relative (±10 % at k = 100). Periods shorter than the interval are seen in
 * proportion to how often they occur, not missed; GC is exact (gc-observer.ts).
 * Erlang mapping: erts counts msacc states exactly (a clock read per transition, off by
 * default, `msacc:start/0`); here the transitions are free and the clock is the sampler's,
 * so it can stay on.
 */
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { kMsaccLayout, kMsStates } from '../core/microstate.ts';
import { setMicrostateSampler } from '../core/msacc/node-msacc.ts';

const L = kMsaccLayout;

// The sampler thread's program (CommonJS, run with eval: no file to resolve, no loader).
const kSamplerSource = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const gen = new Int32Array(workerData.gen);
const port = workerData.port;
const S = ${kMsStates}, HB = ${L.headerBytes}, TB = ${L.threadBytes};
const areas = new Map();
let seen = -1; // take what was posted before this thread started
function take() {
  for (let m; (m = receiveMessageOnPort(port)) !== undefined;) {
    const d = m.message;
    if (d.op === 'remove') { areas.delete(d.id); continue; }
    const now = performance.now();
    const i32 = new Int32Array(d.sab, 0, d.sab.byteLength >> 2);
    const f64 = new Float64Array(d.sab, 0, d.sab.byteLength >> 3);
    const words = [], counts = [];
    for (let t = 0; t < d.threads; t++) {
      const b = d.offset + HB + t * TB;
      words.push(b >> 2);
      counts.push((b >> 3) + ${L.count0});
    }
    f64[(d.offset >> 3) + ${L.interval}] = d.intervalMs;
    areas.set(d.id, { i32, f64, seq: d.offset >> 2, hdr: d.offset >> 3, words, counts, interval: d.intervalMs, due: now + d.intervalMs, last: now });
  }
}
function tick(a, now) {
  const { i32, f64, words, counts } = a;
  const dt = now - a.last;
  Atomics.add(i32, a.seq, 1);
  for (let t = 0; t < words.length; t++) {
    const s = Atomics.load(i32, words[t]);
    if (s >= 0 && s < S) {
      f64[counts[t] + s] += 1;
      f64[counts[t] + S + s] += dt;
    }
  }
  f64[a.hdr + ${L.ticks}] += 1;
  f64[a.hdr + ${L.elapsed}] += dt;
  a.last = now;
  Atomics.add(i32, a.seq, 1);
}
for (;;) {
  const g = Atomics.load(gen, 0);
  if (g !== seen) { seen = g; take(); }
  if (areas.size === 0) { Atomics.wait(gen, 0, seen); continue; }
  const now = performance.now();
  let next = Infinity;
  for (const a of areas.values()) {
    if (now >= a.due) {
      tick(a, now);
      a.due += a.interval;
      if (a.due <= now) a.due = now + a.interval;
    }
    if (a.due < next) next = a.due;
  }
  const wait = next - performance.now();
  if (wait > 0) Atomics.wait(gen, 0, seen, wait);
}
`;

interface SamplerThread {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly gen: Int32Array;
}

let thread: SamplerThread | null = null;
let nextId = 1;

function samplerThread(): SamplerThread {
  if (thread !== null) return thread;
  const gen = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(kSamplerSource, {
    eval: true,
    execArgv: [],
    name: 'switchboard-msacc-sampler',
    workerData: { gen: gen.buffer, port: port2 },
    transferList: [port2],
    resourceLimits: { maxOldGenerationSizeMb: 16 },
  });
  worker.unref();
  port1.unref();
  // The thread ended (terminated by a test runner, out of memory): the next area starts another.
  worker.once('exit', () => {
    if (thread !== null && thread.worker === worker) thread = null;
  });
  worker.on('error', (e) => { if (process.env['SB_MSACC_DEBUG']) console.error('msacc sampler', e); });
  thread = { worker, port: port1, gen };
  return thread;
}

function post(t: SamplerThread, msg: unknown): void {
  t.port.postMessage(msg);
  Atomics.add(t.gen, 0, 1);
  Atomics.notify(t.gen, 0);
}

/** Step 1: sample the `threads` words of the area at `offset` of `sab` every `intervalMs`. Returns step 3. */
export function sampleArea(sab: SharedArrayBuffer, offset: number, threads: number, intervalMs: number): () => void {
  const t = samplerThread();
  const id = nextId++;
  post(t, { op: 'add', id, sab, offset, threads, intervalMs });
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (thread === t) post(t, { op: 'remove', id });
  };
}

/** The default sampling period, ms. */
// Loading this module installs the sampler for every node of the process (core/msacc/node-msacc.ts).
setMicrostateSampler(sampleArea);
