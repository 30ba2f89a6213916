/**
 * Micro-benchmarks of the multi-thread layer's data path (tinybench):
 *
 *   1. Message codec (src/codec/), encode + decode, against v8.serialize +
 *      v8.deserialize and against structuredClone, on a small message
 *      `{ from: pid, n: 42, tag: 'ping' }`, a medium object and a 64 KiB typed array.
 *      (v8 and structuredClone turn the Pid into a plain object: they do less work.)
 *   2. SPSC ring (src/threads/spsc-ring.ts) single-threaded throughput: batches of 64
 *      records of 16 bytes, one commit and one release per batch.
 *
 * Run (Node 20 cannot load .ts directly):
 *   node scripts/run-ts.mjs native-bench/micro-codec.ts            (once scripts/run-ts.mjs exists)
 *   npx esbuild native-bench/micro-codec.ts --bundle --platform=node --format=esm \
 *       --outfile=/tmp/micro-codec.mjs && node /tmp/micro-codec.mjs
 * Options: --time <ms per task> (default 500).
 */

import * as v8 from 'node:v8';
import { Bench } from 'tinybench';
import { Pid, Ref } from '../src/core/pid.ts';
import { MessageDecoder, MessageEncoder } from '../src/codec/index.ts';
import { SpscRingConsumer, SpscRingProducer, createSpscRing } from '../src/threads/spsc-ring.ts';

const timeArg = process.argv.indexOf('--time');
const time = timeArg > 0 ? Number(process.argv[timeArg + 1]) : 500;

// A sink the optimizer cannot see through.
let sink = 0;
function consume(v: unknown): void {
  sink = (sink + (v === undefined ? 0 : 1)) | 0;
}

const small = { from: new Pid(0, 42, 0), n: 42, tag: 'ping' };

const medium = {
  kind: 'order',
  id: 1_234_567,
  ref: new Ref(0, 3, 99_001),
  from: new Pid(0, 17, 2),
  replyTo: new Pid(0, 18, 0),
  customer: { name: 'Ada Lovelace', email: 'ada@example.org', city: 'Zürich', vip: true, score: 0.875 },
  items: Array.from({ length: 10 }, (_, i) => ({ sku: `SKU-${1000 + i}`, qty: i + 1, price: 9.99 + i, tags: ['a', 'b'] })),
  totals: { net: 549.45, tax: 104.4, gross: 653.85, currency: 'EUR' },
  created: new Date(1_700_000_000_000),
  flags: new Set(['paid', 'shipped']),
  notes: 'Leave at the door, ring twice — thanks! 🚪',
  history: [1, 2, 3, 5, 8, 13, 21, 34, 55, 89],
};

const bytes64k = new Uint8Array(64 * 1024).map((_, i) => (i * 31) & 0xff);

const encoder = new MessageEncoder();
const decoder = new MessageDecoder();
const target = new Uint8Array(1 << 20); // stands in for a reserved ring slot

// tinybench times every call of a task (~40 ns of its own per sample): each task repeats
// its operation `reps` times per call, and the figures below are divided by `reps`.
function repeated(reps: number, op: () => void): () => void {
  return () => {
    for (let r = 0; r < reps; r++) op();
  };
}
function codecRoundTrip(value: unknown): () => void {
  return () => {
    const n = encoder.encodeToScratch(value);
    consume(decoder.decode(encoder.scratch, 0, n));
  };
}
function codecInPlace(value: unknown): () => void {
  return () => {
    const n = encoder.encodeInto(value, target, 8);
    consume(decoder.decode(target, 8, n));
  };
}
function v8RoundTrip(value: unknown): () => void {
  return () => consume(v8.deserialize(v8.serialize(value)));
}
function cloneRoundTrip(value: unknown): () => void {
  return () => consume(structuredClone(value));
}

const subjects: [string, unknown, number][] = [
  ['small', small, 200],
  ['medium', medium, 20],
  ['u8-64KiB', bytes64k, 10],
];

