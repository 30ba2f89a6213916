/**
 * Workload 7 (GenServer call) on Switchboard's OTP layer: a counter GenServer and a
 * process-style client calling it with `yield* GenServer.call(...)` — the twin of
 * native-bench/erlang/sb_genserver.erl (gen_server:call on an sb_counter). Module-defined,
 * so worker-thread schedulers load them too.
 */
import { defineActor } from '../../src/core/behaviour.ts';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { GenServer, defineGenServer } from '../../src/otp/gen-server.ts';

/** `incr` → the count after incrementing; `get` → the count. */
export const BenchCounter = defineGenServer(import.meta.url, {
  init: () => ({ ok: 0 }),
  handleCall(msg: 'incr' | 'get', _from, n: number) {
    if (msg === 'incr') n++;
    return { reply: n, state: n };
  },
}, 'BenchCounter');

/**
 * Waits for a start message, makes `calls` calls in a row, then reports the elapsed
 * nanoseconds: to `report` if it is a pid ({ callsDone: ns }), else through the callback.
 */
export const GenCaller = defineActor(import.meta.url, function* genCaller(ctx: Context, server: Pid, calls: number, report: Pid | ((ns: number) => void)): Generator<unknown, void, unknown> {
  yield ctx.receive();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) yield* GenServer.call(ctx, server, 'incr');
  const ns = (performance.now() - t0) * 1e6;
  if (typeof report === 'function') report(ns);
  else ctx.send(report, { callsDone: ns });
}, 'GenCaller');

/**
 * The BEAM twin's setup of the 1-client run (sb_genserver:one_client): one process starts
 * the server, then spawns the client, both with the default placement (plain ctx.spawn),
 * and starts it. Tells `report` where the two landed: { pair: [server, client] }.
 */
export const CallPair = defineActor(import.meta.url, {
  handle(m: { calls: number; report: Pid }, s: null, ctx: Context) {
    const server = ctx.spawn(BenchCounter, []);
    const client = ctx.spawn(GenCaller, [server, m.calls, m.report]);
    ctx.send(client, 'go');
    ctx.send(m.report, { pair: [server, client] });
    return s;
  },
}, 'CallPair');
