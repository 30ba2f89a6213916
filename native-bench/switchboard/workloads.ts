/**
 * The Switchboard half of the benchmark workloads: the same programs as
 * native-bench/erlang/sb_<workload>.erl, written the idiomatic Switchboard way
 * (handler-style actors on the fast path; process style where Erlang's code waits in a
 * selective receive or a receive-after).
 *
 * Each workload takes the same parameters as its Erlang twin (same names, same full
 * and quick presets) and emits the same metric lines: variant, metric, unit, value,
 * better. The driver (driver.ts) prints them as JSON lines, one per metric.
 *
 * Schedulers: every workload here runs on one in-thread Scheduler (`schedulers: 1`).
 */
import { Scheduler } from '../../src/core/scheduler.ts';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { SkynetNode } from './threaded-actors.ts';

export interface Metric {
  variant: string;
  metric: string;
  unit: string;
  value: number;
  better: 'lower' | 'higher' | 'equal';
  extra?: Record<string, unknown>;
}

export type Params = Record<string, number | string>;
export type Emit = (m: Metric) => void;

export interface Workload {
  params: { full: Params; quick: Params };
  run(p: Params, emit: Emit): Promise<void> | void;
}

const gc = (globalThis as { gc?: () => void }).gc;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Drive a scheduler until `done()`, sleeping (blocking, precise) until the next timer. */
function runUntil(s: Scheduler, done: () => boolean, timeoutMs = 600_000): void {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    s.runUntilIdle();
    if (done()) return;
    const wait = s.msUntilNextTimer();
    if (wait < 0) throw new Error('workload stalled: nothing runnable, no timer pending');
    if (performance.now() > deadline) throw new Error('workload timed out');
    if (wait > 0) Atomics.wait(sleepCell, 0, 0, Math.min(wait, 50));
  }
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

// --- 1. spawn ---------------------------------------------------------------------

const Idle = { handle: (_m: unknown, s: unknown) => s };
function* exitAtOnce(): Generator<unknown, void, unknown> {}
const kSpawnChunk = 400;
const ExitSpawner = {
  init: (n: number): number => n,
  handle(_m: unknown, left: number, ctx: Context): number {
    const k = Math.min(kSpawnChunk, left);
    for (let i = 0; i < k; i++) ctx.spawn(exitAtOnce);
    if (left === k) ctx.exit('normal');
    ctx.send(ctx.self, 'more');
    return left - k;
  },
};

const spawn: Workload = {
  params: { full: { n: 1_000_000, exit_n: 1_000_000 }, quick: { n: 10_000, exit_n: 10_000 } },
  run(p, emit) {
    const n = Number(p.n);
    const exitN = Number(p.exit_n);
    const s = new Scheduler();
    const variant = `blocked_${n}`;
    gc?.();
    const mem0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const pids: Pid[] = new Array(n);
    for (let i = 0; i < n; i++) pids[i] = s.spawn(Idle);
    s.runUntilIdle();
    const spawnMs = performance.now() - t0;
    gc?.();
    const mem1 = process.memoryUsage().heapUsed;
    // The pid array is the spawner's, as in the Erlang twin (which subtracts its own growth).
    const bytes = (mem1 - mem0 - 8 * n) / n;
    emit({ variant, metric: 'spawn_ms', unit: 'ms', value: spawnMs, better: 'lower', extra: { us_per_spawn: (spawnMs * 1000) / n } });
    emit({ variant, metric: 'bytes_per_process', unit: 'bytes', value: bytes, better: 'lower', extra: { source: 'process.memoryUsage().heapUsed delta after gc, minus the pid array, / N', gc: gc !== undefined } });
    const t1 = performance.now();
    for (let i = 0; i < n; i++) s.exit(pids[i], 'kill');
    s.runUntilIdle();
    const killMs = performance.now() - t1;
    if (s.size !== 0) throw new Error(`kill: ${s.size} actors still alive`);
    emit({ variant, metric: 'kill_ms', unit: 'ms', value: killMs, better: 'lower' });
    pids.length = 0;
    // Spawned by an actor, as in the Erlang twin: the BEAM preempts its spawning loop when
    // its reductions run out, so children run (and exit) while it spawns; here the spawner
    // spawns kSpawnChunk per message (about one 4,000-reduction slice at 10 per spawn) and
    // continues by a message to itself, queued behind the children it just spawned.
    const t2 = performance.now();
    s.send(s.spawn(ExitSpawner, [exitN]), 'go');
    s.runUntilIdle();
    const exitMs = performance.now() - t2;
    if (s.size !== 0) throw new Error(`spawn_exit: ${s.size} actors still alive`);
    emit({ variant: `exit_${exitN}`, metric: 'spawn_exit_ms', unit: 'ms', value: exitMs, better: 'lower', extra: { us_per_process: (exitMs * 1000) / exitN } });
  },
};

