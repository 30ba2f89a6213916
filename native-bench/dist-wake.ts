/**
 * What one cross-thread wake-up costs, by mechanism (issue 11, step 2: the I/O thread and
 * the node thread wake each other once per hop). The embedding thread and one worker
 * thread (standing in for the I/O thread, whose event loop must keep serving sockets)
 * play ping-pong; each mode is a different way for the woken side to notice:
 *
 *   waitAsync   Atomics.notify on a shared word; the other side waits with
 *               Atomics.waitAsync (what doorbell.ts parkAsync does today on both sides)
 *   port        MessagePort.postMessage; the other side's 'message' listener
 *   poll        the shared word polled once per event-loop turn (setImmediate), no notify
 *               (burns a core on each side while waiting)
 *   wait        the worker blocks in Atomics.wait (a scheduler's blocking park), the
 *               embedding thread uses waitAsync (it may never block)
 *
 *   node scripts/run-ts.mjs native-bench/dist-wake.ts [n=5000] [rounds=3] [modes=waitAsync,port,poll,wait]
 *
 * Protocol, per mode and round:
 *   1. The worker gets a start message naming the mode, says ready, then answers every
 *      ping; a ping of -1 ends its loop, and it says ended.
 *   2. The embedding thread sends n pings one after the other, timing each round trip
 *      (performance.now), and prints p50/p99 in microseconds; modes alternate within each
 *      round so a loaded machine moves them alike.
 * Shared words (Int32Array over one SharedArrayBuffer): 0 = ping count (written by the
 * embedding thread), 1 = pong count (written by the worker).
 */
import { Worker } from 'node:worker_threads';

const args: Record<string, string> = {};
for (const a of process.argv.slice(2)) {
  const i = a.indexOf('=');
  if (i <= 0) throw new Error(`dist-wake: bad argument ${a} (expected key=value)`);
  args[a.slice(0, i)] = a.slice(i + 1);
}
const n = Number(args.n ?? 5000);
const rounds = Number(args.rounds ?? 3);
const modes = (args.modes ?? 'waitAsync,port,poll,wait').split(',');
const known = new Set(['waitAsync', 'port', 'poll', 'wait']);
for (const m of modes) if (!known.has(m)) throw new Error(`dist-wake: unknown mode ${m}; known: ${[...known].join(', ')}`);

type WaitAsync = (a: Int32Array, i: number, v: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

// The worker side, plain JavaScript (no loader needed).
const workerCode = `
const { parentPort, workerData } = require('node:worker_threads');
const w = new Int32Array(workerData);
let mode = null, seen = 0;
const ended = () => parentPort.postMessage({ ended: true });
const pong = () => { Atomics.store(w, 1, seen); Atomics.notify(w, 1); };
const onWaitAsync = () => {
  const r = Atomics.waitAsync(w, 0, seen);
  const next = () => { seen = Atomics.load(w, 0); if (seen < 0) return ended(); pong(); onWaitAsync(); };
  if (r.async) r.value.then(next); else next();
};
const onPoll = () => {
  const v = Atomics.load(w, 0);
  if (v < 0) return ended();
  if (v !== seen) { seen = v; pong(); }
  setImmediate(onPoll);
};
const onWait = () => {
  for (;;) {
    Atomics.wait(w, 0, seen);
    seen = Atomics.load(w, 0);
    if (seen < 0) return ended();
    pong();
  }
};
parentPort.on('message', (m) => {
  if (m.start !== undefined) {
    mode = m.start; seen = 0;
    // Ready first: the 'wait' loop blocks this thread until the mode ends.
    parentPort.postMessage({ ready: true });
    if (mode === 'waitAsync') onWaitAsync();
    else if (mode === 'poll') onPoll();
    else if (mode === 'wait') onWait();
  } else if (m.ping !== undefined) {
    parentPort.postMessage({ pong: m.ping });
  } else if (m.stop) process.exit(0);
});
`;

const sab = new SharedArrayBuffer(8);
const words = new Int32Array(sab);
const worker = new Worker(workerCode, { eval: true, workerData: sab });

function once<T>(pred: (m: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: T): void => {
      if (!pred(m)) return;
      worker.off('message', on);
      resolve(m);
    };
    worker.on('message', on);
  });
}

/** The embedding thread's wait for pong number `k` on the shared word. */
async function pongAsync(k: number, poll: boolean): Promise<void> {
  for (;;) {
    const v = Atomics.load(words, 1);
    if (v >= k) return;
    if (poll) {
      await new Promise((r) => setImmediate(r));
      continue;
    }
    const r = waitAsync(words, 1, v);
    if (r.async) await r.value;
  }
}

async function runMode(mode: string): Promise<Float64Array> {
  Atomics.store(words, 0, 0);
  Atomics.store(words, 1, 0);
  worker.postMessage({ start: mode });
  await once<{ ready?: boolean }>((m) => m.ready === true);
  const us = new Float64Array(n);
  for (let i = 1; i <= n; i++) {
    const t0 = performance.now();
    if (mode === 'port') {
      const got = once<{ pong?: number }>((m) => m.pong === i);
      worker.postMessage({ ping: i });
      await got;
    } else {
      Atomics.store(words, 0, i);
      if (mode !== 'poll') Atomics.notify(words, 0);
      await pongAsync(i, mode === 'poll');
    }
    us[i - 1] = (performance.now() - t0) * 1000;
  }
  if (mode !== 'port') {
    // End the worker's loop of this mode (a negative ping) and wait until it says so.
    const ended = once<{ ended?: boolean }>((m) => m.ended === true);
    Atomics.store(words, 0, -1);
    Atomics.notify(words, 0);
    await ended;
  }
  return us.sort();
}

const pct = (s: Float64Array, q: number): number => s[Math.max(0, Math.min(s.length - 1, Math.ceil(q * s.length) - 1))]!;
const results = new Map<string, number[][]>();
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? modes : [...modes].reverse();
  for (const m of order) {
    const s = await runMode(m);
    if (!results.has(m)) results.set(m, []);
    results.get(m)!.push([pct(s, 0.5), pct(s, 0.99)]);
  }
}
worker.postMessage({ stop: true });
const fmt = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[Math.floor((s.length - 1) / 2)]!.toFixed(1)} [${s[0]!.toFixed(1)}–${s[s.length - 1]!.toFixed(1)}]`;
};
console.log(`| mode | rtt p50 us med [min–max] | rtt p99 us med [min–max] |  (n=${n}, rounds=${rounds})`);
console.log('|---|---:|---:|');
for (const m of modes) {
  const rs = results.get(m)!;
  console.log(`| ${m} | ${fmt(rs.map((x) => x[0]!))} | ${fmt(rs.map((x) => x[1]!))} |`);
}
