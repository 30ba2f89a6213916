/**
 * Actors of the multi-scheduler benchmark workloads (threaded-workloads.ts; SkynetNode
 * also serves the single-scheduler one in workloads.ts). They are
 * module-defined (`defineActor(import.meta.url, ..., 'Export')`) so every scheduler thread
 * can load them; results go back to the embedding thread as messages to its pid.
 *
 * Per-scheduler helpers (Spawner, RingBuilder, TimerReporter) work on their own scheduler
 * only, so the work they time is local; the crossings between schedulers are the ones each
 * workload states in its `placement` note.
 */
import { defineActor } from '../../src/core/behaviour.ts';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';

const gc = (globalThis as { gc?: () => void }).gc;

/** Blocks in receive forever (handler style, the idle actor of workload 1). */
export const Idle = defineActor(import.meta.url, { handle: (_m: unknown, s: unknown) => s }, 'Idle');

/** Ends as soon as it runs (spawn-and-exit). */
export const ExitAtOnce = defineActor(import.meta.url, function* exitAtOnce(): Generator<unknown, void, unknown> {}, 'ExitAtOnce');

/** `at`: the spawner's own scheduler, where its children are spawned (N/S per scheduler). */
type SpawnerMsg =
  | { spawn: number; report: Pid; at: number }
  | { kill: true; report: Pid }
  | { spawnExit: number; report: Pid; at: number }
  | { more: number; report: Pid; t0: number; n: number; at: number }
  | { settled: 'spawn' | 'kill' | 'spawnExit'; report: Pid; t0: number; heap0: number; n: number };

/** Spawns per message of a spawn-and-exit loop (about one 4,000-reduction slice). */
const kSpawnChunk = 400;

interface SpawnerState { pids: Pid[] }

/**
 * Workload 1 on one scheduler: spawns N idle actors, kills them, spawns N that exit.
 * "Done" is a message the spawner sends itself after the batch: the run queue is FIFO, so
 * when it arrives every actor spawned before it has run its first slice (and, for
 * spawn-and-exit, exited).
 */
export const Spawner = defineActor(import.meta.url, {
  init: (): SpawnerState => ({ pids: [] }),
  handle(m: SpawnerMsg, st: SpawnerState, ctx: Context): SpawnerState {
    if ('settled' in m) {
      const ms = performance.now() - m.t0;
      let bytes = 0;
      if (m.settled === 'spawn') {
        gc?.();
        bytes = (process.memoryUsage().heapUsed - m.heap0 - 8 * m.n) / m.n;
      }
      ctx.send(m.report, { spawner: m.settled, ms, bytes, n: m.n, gc: gc !== undefined });
      return st;
    }
    let heap0 = 0;
    if ('spawn' in m) {
      gc?.();
      heap0 = process.memoryUsage().heapUsed;
    }
    const t0 = performance.now();
    if ('spawn' in m) {
      const pids = new Array<Pid>(m.spawn);
      const here = { scheduler: m.at };
      for (let i = 0; i < m.spawn; i++) pids[i] = ctx.spawn(Idle, [], here);
      st.pids = pids;
      ctx.send(ctx.self, { settled: 'spawn', report: m.report, t0, heap0, n: m.spawn });
    } else if ('kill' in m) {
      const pids = st.pids;
      for (let i = 0; i < pids.length; i++) ctx.exit(pids[i]!, 'kill');
      ctx.send(ctx.self, { settled: 'kill', report: m.report, t0, heap0, n: pids.length });
      st.pids = [];
    } else if ('spawnExit' in m) {
      // In chunks, continuing by a message to itself queued behind the children it just
      // spawned, so they run and exit meanwhile (the BEAM preempts its spawning loop alike).
      ctx.send(ctx.self, { more: m.spawnExit, report: m.report, t0, n: m.spawnExit, at: m.at });
    } else {
      const k = Math.min(kSpawnChunk, m.more);
      const here = { scheduler: m.at };
      for (let i = 0; i < k; i++) ctx.spawn(ExitAtOnce, [], here);
      if (m.more > k) ctx.send(ctx.self, { more: m.more - k, report: m.report, t0: m.t0, n: m.n, at: m.at });
      else ctx.send(ctx.self, { settled: 'spawnExit', report: m.report, t0: m.t0, heap0: 0, n: m.n });
    }
    return st;
  },
}, 'Spawner');