// --- 2. skynet (the node is SkynetNode of threaded-actors.ts) ---------------------

const skynet: Workload = {
  params: { full: { leaves: 1_000_000, branch: 10 }, quick: { leaves: 10_000, branch: 10 } },
  run(p, emit) {
    const leaves = Number(p.leaves);
    const branch = Number(p.branch);
    const s = new Scheduler();
    let sum = -1;
    const root = s.spawn({ handle: (m: number) => { sum = m; return undefined; } });
    const t0 = performance.now();
    s.spawn(SkynetNode, [root, 0, leaves, branch]);
    runUntil(s, () => sum >= 0);
    const ms = performance.now() - t0;
    const expected = (leaves * (leaves - 1)) / 2;
    const variant = `${leaves}x${branch}`;
    emit({ variant, metric: 'ms', unit: 'ms', value: ms, better: 'lower' });
    emit({ variant, metric: 'check', unit: 'sum', value: sum, better: 'equal', extra: { expected } });
    if (sum !== expected) throw new Error(`skynet sum ${sum}, expected ${expected}`);
  },
};

// --- 3. ring ----------------------------------------------------------------------

interface RingState { next: Pid | null; done: () => void }
const RingNode = {
  init: (done: () => void): RingState => ({ next: null, done }),
  handle(msg: number | { next: Pid }, st: RingState, ctx: Context): RingState {
    if (typeof msg === 'number') {
      if (msg === 0) st.done();
      else ctx.send(st.next!, msg - 1);
    } else {
      st.next = msg.next;
    }
    return st;
  },
};

function ringOnce(actors: number, laps: number, emit: Emit): void {
  const s = new Scheduler();
  let finished = false;
  const done = (): void => { finished = true; };
  const t0 = performance.now();
  const pids: Pid[] = new Array(actors);
  for (let i = 0; i < actors; i++) pids[i] = s.spawn(RingNode, [done]);
  for (let i = 0; i < actors; i++) s.send(pids[i], { next: pids[(i + 1) % actors] });
  s.runUntilIdle();
  const setupMs = performance.now() - t0;
  const hops = actors * laps;
  const t1 = performance.now();
  s.send(pids[0], hops);
  runUntil(s, () => finished);
  const ns = ((performance.now() - t1) * 1e6) / hops;
  emit({ variant: `${actors}x${laps}`, metric: 'ns_per_hop', unit: 'ns', value: ns, better: 'lower', extra: { hops, setup_ms: setupMs } });
}

const ring: Workload = {
  params: { full: { rings: '10000x1000,1000000x10' }, quick: { rings: '1000x100,10000x10' } },
  run(p, emit) {
    for (const v of String(p.rings).split(',')) {
      const [a, l] = v.trim().split('x').map(Number);
      if (!(a >= 1 && l >= 1)) throw new Error(`bad ring variant ${v}`);
      ringOnce(a, l, emit);
    }
  },
};

// --- 4. ping-pong -----------------------------------------------------------------

const Ponger = {
  handle(from: Pid, st: undefined, ctx: Context): undefined {
    ctx.send(from, 1);
    return st;
  },
};
interface PingState { ponger: Pid; left: number; done: () => void }
const Pinger = {
  init: (ponger: Pid, n: number, done: () => void): PingState => ({ ponger, left: n, done }),
  handle(_m: unknown, st: PingState, ctx: Context): PingState {
    if (st.left === 0) {
      st.done();
      return st;
    }
    st.left--;
    ctx.send(st.ponger, ctx.self);
    return st;
  },
};