// Ring: producer and consumer over the same buffer, in one thread.
const ringBuffer = createSpscRing(1 << 16);
const producer = new SpscRingProducer(ringBuffer);
const consumer = new SpscRingConsumer(ringBuffer);
const kBatch = 64;
const kRecordBytes = 16;
let seq = 0;
function ringBatch(): void {
  const bytes = producer.bytes;
  for (let i = 0; i < kBatch; i++) {
    const off = producer.tryReserve(kRecordBytes);
    bytes[off] = seq++ & 0xff;
    bytes[off + 15] = 1;
  }
  producer.commit();
  let sum = 0;
  let off: number;
  while ((off = consumer.next()) >= 0) sum += consumer.bytes[off]! + consumer.recordLength;
  consumer.release();
  sink = (sink + sum) | 0;
}

async function main(): Promise<void> {
  // Sanity: the codec really round-trips what we measure.
  for (const [, value] of subjects) {
    const n = encoder.encodeToScratch(value);
    const back = decoder.decode(encoder.scratch, 0, n);
    if (JSON.stringify(back, (_k, v: unknown) => (v instanceof Set ? [...v] : v)) !== JSON.stringify(value, (_k, v: unknown) => (v instanceof Set ? [...v] : v))) {
      throw new Error('codec round-trip mismatch');
    }
  }

  const bench = new Bench({ time, warmupTime: 200 });
  const reps = new Map<string, number>();
  const add = (name: string, n: number, op: () => void): void => {
    reps.set(name, n);
    bench.add(name, repeated(n, op));
  };
  for (const [name, value, n] of subjects) {
    add(`${name}: codec encode+decode`, n, codecRoundTrip(value));
    add(`${name}: codec encodeInto+decode`, n, codecInPlace(value));
    add(`${name}: v8.serialize+deserialize`, n, v8RoundTrip(value));
    add(`${name}: structuredClone`, n, cloneRoundTrip(value));
  }
  add('small: codec encode only', 200, () => consume(encoder.encodeToScratch(small)));
  const smallBytes = encoder.encode(small).slice();
  add('small: codec decode only', 200, () => consume(decoder.decode(smallBytes)));
  add('small: v8.serialize only', 200, () => consume(v8.serialize(small)));
  const smallV8 = v8.serialize(small);
  add('small: v8.deserialize only', 200, () => consume(v8.deserialize(smallV8)));
  add(`ring: batch of ${kBatch} x ${kRecordBytes}-byte records`, 20, ringBatch);
  await bench.run();

  const ns = new Map<string, number>();
  for (const task of bench.tasks) ns.set(task.name, ((task.result?.latency.mean ?? NaN) * 1e6) / reps.get(task.name)!);

  console.log(`node ${process.version}, ${time} ms per task, encoded sizes: ${subjects.map(([name, value]) => `${name} ${encoder.encodeToScratch(value)} B (v8 ${v8.serialize(value).length} B)`).join(', ')}\n`);
  console.log('task'.padEnd(44) + 'ns/op'.padStart(12));
  for (const task of bench.tasks) console.log(task.name.padEnd(44) + ns.get(task.name)!.toFixed(1).padStart(12));

  console.log('\nspeed-up of codec encode+decode (higher is better):');
  console.log('subject'.padEnd(12) + 'vs v8'.padStart(10) + 'vs clone'.padStart(10) + '   in place: vs v8'.padStart(19) + 'vs clone'.padStart(10));
  for (const [name] of subjects) {
    const codec = ns.get(`${name}: codec encode+decode`)!;
    const inPlace = ns.get(`${name}: codec encodeInto+decode`)!;
    const v8ns = ns.get(`${name}: v8.serialize+deserialize`)!;
    const clone = ns.get(`${name}: structuredClone`)!;
    console.log(
      name.padEnd(12) +
        `${(v8ns / codec).toFixed(2)}x`.padStart(10) +
        `${(clone / codec).toFixed(2)}x`.padStart(10) +
        `${(v8ns / inPlace).toFixed(2)}x`.padStart(19) +
        `${(clone / inPlace).toFixed(2)}x`.padStart(10),
    );
  }
  const batchNs = ns.get(`ring: batch of ${kBatch} x ${kRecordBytes}-byte records`)!;
  console.log(
    `\nring: ${(batchNs / kBatch).toFixed(2)} ns/record, ${((kBatch / batchNs) * 1e3).toFixed(1)} M records/s ` +
      `(${kRecordBytes}-byte payloads, ${kBatch} per commit/release, producer and consumer in one thread)`,
  );
  if (sink === 0x7fffffff) console.log('');
}

await main();
