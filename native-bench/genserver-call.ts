/**
 * GenServer `call` round trip, ns per call: one client actor calling one server in a loop
 * (`yield* GenServer.call(ctx, server, 'incr')`), as gen_server:call in a loop on the BEAM.
 *
 *   node scripts/run-ts.mjs native-bench/genserver-call.ts [--calls N] [--runs R] [--threads]
 *
 *   1 scheduler   LocalNode: client and server on the one scheduler of the calling thread.
 *   2 schedulers  (--threads) ThreadedNode: server on scheduler 1, client on scheduler 0,
 *                 so every request and reply crosses a ring between threads; then the raw
 *                 round trip with the same placement (an echo actor on 1, a process-style
 *                 pinger on 0 doing send + selective receive), and the call's cost in
 *                 round trips (issue 12's target: within 2x).
 * Each run: the client waits for a `go` call from the embedding thread, makes N calls,
 * and answers the `go` with the elapsed ns (and, on 1 scheduler, the process's CPU time:
 * the one busy thread's, a steadier figure than wall time on a loaded machine). Prints every run and the median of R runs.
 * The actors are module-defined so the worker threads load them; the benchmark itself only
 * runs on the main thread.
 */
import { isMainThread } from 'node:worker_threads';
import { defineActor } from '../src/core/behaviour.ts';
import type { Context } from '../src/core/context.ts';
import type { CallRequest } from '../src/core/call-protocol.ts';
import type { Node } from '../src/core/node.ts';
import type { Pid } from '../src/core/pid.ts';
import { GenServer, defineGenServer } from '../src/otp/gen-server.ts';

export const CallBenchServer = defineGenServer<number, 'incr', never, number, []>(import.meta.url, {
  init: () => ({ ok: 0 }),
  handleCall: (_msg, _from, n) => ({ reply: n + 1, state: n + 1 }),
}, 'CallBenchServer');

export const CallBenchClient = defineActor(import.meta.url, function* (ctx: Context, server: Pid) {
  for (;;) {
    const go = (yield ctx.receive({ type: '$call' })) as CallRequest<number>;
    const n = go.msg;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) yield* GenServer.call(ctx, server, 'incr');
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    ctx.reply(go.from, [(t1 - t0) * 1e6, (c1.user + c1.system) * 1e3]);
  }
}, 'CallBenchClient');

/** Answers every `{ from, n }` with `n` (the raw round trip's far side). */
export const RoundTripEcho = defineActor(import.meta.url, {
  handle(m: { from: Pid; n: number }, st: undefined, ctx: Context) {
    ctx.send(m.from, m.n);
    return st;
  },
}, 'RoundTripEcho');

/** Like CallBenchClient, but each round trip is a plain send and a receive of the answer. */
export const RoundTripPinger = defineActor(import.meta.url, function* (ctx: Context, echo: Pid) {
  for (;;) {
    const go = (yield ctx.receive({ type: '$call' })) as CallRequest<number>;
    const n = go.msg;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      ctx.send(echo, { from: ctx.self, n: i });
      yield ctx.receive(i);
    }
    ctx.reply(go.from, [(performance.now() - t0) * 1e6, NaN]);
  }
}, 'RoundTripPinger');

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(label: string, node: { call(to: Pid, msg: unknown, t?: number): Promise<unknown> }, client: Pid, calls: number, runs: number, cpu: boolean): Promise<number> {
  await node.call(client, Math.min(calls, 10_000), 600_000); // warm-up
  const perCall: number[] = [];
  const cpuPerCall: number[] = [];
  for (let r = 0; r < runs; r++) {
    const [ns, cpuNs] = (await node.call(client, calls, 600_000)) as [number, number];
    perCall.push(ns / calls);
    cpuPerCall.push(cpuNs / calls);
    console.log(`${label} run ${r + 1}: ${(ns / calls).toFixed(0)} ns/call${cpu ? `, cpu ${(cpuNs / calls).toFixed(0)} ns/call` : ''}`);
  }
  const m = median(perCall);
  console.log(`${label}: median ${m.toFixed(0)} ns/call, min ${Math.min(...perCall).toFixed(0)}, max ${Math.max(...perCall).toFixed(0)} (${calls} calls x ${runs} runs)`);
  if (cpu) {
    console.log(`${label}: process cpu median ${median(cpuPerCall).toFixed(0)} ns/call, min ${Math.min(...cpuPerCall).toFixed(0)}, max ${Math.max(...cpuPerCall).toFixed(0)}`);
  }
  return m;
}

if (isMainThread) {
  const calls = arg('--calls', 200_000);
  const runs = arg('--runs', 5);
  const { LocalNode } = await import('../src/core/local-node.ts');
  const local = new LocalNode();
  const server = (await GenServer.start(local, CallBenchServer, []))!;
  const client = await local.spawn(CallBenchClient, [server]);
  await measure('1 scheduler (LocalNode)', local, client, calls, runs, true);
  await local.stop();
  if (process.argv.includes('--threads')) {
    const { startNode } = await import('../src/dist/start-node.ts');
    // Typed as the one Node interface until ThreadedNode declares it (issue 10, node lane).
    const node = await startNode({ schedulers: 2 });
    const far = (await GenServer.start(node, CallBenchServer, [], { spawn: { scheduler: 1 } }))!;
    const caller = await node.spawn(CallBenchClient, [far], { scheduler: 0 });
    const n = Math.max(1, Math.floor(calls / 4));
    const call = await measure('2 schedulers (ThreadedNode, server on 1, client on 0)', node, caller, n, runs, false);
    const echo = await node.spawn(RoundTripEcho, [], { scheduler: 1 });
    const pinger = await node.spawn(RoundTripPinger, [echo], { scheduler: 0 });
    const rt = await measure('2 schedulers, raw round trip (echo on 1, pinger on 0)', node, pinger, n, runs, false);
    console.log(`cross-thread call = ${(call / rt).toFixed(2)} raw round trips (target <= 2)`);
    await node.stop();
  }
}
