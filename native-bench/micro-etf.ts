/**
 * Micro-benchmarks of the External Term Format codec (src/codec/etf/, tinybench): encode
 * and decode, one at a time, of a few terms typical of Erlang distribution traffic:
 *
 *   1. gen_call: `{'$gen_call', {Pid, [alias | Ref]}, {get, <<"user:42">>}}` (a call request);
 *   2. record-ish map: `#{id => 1234567, name => <<"Ada">>, tags => [a, b], score => 0.875, ...}`;
 *   3. list of 1000 small tuples `{I, I * 1.5}`;
 *   4. a 64 KiB binary;
 *   5. a 1000-element list of small integers (a STRING_EXT), and 2^200 as a bignum.
 *
 * `encode` returns a fresh copy of the bytes; `encodeToScratch` leaves them in the encoder's
 * buffer (what a frame writer that copies them on would use). Figures are ns per
 * operation and MB/s of encoded bytes. For scale, the house message
 * codec (src/codec/) on the plain-object form of the map is printed too.
 *
 * Run: node scripts/run-ts.mjs native-bench/micro-etf.ts [--time <ms per task>] (default 400)
 */
import { Bench } from 'tinybench';
import { Atom, ErlFloat, ErlPid, ErlRef, EtfDecoder, EtfEncoder, ImproperList, Tuple } from '../src/codec/etf/index.ts';
import { MessageDecoder, MessageEncoder } from '../src/codec/index.ts';

const timeArg = process.argv.indexOf('--time');
const time = timeArg > 0 ? Number(process.argv[timeArg + 1]) : 400;

let sink = 0;
function consume(v: unknown): void {
  sink = (sink + (v === undefined ? 0 : 1)) | 0;
}

const node = Atom.of('e@127.0.0.1');
const a = (s: string) => Atom.of(s);
const te = new TextEncoder();

const genCall = Tuple.of(a('$gen_call'), Tuple.of(new ErlPid(node, 88, 0, 0x5eed), new ImproperList([a('alias')], new ErlRef(node, 0x5eed, [11, 22, 33]))), Tuple.of(a('get'), te.encode('user:42')));
const recordMap = new Map<unknown, unknown>([
  [a('id'), 1234567], [a('name'), te.encode('Ada')], [a('email'), te.encode('ada@example.org')], [a('tags'), [a('admin'), a('vip')]],
  [a('score'), 0.875], [a('active'), true], [a('created'), 1_700_000_000],
]);
// The same record as the house codec would carry it (strings for atoms: Atom is not a registered class there).
const recordObject = { id: 1234567, name: 'Ada', email: 'ada@example.org', tags: ['admin', 'vip'], score: 0.875, active: true, created: 1_700_000_000 };
const tuples = Array.from({ length: 1000 }, (_, i) => Tuple.of(i, i % 2 === 0 ? new ErlFloat(i * 1.5) : i * 1.5));
const bin64k = new Uint8Array(64 * 1024).map((_, i) => (i * 31) & 0xff);
const bytesList = Array.from({ length: 1000 }, (_, i) => i & 0xff);
const bignum = 2n ** 200n;

const subjects: [string, unknown, number][] = [
  ['gen_call', genCall, 200],
  ['map (7 keys)', recordMap, 100],
  ['1000 tuples', tuples, 2],
  ['binary 64 KiB', bin64k, 10],
  ['1000-byte list', bytesList, 20],
  ['bignum 2^200', bignum, 200],
];

const enc = new EtfEncoder();
const dec = new EtfDecoder();
const houseEnc = new MessageEncoder();
const houseDec = new MessageDecoder();

function repeated(reps: number, op: () => void): () => void {
  return () => {
    for (let r = 0; r < reps; r++) op();
  };
}

async function main(): Promise<void> {
  const bench = new Bench({ time, warmupTime: 200 });
  const reps = new Map<string, number>();
  const sizes = new Map<string, number>();
  const add = (name: string, n: number, size: number, op: () => void): void => {
    reps.set(name, n);
    sizes.set(name, size);
    bench.add(name, repeated(n, op));
  };
  for (const [name, value, n] of subjects) {
    const bytes = enc.encode(value);
    add(`${name}: etf encode`, n, bytes.length, () => consume(enc.encode(value)));
    add(`${name}: etf encodeToScratch`, n, bytes.length, () => consume(enc.encodeToScratch(value)));
    add(`${name}: etf decode`, n, bytes.length, () => consume(dec.decode(bytes)));
  }
  const houseBytes = houseEnc.encode(recordObject).slice();
  add('plain object (7 keys): house codec encode', 100, houseBytes.length, () => consume(houseEnc.encodeToScratch(recordObject)));
  add('plain object (7 keys): house codec decode', 100, houseBytes.length, () => consume(houseDec.decode(houseBytes)));
  await bench.run();

  console.log(`node ${process.version}, ${time} ms per task\n`);
  console.log('task'.padEnd(44) + 'bytes'.padStart(8) + 'ns/op'.padStart(12) + 'MB/s'.padStart(10));
  for (const task of bench.tasks) {
    const ns = ((task.result?.latency.mean ?? NaN) * 1e6) / reps.get(task.name)!;
    const size = sizes.get(task.name)!;
    console.log(task.name.padEnd(44) + String(size).padStart(8) + ns.toFixed(1).padStart(12) + ((size / ns) * 1e3).toFixed(1).padStart(10));
  }
  if (sink === 0x7fffffff) console.log('');
}

await main();