const pingpong: Workload = {
  params: {
    full: { roundtrips: 1_000_000, pairs: 1000, pair_roundtrips: 10_000 },
    quick: { roundtrips: 20_000, pairs: 100, pair_roundtrips: 200 },
  },
  run(p, emit) {
    const r = Number(p.roundtrips);
    {
      const s = new Scheduler();
      let finished = false;
      const ponger = s.spawn(Ponger);
      const pinger = s.spawn(Pinger, [ponger, r, () => { finished = true; }]);
      s.runUntilIdle();
      const t0 = performance.now();
      s.send(pinger, 'go');
      runUntil(s, () => finished);
      const ns = (performance.now() - t0) * 1e6;
      emit({ variant: '1pair', metric: 'ns_per_roundtrip', unit: 'ns', value: ns / r, better: 'lower', extra: { roundtrips: r, msgs_per_s: (2 * r) / (ns / 1e9) } });
    }
    const pairs = Number(p.pairs);
    const pr = Number(p.pair_roundtrips);
    const s = new Scheduler();
    let left = pairs;
    const done = (): void => { left--; };
    const pingers: Pid[] = [];
    for (let i = 0; i < pairs; i++) pingers.push(s.spawn(Pinger, [s.spawn(Ponger), pr, done]));
    s.runUntilIdle();
    const t0 = performance.now();
    for (const pi of pingers) s.send(pi, 'go');
    runUntil(s, () => left === 0);
    const ns = (performance.now() - t0) * 1e6;
    const msgs = 2 * pairs * pr;
    emit({ variant: `${pairs}pairs`, metric: 'msgs_per_s', unit: 'msgs/s', value: msgs / (ns / 1e9), better: 'higher', extra: { messages: msgs, ns_per_roundtrip_aggregate: ns / (pairs * pr) } });
  },
};

// --- 5. fan-in --------------------------------------------------------------------

interface SenderState { to: Pid; left: number }
/** Sends its quota in chunks, continuing by a message to itself so it stays preemptible. */
const FanSender = {
  init: (to: Pid, n: number): SenderState => ({ to, left: n }),
  handle(_m: unknown, st: SenderState, ctx: Context): SenderState {
    const chunk = Math.min(st.left, 1000);
    for (let i = 0; i < chunk; i++) ctx.send(st.to, st.left - i);
    st.left -= chunk;
    if (st.left > 0) ctx.send(ctx.self, 'more');
    return st;
  },
};

const fanin: Workload = {
  params: { full: { senders: 1000, msgs: 10_000 }, quick: { senders: 100, msgs: 2000 } },
  run(p, emit) {
    const senders = Number(p.senders);
    const m = Number(p.msgs);
    const total = senders * m;
    const s = new Scheduler();
    let got = 0;
    const receiver = s.spawn({ handle: (_msg: unknown, st: undefined) => { got++; return st; } });
    const pids: Pid[] = [];
    for (let i = 0; i < senders; i++) pids.push(s.spawn(FanSender, [receiver, m]));
    s.runUntilIdle();
    const t0 = performance.now();
    for (const pi of pids) s.send(pi, 'go');
    runUntil(s, () => got === total);
    const ns = (performance.now() - t0) * 1e6;
    emit({ variant: `${senders}x${m}`, metric: 'msgs_per_s', unit: 'msgs/s', value: total / (ns / 1e9), better: 'higher', extra: { messages: total, ms: ns / 1e6 } });
  },
};

// --- 6. timers --------------------------------------------------------------------

const never = (): boolean => false;

const timers: Workload = {
  params: {
    full: { procs: 100_000, rounds: 10, after_ms: 50 },
    quick: { procs: 5000, rounds: 3, after_ms: 50 },
  },
  run(p, emit) {
    const n = Number(p.procs);
    const rounds = Number(p.rounds);
    const after = Number(p.after_ms);
    const lateness = new Float64Array(n * rounds);
    let k = 0;
    let finished = 0;
    function* sleeper(ctx: Context): Generator<unknown, void, unknown> {
      for (let r = 0; r < rounds; r++) {
        // integer microseconds, as the Erlang twin's erlang:monotonic_time(microsecond): a
        // small integer kept across the yield, not a heap number allocated per round
        const before = Math.floor(performance.now() * 1000);
        yield ctx.receive(never, after);
        lateness[k++] = (Math.floor(performance.now() * 1000) - (before + after * 1000)) / 1000;
      }
      finished++;
    }
    const s = new Scheduler();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) s.spawn(sleeper);
    runUntil(s, () => finished === n);
    const ms = performance.now() - t0;
    lateness.sort();
    const variant = `${n}x${rounds}x${after}ms`;
    emit({ variant, metric: 'fires_per_s', unit: 'fires/s', value: (n * rounds) / (ms / 1000), better: 'higher', extra: { fires: n * rounds, ms, ideal_ms: rounds * after } });
    emit({ variant, metric: 'lateness_p50', unit: 'ms', value: percentile(lateness, 0.5), better: 'lower' });
    emit({ variant, metric: 'lateness_p99', unit: 'ms', value: percentile(lateness, 0.99), better: 'lower', extra: { max_ms: lateness[lateness.length - 1] } });
  },
};