/** Workload 2: a skynet node (process style), for 1 scheduler (workloads.ts) and more. */
export const SkynetNode = defineActor(import.meta.url, function* skynetNode(ctx: Context, parent: Pid, num: number, size: number, branch: number): Generator<unknown, void, unknown> {
  if (size === 1) {
    ctx.send(parent, num);
    return;
  }
  const base = Math.floor(size / branch);
  const rem = size % branch;
  let start = num;
  let parts = 0;
  for (let i = 0; i < branch; i++) {
    const sz = base + (i < rem ? 1 : 0);
    if (sz === 0) break;
    ctx.spawn(SkynetNode, [ctx.self, start, sz, branch]);
    start += sz;
    parts++;
  }
  let sum = 0;
  for (let k = 0; k < parts; k++) sum += (yield ctx.receive()) as number;
  ctx.send(parent, sum);
}, 'SkynetNode');

/** Sums `parts` numbers and sends `{ sum }` to report. */
export const Summer = defineActor(import.meta.url, function* summer(ctx: Context, parts: number, report: Pid): Generator<unknown, void, unknown> {
  let sum = 0;
  for (let k = 0; k < parts; k++) sum += (yield ctx.receive()) as number;
  ctx.send(report, { sum });
}, 'Summer');

interface RingState { next: Pid | null; report: Pid }
/** Workload 3: a ring member; forwards a counter, the one that sees 0 reports. */
export const RingNode = defineActor(import.meta.url, {
  init: (report: Pid): RingState => ({ next: null, report }),
  handle(msg: number | { next: Pid }, st: RingState, ctx: Context): RingState {
    if (typeof msg === 'number') {
      if (msg === 0) ctx.send(st.report, { ringDone: true });
      else ctx.send(st.next!, msg - 1);
    } else {
      st.next = msg.next;
    }
    return st;
  },
}, 'RingNode');

/** Builds a contiguous ring segment of `n` members on its own scheduler; replies { first, last }. */
export const RingBuilder = defineActor(import.meta.url, {
  handle(m: { build: number; report: Pid; seg: number }, st: null, ctx: Context): null {
    // `seg` is this builder's scheduler: its segment is spawned there, contiguous (the
    // default placement could hand spawns of a busy scheduler to the other one).
    const here = { scheduler: m.seg };
    const first = ctx.spawn(RingNode, [m.report], here);
    let prev = first;
    for (let i = 1; i < m.build; i++) {
      const p = ctx.spawn(RingNode, [m.report], here);
      ctx.send(prev, { next: p });
      prev = p;
    }
    ctx.send(m.report, { seg: m.seg, first, last: prev });
    return st;
  },
}, 'RingBuilder');

/** Workload 4: answers a pid with 1. */
export const Ponger = defineActor(import.meta.url, {
  handle(from: Pid, st: null, ctx: Context): null {
    ctx.send(from, 1);
    return st;
  },
}, 'Ponger');

interface PingState { ponger: Pid; left: number; report: Pid; t0: number }
/** Workload 4: n round trips with its ponger, then { pingDone: ns } to report. */
export const Pinger = defineActor(import.meta.url, {
  init: (ponger: Pid, n: number, report: Pid): PingState => ({ ponger, left: n, report, t0: 0 }),
  handle(m: unknown, st: PingState, ctx: Context): PingState {
    if (m === 'go') st.t0 = performance.now();
    if (st.left === 0) {
      ctx.send(st.report, { pingDone: (performance.now() - st.t0) * 1e6 });
      return st;
    }
    st.left--;
    ctx.send(st.ponger, ctx.self);
    return st;
  },
}, 'Pinger');

interface SenderState { to: Pid; left: number }
/** Workload 5: sends its quota in chunks of 1,000, continuing by a message to itself. */
export const FanSender = defineActor(import.meta.url, {
  init: (to: Pid, n: number): SenderState => ({ to, left: n }),
  handle(_m: unknown, st: SenderState, ctx: Context): SenderState {
    const chunk = Math.min(st.left, 1000);
    for (let i = 0; i < chunk; i++) ctx.send(st.to, st.left - i);
    st.left -= chunk;
    if (st.left > 0) ctx.send(ctx.self, 'more');
    return st;
  },
}, 'FanSender');

interface CountState { left: number; report: Pid }
/** Workloads 5 and 9: counts `n` messages, then { counted: n } to report. */
export const Counter = defineActor(import.meta.url, {
  init: (n: number, report: Pid): CountState => ({ left: n, report }),
  handle(_m: unknown, st: CountState, ctx: Context): CountState {
    if (--st.left === 0) ctx.send(st.report, { counted: true });
    return st;
  },
}, 'Counter');

/**
 * Lateness samples of this thread's sleepers (one module instance per scheduler thread),
 * preallocated at 'go' as the one-scheduler twin's (workloads.ts): no growing array.
 */
let lateness = new Float64Array(0);
let lateCount = 0;
/** The receive filter of every sleeper: one function, not a closure per round (as workloads.ts). */
const never = (): boolean => false;

