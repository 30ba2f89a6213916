/**
 * The actors of the dist workload on Switchboard: the twins of sb_dist.erl (node A) and
 * sb_dist_peer.erl (node B). Module-defined, so any scheduler thread loads them.
 *
 * Node B (dist-node.ts role b registers them under these names):
 *   sb_dist_sink    DistSink     { whois: pid }            -> pid ! { sink: self }
 *                                { expect: n, from: pid }  count the next n { msg: i };
 *                                                          on the nth: from ! { sinkDone: n, ns }
 *                                                          (ns = first -> last arrival, B's clock)
 *                                { msg: i }                counted
 *                                { big: bytes, from: pid } -> from ! { gotBig: bytes.byteLength }
 *   sb_dist_echo    DistEcho     { whois: pid }            -> pid ! { echo: self }
 *                                { from: pid, ... }        -> from ! the same message
 *   sb_dist_server  DistCounter  GenServer: call 'incr' -> the count after incrementing; 'get'
 *
 * Node A:
 *   DistDriver  answers calls from the embedding thread, one measurement per call:
 *     { op: 'whois', to: {name,node}, tag } -> the pid the server answers with
 *     { op: 'small', sink, n }   -> { ns, sinkNs }   { expect } then n x { msg: i }, sent in
 *                                                    batches with a yield between them (a
 *                                                    point where the scheduler may deschedule
 *                                                    a sender to a busy connection)
 *     { op: 'echo', echo, n }    -> { p50, p99 } us  n sequential round trips
 *     { op: 'call', server, n }  -> { p50, p99, before, after } us  n GenServer.call 'incr'
 *     { op: 'big', sink, bytes, count } -> [t0, t1, ...] absolute ms per transfer
 *   DistPinger  pings the echo every periodMs (the next ping periodMs after the previous
 *     was sent, or at once if that one came back later); a call returns every sample as
 *     [sentAt (absolute ms), rtt (ms), ...] and ends it.
 * "Absolute ms" is performance.timeOrigin + performance.now(), comparable across the
 * threads of one process (driver and pinger may run on different schedulers).
 */
import { defineActor } from '../src/core/behaviour.ts';
import type { CallRequest } from '../src/core/call-protocol.ts';
import type { Context } from '../src/core/context.ts';
import { ANY } from '../src/core/pattern.ts';
import type { Pid } from '../src/core/pid.ts';
import { TIMEOUT } from '../src/core/reason.ts';
import { GenServer, defineGenServer } from '../src/otp/gen-server.ts';
import { remote, sendTo, type RemoteName } from './dist-api.ts';

export const kSinkName = 'sb_dist_sink';
export const kEchoName = 'sb_dist_echo';
export const kServerName = 'sb_dist_server';

/** Small messages sent between two yields of the sender. */
const kSendBatch = 256;

const absNow = (): number => performance.timeOrigin + performance.now();

/** Nearest-rank percentile of a sorted sample (as sb_util:percentiles/2). */
export function nearestRank(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  return sorted[Math.max(0, Math.min(n - 1, Math.ceil(q * n) - 1))]!;
}

// --- node B ---------------------------------------------------------------------------

interface SinkState { left: number; n: number; from: Pid | null; t0: number }
interface SinkMsg { msg?: number; expect?: number; from?: Pid; whois?: Pid; big?: Uint8Array }

export const DistSink = defineActor(import.meta.url, {
  init: (): SinkState => ({ left: 0, n: 0, from: null, t0: 0 }),
  handle(m: SinkMsg, s: SinkState, ctx: Context): SinkState {
    if (m.msg !== undefined) {
      if (s.left > 0) {
        if (s.left === s.n) s.t0 = performance.now();
        if (--s.left === 0) ctx.send(s.from!, { sinkDone: s.n, ns: (performance.now() - s.t0) * 1e6 });
      }
    } else if (m.big !== undefined) {
      ctx.send(m.from!, { gotBig: m.big.byteLength });
    } else if (m.expect !== undefined) {
      s.left = s.n = m.expect;
      s.from = m.from!;
    } else if (m.whois !== undefined) {
      ctx.send(m.whois, { sink: ctx.self });
    }
    return s;
  },
}, 'DistSink');

