/**
 * Micro-benchmark of one message's whole ring path, in one thread: endpoint A emits MSG
 * records (header words + the value, encoded in place in the ring), flushes (one tail store
 * per batch), endpoint B drains them (one head store per batch) and decodes each value. No
 * scheduler and no second thread, so the figure is the per-record cost of the ring protocol
 * and the codec alone, steady enough to compare two trees on a loaded machine.
 *
 *   node scripts/run-ts.mjs native-bench/micro-ring-path.ts [--n <records per run>] [--runs <k>]
 *
 * Prints ns per record (min / median / max over the runs) for each kind of message: a small
 * integer, a float, a short string, `{ n: i }` (the message of threads-bench.ts) and
 * `{ from: pid, n, tag }`.
 */
import { Pid } from '../src/core/pid.ts';
import { Endpoint } from '../src/threads/endpoint.ts';
import { computeLayout } from '../src/threads/layout.ts';
import { kCtlAliveBase, kCtlEndpoints, kCtlMagic, kLayoutMagic } from '../src/threads/layout.ts';
import { initSpscRing } from '../src/threads/spsc-ring.ts';
import { ringOffset } from '../src/threads/layout.ts';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('--n', 2_000_000);
const runs = arg('--runs', 5);
const kBatch = 1000;

const layout = computeLayout({ schedulers: 1, ringBytes: 1 << 18, maxNames: 16 });
const sab = new SharedArrayBuffer(layout.totalBytes);
const control = new Int32Array(sab, 0, layout.controlWords);
control[kCtlMagic] = kLayoutMagic;
control[kCtlEndpoints] = layout.endpoints;
for (let e = 0; e < layout.endpoints; e++) control[kCtlAliveBase + e] = 1;
for (let a = 0; a < layout.endpoints; a++) {
  for (let b = 0; b < layout.endpoints; b++) if (a !== b) initSpscRing(sab, ringOffset(layout, a, b), layout.ringBytes);
}

let got = 0;
let sum = 0;

class Sender extends Endpoint {
  protected localPid(id: number, serial: number): Pid {
    return new Pid(0, id, serial);
  }
  protected onRecord(): void {}
}

class Receiver extends Endpoint {
  protected localPid(id: number, serial: number): Pid {
    return new Pid(0, id, serial);
  }
  protected onRecord(_src: number, words: Int32Array, w: number, bytes: Uint8Array, len: number): void {
    const v = this.decodeValue(bytes, w, 3, len);
    got++;
    if (typeof v === 'number') sum += v;
    else if (typeof v === 'string') sum += v.length;
    else sum += (v as { n: number }).n;
  }
}

const a = new Sender(sab, layout, 0, 1 << 20);
const b = new Receiver(sab, layout, 1, 1 << 20);
const to = new Pid(0, 3, 0); // owned by endpoint 1
const from = new Pid(0, 42, 0);

function run(make: (i: number) => unknown): number {
  got = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i += kBatch) {
    for (let j = 0; j < kBatch; j++) a.emit(1, a.hdrMsg(to), make(i + j), true);
    a.flush();
    b.drain(kBatch);
  }
  const ms = performance.now() - t0;
  if (got !== N) throw new Error(`got ${got} of ${N}`);
  return (ms * 1e6) / N;
}

const subjects: [string, (i: number) => unknown][] = [
  ['int (0..2^31)', (i) => i],
  ['float64', (i) => i + 0.5],
  ['short string', (i) => (i & 1 ? 'ping' : 'pong')],
  ['{ n: i }', (i) => ({ n: i })],
  ['{ from: pid, n, tag }', (i) => ({ from, n: i, tag: 'ping' })],
];

console.log(`ring path (emit + flush + drain + decode, one thread), ${N} records per run, ${runs} runs, node ${process.version}`);
console.log('message'.padEnd(24) + 'min'.padStart(10) + 'median'.padStart(10) + 'max'.padStart(10) + '  ns/record');
for (const [name, make] of subjects) {
  run(make); // warm-up
  const xs: number[] = [];
  for (let r = 0; r < runs; r++) xs.push(run(make));
  xs.sort((p, q) => p - q);
  console.log(name.padEnd(24) + xs[0]!.toFixed(1).padStart(10) + xs[xs.length >> 1]!.toFixed(1).padStart(10) + xs[xs.length - 1]!.toFixed(1).padStart(10));
}
if (sum === 0.25) console.log('');