/** Workload 6: waits `after` ms in receive-after, `rounds` times, then tells its reporter. */
export const Sleeper = defineActor(import.meta.url, function* sleeper(ctx: Context, rounds: number, after: number, reporter: Pid): Generator<unknown, void, unknown> {
  for (let r = 0; r < rounds; r++) {
    // integer microseconds, as the Erlang twin's erlang:monotonic_time(microsecond): a
    // small integer kept across the yield, not a heap number allocated per round
    const before = Math.floor(performance.now() * 1000);
    yield ctx.receive(never, after);
    lateness[lateCount++] = (Math.floor(performance.now() * 1000) - (before + after * 1000)) / 1000;
  }
  ctx.send(reporter, 1);
}, 'Sleeper');

interface TimerReporterState { left: number; rounds: number; after: number; report: Pid; at: number }
/** Workload 6: spawns `n` sleepers on its scheduler; when all are done sends { lateness } to report. */
export const TimerReporter = defineActor(import.meta.url, {
  init: (n: number, rounds: number, after: number, report: Pid, at: number): TimerReporterState => ({ left: n, rounds, after, report, at }),
  handle(m: unknown, st: TimerReporterState, ctx: Context): TimerReporterState {
    if (m === 'go') {
      lateness = new Float64Array(st.left * st.rounds);
      lateCount = 0;
      const here = { scheduler: st.at };
      for (let i = 0; i < st.left; i++) ctx.spawn(Sleeper, [st.rounds, st.after, ctx.self], here);
      return st;
    }
    if (--st.left === 0) ctx.send(st.report, { lateness: lateCount === lateness.length ? lateness : lateness.slice(0, lateCount) });
    return st;
  },
}, 'TimerReporter');

interface WinState { to: Pid | null; left: number; out: number; w: number }
/** Workload 9: windowed sender (at most two windows in flight, acked by the receiver). */
export const WindowSender = defineActor(import.meta.url, {
  init: (m: number, w: number): WinState => ({ to: null, left: m, out: 0, w }),
  handle(msg: unknown, st: WinState, ctx: Context): WinState {
    if (typeof msg === 'object' && msg !== null && 'to' in msg) {
      st.to = (msg as { to: Pid }).to;
      return st;
    }
    if (msg === 'ack') st.out--;
    while (st.left > 0 && st.out < 2) {
      const n = Math.min(st.w, st.left);
      for (let i = 0; i < n; i++) ctx.send(st.to!, n - i);
      st.left -= n;
      st.out++;
    }
    return st;
  },
}, 'WindowSender');

interface WinRecvState { left: number; inWin: number; w: number; from: Pid; report: Pid }
/** Workload 9: acks every window to its sender; at the end { counted: true } to report. */
export const WindowReceiver = defineActor(import.meta.url, {
  init: (m: number, w: number, from: Pid, report: Pid): WinRecvState => ({ left: m, inWin: 0, w, from, report }),
  handle(_msg: unknown, st: WinRecvState, ctx: Context): WinRecvState {
    st.left--;
    st.inWin++;
    if (st.inWin === st.w || st.left === 0) {
      st.inWin = 0;
      ctx.send(st.from, 'ack');
      if (st.left === 0) ctx.send(st.report, { counted: true });
    }
    return st;
  },
}, 'WindowReceiver');

/** Workload 8: answers a pid with 'pong'. */
export const Echo = defineActor(import.meta.url, {
  handle(from: Pid, st: null, ctx: Context): null {
    ctx.send(from, 'pong');
    return st;
  },
}, 'Echo');

interface RttState { echo: Pid; left: number; t0: number; rtts: Float64Array; i: number; report: Pid }
/** Workload 8: `n` timed round trips with its echo, then { rtts } (µs, sorted) to report. */
export const RttPinger = defineActor(import.meta.url, {
  init: (echo: Pid, n: number, report: Pid): RttState => ({ echo, left: n, t0: 0, rtts: new Float64Array(n), i: 0, report }),
  handle(m: unknown, st: RttState, ctx: Context): RttState {
    if (m === 'pong') st.rtts[st.i++] = (performance.now() - st.t0) * 1000;
    if (st.left === 0) {
      ctx.send(st.report, { rtts: st.rtts.slice().sort() });
      return st;
    }
    st.left--;
    st.t0 = performance.now();
    ctx.send(st.echo, ctx.self);
    return st;
  },
}, 'RttPinger');

/** Workload 8: floods its own mailbox, `batch` messages per handler call. */
export const SelfFlood = defineActor(import.meta.url, {
  init: (batch: number) => batch,
  handle(m: unknown, batch: number, ctx: Context): number {
    if (m === 'go') {
      for (let i = 0; i < batch; i++) ctx.send(ctx.self, i);
      ctx.send(ctx.self, 'go');
    }
    return batch;
  },
}, 'SelfFlood');