// --- 7. GenServer call -------------------------------------------------------------

const genserver: Workload = {
  params: {
    full: { calls: 1_000_000, clients: 100, client_calls: 10_000 },
    quick: { calls: 20_000, clients: 100, client_calls: 200 },
  },
  async run(p, emit) {
    // src/otp GenServer: the client calls with `yield* GenServer.call` (monitor + selective
    // receive on the ref + demonitor), the server answers from handleCall — as gen_server.
    const { BenchCounter, GenCaller } = await import('./genserver-actors.ts');
    const note = 'src/otp GenServer, yield* GenServer.call';
    const calls = Number(p.calls);
    {
      const s = new Scheduler();
      const server = s.spawn(BenchCounter);
      let ns = -1;
      const c = s.spawn(GenCaller, [server, calls, (x: number) => { ns = x; }]);
      s.runUntilIdle();
      s.send(c, 'go');
      runUntil(s, () => ns >= 0);
      emit({ variant: '1client', metric: 'ns_per_call', unit: 'ns', value: ns / calls, better: 'lower', extra: { calls, note } });
    }
    const clients = Number(p.clients);
    const cc = Number(p.client_calls);
    const s = new Scheduler();
    const server = s.spawn(BenchCounter);
    const per: number[] = [];
    const cs: Pid[] = [];
    for (let i = 0; i < clients; i++) cs.push(s.spawn(GenCaller, [server, cc, (x: number) => { per.push(x); }]));
    s.runUntilIdle();
    const t0 = performance.now();
    for (const c of cs) s.send(c, 'go');
    runUntil(s, () => per.length === clients);
    const ns = (performance.now() - t0) * 1e6;
    const total = clients * cc;
    emit({ variant: `${clients}clients`, metric: 'ns_per_call', unit: 'ns', value: ns / total, better: 'lower', extra: { calls: total, note } });
    emit({ variant: `${clients}clients`, metric: 'ns_per_call_per_client', unit: 'ns', value: per.reduce((a, b) => a + b, 0) / per.length / cc, better: 'lower', extra: { calls_per_client: cc } });
  },
};

// --- 8. fairness ------------------------------------------------------------------

interface PingerState { echo: Pid; left: number; t0: number; rtts: Float64Array; i: number; done: (rtts: Float64Array) => void }
const RttPinger = {
  init: (echo: Pid, n: number, done: (rtts: Float64Array) => void): PingerState => ({ echo, left: n, t0: 0, rtts: new Float64Array(n), i: 0, done }),
  handle(m: unknown, st: PingerState, ctx: Context): PingerState {
    if (m === 'pong') st.rtts[st.i++] = (performance.now() - st.t0) * 1000;
    if (st.left === 0) {
      st.done(st.rtts);
      return st;
    }
    st.left--;
    st.t0 = performance.now();
    ctx.send(st.echo, ctx.self);
    return st;
  },
};
const Echo = { handle: (from: Pid, st: undefined, ctx: Context) => { ctx.send(from, 'pong'); return st; } };
const SelfFlood = {
  init: (batch: number) => batch,
  handle(m: unknown, batch: number, ctx: Context): number {
    if (m === 'go') {
      for (let i = 0; i < batch; i++) ctx.send(ctx.self, i);
      ctx.send(ctx.self, 'go');
    }
    return batch;
  },
};

