/**
 * The one-thread ring path of native-bench/micro-ring-path.ts and ring-path-ab.ts, loaded
 * from a source tree given by path (so an A/B run can load two trees into one process and
 * alternate them, which a loaded machine disturbs far less than two processes):
 *
 *   1. endpoint A (a Sender) emits `kBatch` MSG records addressed to a pid of endpoint B,
 *      each value encoded in place in the A -> B ring;
 *   2. A flushes (one tail store for the batch);
 *   3. B drains them (one head store) and decodes each value;
 *   4. repeat until `n` records have crossed; return CPU ns per record (process CPU time:
 *      waiting for a core does not count).
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

export const kBatch = 1000;

export type RingPathRun = (make: (i: number) => unknown, n: number) => number;

/** This process's CPU time in ms. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

type EndpointModule = typeof import('../src/threads/endpoint.ts');
type LayoutModule = typeof import('../src/threads/layout.ts');
type RingModule = typeof import('../src/threads/spsc-ring.ts');
type PidModule = typeof import('../src/core/pid.ts');

/** Load the ring path of the tree whose `src` folder is `srcRoot`, and return its runner. */
export async function loadRingPath(srcRoot: string): Promise<{ run: RingPathRun; pid: (id: number) => unknown }> {
  const url = (p: string): string => pathToFileURL(resolve(srcRoot, p)).href;
  const { Endpoint } = (await import(url('threads/endpoint.ts'))) as EndpointModule;
  const L = (await import(url('threads/layout.ts'))) as LayoutModule;
  const { initSpscRing } = (await import(url('threads/spsc-ring.ts'))) as RingModule;
  const { Pid } = (await import(url('core/pid.ts'))) as PidModule;

  const layout = L.computeLayout({ schedulers: 1, ringBytes: 1 << 18, maxNames: 16 });
  const sab = new SharedArrayBuffer(layout.totalBytes);
  const control = new Int32Array(sab, 0, layout.controlWords);
  control[L.kCtlMagic] = L.kLayoutMagic;
  control[L.kCtlEndpoints] = layout.endpoints;
  for (let e = 0; e < layout.endpoints; e++) control[L.kCtlAliveBase + e] = 1;
  for (let a = 0; a < layout.endpoints; a++) {
    for (let b = 0; b < layout.endpoints; b++) if (a !== b) initSpscRing(sab, L.ringOffset(layout, a, b), layout.ringBytes);
  }

  let got = 0;
  let sum = 0;
  class Sender extends Endpoint {
    protected localPid(id: number, serial: number): InstanceType<typeof Pid> {
      return new Pid(0, id, serial);
    }
    protected onRecord(): void {}
  }
  class Receiver extends Endpoint {
    protected localPid(id: number, serial: number): InstanceType<typeof Pid> {
      return new Pid(0, id, serial);
    }
    protected onRecord(_src: number, _words: Int32Array, w: number, bytes: Uint8Array, len: number): void {
      const v = this.decodeValue(bytes, w, 3, len);
      got++;
      if (typeof v === 'number') sum = (sum + v) | 0;
      else if (typeof v === 'string') sum = (sum + v.length) | 0;
      else sum = (sum + (v as { n: number }).n) | 0;
    }
  }
  const a = new Sender(sab, layout, 0, 1 << 20);
  const b = new Receiver(sab, layout, 1, 1 << 20);
  const to = new Pid(0, 3, 0); // owned by endpoint 1

  const run: RingPathRun = (make, n) => {
    got = 0;
    const t0 = cpuMs();
    for (let i = 0; i < n; i += kBatch) {
      for (let j = 0; j < kBatch; j++) a.emit(1, a.hdrMsg(to), make(i + j), true);
      a.flush();
      b.drain(kBatch);
    }
    const ms = cpuMs() - t0;
    if (got !== n) throw new Error(`got ${got} of ${n}`);
    if (sum === 0.25) console.log('');
    return (ms * 1e6) / n;
  };
  return { run, pid: (id) => new Pid(0, id, 0) };
}

/** The messages both benches send, by name; `pid` makes a pid of the tree under test. */
export function subjects(pid: (id: number) => unknown): [string, (i: number) => unknown][] {
  const from = pid(42);
  return [
    ['int (0..2^31)', (i) => i],
    ['float64', (i) => i + 0.5],
    ['short string', (i) => (i & 1 ? 'ping' : 'pong')],
    ['{ n: i }', (i) => ({ n: i })],
    ['{ from: pid, n, tag }', (i) => ({ from, n: i, tag: 'ping' })],
  ];
}

export function stats(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((p, q) => p - q);
  return { min: s[0]!, median: s[s.length >> 1]!, max: s[s.length - 1]! };
}
