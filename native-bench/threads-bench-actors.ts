/**
 * Actors of native-bench/threads-bench.ts (module-defined, so scheduler threads load them).
 */
import { defineActor } from '../src/core/behaviour.ts';
import type { Context } from '../src/core/context.ts';
import type { Pid } from '../src/core/pid.ts';

interface ProducerState {
  to: Pid | null;
  left: number;
  batch: number;
  ints: boolean;
}

/**
 * { go: { to, n, batch, report, tag, ints } }: tell `to` to expect n messages (through the
 * same ring as the messages, so in order with them), then send n small messages { n: i }
 * (with `ints`: the integers i themselves), `batch` per handler call.
 */
export const Producer = defineActor(import.meta.url, {
  init(): ProducerState {
    return { to: null, left: 0, batch: 1000, ints: false };
  },
  handle(m: { go?: { to: Pid; n: number; batch: number; report: Pid; tag: string; ints?: boolean } } | 'more', s: ProducerState, ctx: Context) {
    if (m !== 'more' && m.go !== undefined) {
      s.to = m.go.to;
      s.left = m.go.n;
      s.batch = m.go.batch;
      s.ints = m.go.ints === true;
      ctx.send(s.to, { expect: m.go.n, report: m.go.report, tag: m.go.tag });
    }
    const to = s.to!;
    const k = Math.min(s.batch, s.left);
    if (s.ints) for (let i = 0; i < k; i++) ctx.send(to, s.left - i);
    else for (let i = 0; i < k; i++) ctx.send(to, { n: s.left - i });
    s.left -= k;
    if (s.left > 0) ctx.send(ctx.self, 'more');
    return s;
  },
}, 'Producer');

interface ConsumerState {
  expect: number;
  got: number;
  report: Pid | null;
  tag: string;
}

/** { expect: n, report, tag }, then counts messages; at n, sends { done: tag } to report. */
export const Consumer = defineActor(import.meta.url, {
  init(): ConsumerState {
    return { expect: 0, got: 0, report: null, tag: '' };
  },
  handle(m: { expect?: number; report?: Pid; tag?: string; n?: number }, s: ConsumerState, ctx: Context) {
    if (m.expect !== undefined) {
      s.expect = m.expect;
      s.report = m.report!;
      s.tag = m.tag!;
      s.got = 0;
      return s;
    }
    if (++s.got === s.expect) ctx.send(s.report!, { done: s.tag });
    return s;
  },
}, 'Consumer');

/** Answers { ping: from } with 'pong' to from. */
export const Ponger = defineActor(import.meta.url, {
  handle(m: { ping: Pid }, s: null, ctx: Context) {
    ctx.send(m.ping, 'pong');
    return s;
  },
}, 'Ponger');

interface PingerState {
  ponger: Pid | null;
  left: number;
  n: number;
  report: Pid | null;
  t0: number;
}

/** { go: { ponger, n, report } }: n round trips, then { rtUs } (microseconds per round trip) to report. */
export const Pinger = defineActor(import.meta.url, {
  init(): PingerState {
    return { ponger: null, left: 0, n: 0, report: null, t0: 0 };
  },
  handle(m: { go?: { ponger: Pid; n: number; report: Pid } } | 'pong', s: PingerState, ctx: Context) {
    if (m !== 'pong') {
      s.ponger = m.go!.ponger;
      s.n = s.left = m.go!.n;
      s.report = m.go!.report;
      s.t0 = performance.now();
    } else if (--s.left === 0) {
      ctx.send(s.report!, { rtUs: ((performance.now() - s.t0) * 1000) / s.n });
      return s;
    }
    ctx.send(s.ponger!, { ping: ctx.self });
    return s;
  },
}, 'Pinger');

interface WorkerState {
  left: number;
  acc: number;
  report: Pid | null;
}

/** { work: chunks, iters, report }: `chunks` CPU chunks of `iters` steps, one per message; then { done } to report. */
export const Cruncher = defineActor(import.meta.url, {
  init(): WorkerState {
    return { left: 0, acc: 1, report: null };
  },
  handle(m: { work?: number; iters: number; report?: Pid }, s: WorkerState, ctx: Context) {
    if (m.work !== undefined) {
      s.left = m.work;
      s.report = m.report!;
    }
    let x = s.acc;
    for (let i = 0; i < m.iters; i++) x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    s.acc = x;
    if (--s.left > 0) ctx.send(ctx.self, { iters: m.iters });
    else ctx.send(s.report!, { done: x });
    return s;
  },
}, 'Cruncher');

interface BusyState {
  left: number;
  acc: number;
  report: Pid;
}

/**
 * Busy(ticks, iters, report): once started ('start'), does `ticks` CPU chunks of `iters`
 * steps, one per message to itself, then sends { busyDone: 1 } to report.
 */
export const BusyWorker = defineActor(import.meta.url, {
  init(ticks: number, _iters: number, report: Pid): BusyState {
    return { left: ticks, acc: 1, report };
  },
  handle(m: { iters: number }, s: BusyState, ctx: Context) {
    let x = s.acc;
    for (let i = 0; i < m.iters; i++) x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    s.acc = x;
    if (--s.left > 0) ctx.send(ctx.self, m);
    else ctx.send(s.report, { busyDone: 1 });
    return s;
  },
}, 'BusyWorker');

/**
 * { spawnBusy: { n, ticks, iters, report } }: spawns n BusyWorkers from this one actor
 * (default placement: its own scheduler unless the balancer shares them), starts each,
 * and sends report { spawned: n, perScheduler } (counted from the pids: id % endpoints).
 */
export const BusyParent = defineActor(import.meta.url, {
  handle(m: { spawnBusy: { n: number; ticks: number; iters: number; report: Pid; endpoints: number } }, s: null, ctx: Context) {
    const { n, ticks, iters, report, endpoints } = m.spawnBusy;
    const per = new Array<number>(endpoints - 1).fill(0);
    const start = { iters };
    for (let i = 0; i < n; i++) {
      const pid = ctx.spawn(BusyWorker, [ticks, iters, report]);
      ctx.send(pid, start);
      per[pid.id % endpoints]!++;
    }
    ctx.send(report, { spawned: n, perScheduler: per });
    return s;
  },
}, 'BusyParent');