const fairness: Workload = {
  params: {
    full: { samples: 50_000, hogs: 'none,busy_loop,self_flood', flood_batch: 1000, warmup_ms: 20 },
    quick: { samples: 2000, hogs: 'none,busy_loop,self_flood', flood_batch: 1000, warmup_ms: 20 },
  },
  async run(p, emit) {
    const samples = Number(p.samples);
    const { busyLoop } = await import('./hog.ts');
    for (const hog of String(p.hogs).split(',')) {
      const s = new Scheduler();
      let hogPid: Pid | undefined;
      if (hog === 'busy_loop') hogPid = s.spawn(busyLoop);
      else if (hog === 'self_flood') {
        hogPid = s.spawn(SelfFlood, [Number(p.flood_batch)]);
        s.send(hogPid, 'go');
      } else if (hog !== 'none') throw new Error(`unknown hog ${hog} (none, busy_loop, self_flood)`);
      let rtts: Float64Array | null = null;
      const echo = s.spawn(Echo);
      const pinger = s.spawn(RttPinger, [echo, samples, (r: Float64Array) => { rtts = r.slice().sort(); }]);
      const warm = performance.now() + Number(p.warmup_ms);
      while (performance.now() < warm) s.runSlice();
      s.send(pinger, 'go');
      let guard = 0;
      while (rtts === null) {
        if (!s.runSlice()) s.runUntilIdle();
        if (++guard > 1e9) throw new Error('fairness: pinger starved');
      }
      const hogInfo = hogPid === undefined ? undefined : s.processInfo(hogPid);
      if (hogPid !== undefined) s.exit(hogPid, 'kill');
      s.runUntilIdle();
      const extra = { placement: 'single_scheduler', samples, hog_instrumented: hogInfo?.instrumented ?? null };
      const sorted = rtts as unknown as Float64Array;
      emit({ variant: hog, metric: 'rtt_p50', unit: 'us', value: percentile(sorted, 0.5), better: 'lower', extra });
      emit({ variant: hog, metric: 'rtt_p99', unit: 'us', value: percentile(sorted, 0.99), better: 'lower', extra: { ...extra, max_us: sorted[sorted.length - 1] } });
    }
  },
};

// --- 9. cross-scheduler -----------------------------------------------------------

const cross_scheduler: Workload = {
  params: { full: { pairs: 100, msgs: 100_000, window: 100 }, quick: { pairs: 10, msgs: 10_000, window: 100 } },
  run(p, emit) {
    // With one scheduler, sender and receiver share it: the same-scheduler figure, as the
    // BEAM twin reports with +S 1. Windowed: the receiver acks every `window` messages.
    const pairs = Number(p.pairs);
    const m = Number(p.msgs);
    const w = Number(p.window);
    const s = new Scheduler();
    let done = 0;
    interface RState { left: number; inWin: number; from: Pid | null }
    const Receiver = {
      init: (): RState => ({ left: m, inWin: 0, from: null }),
      handle(msg: unknown, st: RState, ctx: Context): RState {
        if (typeof msg === 'object' && msg !== null && 'sender' in msg) {
          st.from = (msg as { sender: Pid }).sender;
          return st;
        }
        st.left--;
        st.inWin++;
        if (st.inWin === w || st.left === 0) {
          st.inWin = 0;
          ctx.send(st.from!, 'ack');
          if (st.left === 0) done++;
        }
        return st;
      },
    };
    interface SState { to: Pid; left: number; out: number }
    const Sender = {
      init: (to: Pid): SState => ({ to, left: m, out: 0 }),
      handle(msg: unknown, st: SState, ctx: Context): SState {
        if (msg === 'ack') st.out--;
        while (st.left > 0 && st.out < 2) {
          const n = Math.min(w, st.left);
          for (let i = 0; i < n; i++) ctx.send(st.to, n - i);
          st.left -= n;
          st.out++;
        }
        return st;
      },
    };
    const senders: Pid[] = [];
    for (let i = 0; i < pairs; i++) {
      const r = s.spawn(Receiver);
      const snd = s.spawn(Sender, [r]);
      s.send(r, { sender: snd });
      senders.push(snd);
    }
    s.runUntilIdle();
    const t0 = performance.now();
    for (const x of senders) s.send(x, 'go');
    runUntil(s, () => done === pairs);
    const ns = (performance.now() - t0) * 1e6;
    const total = pairs * m;
    emit({ variant: `${pairs}pairs`, metric: 'msgs_per_s', unit: 'msgs/s', value: total / (ns / 1e9), better: 'higher', extra: { messages: total, note: 'schedulers=1: sender and receiver share the only scheduler; same-scheduler figure' } });
  },
};

export const workloads: Record<string, Workload> = {
  spawn, skynet, ring, pingpong, fanin, timers, genserver, fairness, cross_scheduler,
};