export const DistEcho = defineActor(import.meta.url, {
  handle(m: { from?: Pid; whois?: Pid }, s: null, ctx: Context): null {
    if (m.from !== undefined) ctx.send(m.from, m);
    else if (m.whois !== undefined) ctx.send(m.whois, { echo: ctx.self });
    return s;
  },
}, 'DistEcho');

export const DistCounter = defineGenServer(import.meta.url, {
  init: () => ({ ok: 0 }),
  handleCall(msg: 'incr' | 'get', _from, n: number) {
    if (msg === 'incr') n++;
    return { reply: n, state: n };
  },
}, 'DistCounter');

// --- node A ---------------------------------------------------------------------------

export type DriverOp =
  | { op: 'whois'; to: RemoteName; tag: 'sink' | 'echo' }
  | { op: 'small'; sink: Pid; n: number }
  | { op: 'echo'; echo: Pid; n: number }
  | { op: 'call'; server: RemoteName; n: number }
  | { op: 'big'; sink: Pid; bytes: number; count: number };

export const DistDriver = defineActor(import.meta.url, function* distDriver(ctx: Context): Generator<unknown, void, any> {
  for (;;) {
    const req = (yield ctx.receive({ type: '$call' })) as CallRequest<DriverOp>;
    const op = req.msg;
    let result: unknown;
    if (op.op === 'whois') {
      sendTo(ctx, op.to, { whois: ctx.self });
      const m = yield ctx.receive(op.tag === 'sink' ? { sink: ANY } : { echo: ANY }, 10_000);
      if (m === TIMEOUT) throw new Error(`dist: no answer from ${op.to.name} on ${op.to.node}`);
      result = op.tag === 'sink' ? m.sink : m.echo;
    } else if (op.op === 'small') {
      const t0 = performance.now();
      ctx.send(op.sink, { expect: op.n, from: ctx.self });
      for (let i = 1; i <= op.n; i++) {
        ctx.send(op.sink, { msg: i });
        if (i % kSendBatch === 0) yield ctx.sleep(0);
      }
      const done = yield ctx.receive({ sinkDone: op.n });
      result = { ns: (performance.now() - t0) * 1e6, sinkNs: done.ns };
    } else if (op.op === 'echo') {
      const us = new Float64Array(op.n);
      for (let i = 0; i < op.n; i++) {
        const t0 = performance.now();
        ctx.send(op.echo, { from: ctx.self, seq: i });
        yield ctx.receive({ seq: i });
        us[i] = (performance.now() - t0) * 1000;
      }
      us.sort();
      result = { p50: nearestRank(us, 0.5), p99: nearestRank(us, 0.99) };
    } else if (op.op === 'call') {
      const server = remote(op.server.name, op.server.node);
      const before = (yield* GenServer.call(ctx, server, 'get')) as number;
      const us = new Float64Array(op.n);
      for (let i = 0; i < op.n; i++) {
        const t0 = performance.now();
        yield* GenServer.call(ctx, server, 'incr');
        us[i] = (performance.now() - t0) * 1000;
      }
      const after = (yield* GenServer.call(ctx, server, 'get')) as number;
      us.sort();
      result = { p50: nearestRank(us, 0.5), p99: nearestRank(us, 0.99), before, after };
    } else {
      const big = new Uint8Array(op.bytes);
      for (let i = 0; i < big.length; i += 4096) big[i] = i & 0xff;
      const windows: number[] = [];
      for (let k = 0; k < op.count; k++) {
        const t0 = absNow();
        ctx.send(op.sink, { big, from: ctx.self });
        yield ctx.receive({ gotBig: op.bytes });
        windows.push(t0, absNow());
      }
      result = windows;
    }
    ctx.reply(req.from, result);
  }
}, 'DistDriver');

export const DistPinger = defineActor(import.meta.url, function* distPinger(ctx: Context, echo: Pid, periodMs: number): Generator<unknown, void, any> {
  const samples: number[] = [];
  for (let seq = 0; ; seq++) {
    const sent = absNow();
    ctx.send(echo, { from: ctx.self, ping: seq });
    yield ctx.receive({ ping: seq });
    samples.push(sent, absNow() - sent);
    const m = yield ctx.receive({ type: '$call' }, Math.max(0, sent + periodMs - absNow()));
    if (m !== TIMEOUT) {
      ctx.reply((m as CallRequest<unknown>).from, samples);
      return;
    }
  }
}, 'DistPinger');
