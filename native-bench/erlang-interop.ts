/**
 * Erlang interop figures, in one sitting on loopback: a real erl node `e` against a
 * Switchboard node `sb` (a LocalNode) and against a second real erl node `e2`, so every
 * Switchboard figure has its Erlang <-> Erlang counterpart measured the same way.
 *
 *   node scripts/run-ts.mjs native-bench/erlang-interop.ts [runs=5] [messages=50000] [calls=2000]
 *
 * Steps:
 *   1. Start a real epmd (free port), sb (registered there) and two erl nodes (e, e2) with
 *      the test suite's erl fixture (test/dist/fixtures/erlang-peer.ts: erl evaluating
 *      expressions from stdin). sb runs a Counter ('cnt'), a Blaster ('blaster') and the
 *      SlowServer GenServer ('slow'); e2 runs the same three in Erlang (egs.erl, as 'egs').
 *   2. Per run, measured on e with erlang:monotonic_time (so both targets are timed by
 *      the same clock and code):
 *        send e -> X       e sends `messages` {m, <<100 bytes>>} to {cnt, X}, then
 *                          {done, self()}; stops when X's count comes back
 *        send X -> e       e asks {blaster, X} for `messages` {m, Bin} and a `done`;
 *                          stops at the done after counting them all
 *        call e -> X       `calls` sequential gen_server:call({slow | egs, X}, I): µs per call
 *        rpc e -> X        `calls` sequential rpc:call(X, erlang, '+', [I, 1]) (OTP 25: erpc,
 *                          a SPAWN_REQUEST; on sb the exported function erlang:'+')
 *      and, measured on sb, call sb -> e: `calls` sequential GenServer.call from the
 *      embedding thread to e's egs (vs e2 -> e, measured on e2 the same way as above);
 *      rpc sb -> e: `calls` sequential erlangRpc(sb, e, erlang, '+', [i, 1]) (a call to
 *      e's rex) vs e2 -> e both as rpc:call (erpc) and as the same rex call.
 *   3. Print min / median / max over the runs for every figure.
 */
import { fileURLToPath } from 'node:url';
import { Atom, Tuple } from '../src/codec/etf/index.ts';
import { defineActor } from '../src/core/behaviour.ts';
import type { Context } from '../src/core/context.ts';
import { GenServer } from '../src/otp/gen-server.ts';
import { startNode } from '../src/dist/start-node.ts';
import { startErlPeer } from '../test/dist/fixtures/erlang-peer.ts';
import { startRealEpmd } from '../test/dist/fixtures/erlang-tools.ts';
import { freePort } from '../test/dist/fixtures/free-port.ts';
import { SlowServer } from '../test/dist/fixtures/erlang-peer-actors.ts';
import { erlangRpc, exportRpc } from '../src/dist/erlang-peer/index.ts';

const runs = Number(process.argv[2] ?? 5);
const messages = Number(process.argv[3] ?? 50_000);
const calls = Number(process.argv[4] ?? 2_000);
const cookie = 'interopbench';
const A = (s: string): Atom => Atom.of(s);

const Counter = defineActor(import.meta.url, {
  init: () => ({ n: 0 }),
  handle(msg: unknown, st: { n: number }, ctx: Context) {
    const e = (msg as Tuple).elements;
    if (e[0] === A('m')) st.n++;
    else if (e[0] === A('done')) {
      ctx.send(e[1] as never, Tuple.of(A('count'), st.n));
      st.n = 0;
    }
    return st;
  },
}, 'Counter');

const Blaster = defineActor(import.meta.url, {
  handle(msg: unknown, st: unknown, ctx: Context) {
    const e = (msg as Tuple).elements;
    if (e[0] === A('blast')) {
      const m = Tuple.of(A('m'), e[3]);
      for (let i = 0; i < (e[2] as number); i++) ctx.send(e[1] as never, m);
      ctx.send(e[1] as never, A('done'));
    }
    return st;
  },
}, 'Blaster');

const erlCounter = 'C = fun Loop(N) -> receive {m, _} -> Loop(N + 1); {done, F} -> F ! {count, N}, Loop(0) end end, register(cnt, spawn(fun() -> C(0) end)), ok.';
const erlBlaster = 'register(blaster, spawn(fun Loop() -> receive {blast, To, N, B} -> lists:foreach(fun(_) -> To ! {m, B} end, lists:seq(1, N)), To ! done, Loop() end end)), ok.';

function stats(xs: number[]): string {
  const s = xs.slice().sort((a, b) => a - b);
  const f = (v: number): string => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));
  return `${f(s[0]!)} / ${f(s[Math.floor(s.length / 2)]!)} / ${f(s[s.length - 1]!)}`;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const epmd = await startRealEpmd(await freePort());
  const sb = await startNode({ name: 'sb@127.0.0.1', cookie, schedulers: 0, dist: { portMapper: { port: epmd.port }, log: false } });
  const e = await startErlPeer({ name: 'e@127.0.0.1', cookie, epmdPort: epmd.port });
  const e2 = await startErlPeer({ name: 'e2@127.0.0.1', cookie, epmdPort: epmd.port });
  try {
    await sb.register('cnt', await sb.spawn(Counter));
    await sb.register('blaster', await sb.spawn(Blaster));
    await GenServer.start(sb, SlowServer, [], { name: 'slow' });
    exportRpc(sb, 'erlang', '+', (a: number, b: number) => a + b);
    const egs = fileURLToPath(new URL('../test/dist/fixtures/erlang/egs.erl', import.meta.url));
    const loadEgs = `{ok, egs, Bin} = compile:file("${egs}", [binary]), {module, egs} = code:load_binary(egs, "egs.erl", Bin), {ok, _} = egs:start(), ok.`;
    for (const x of [e, e2]) await x.value(loadEgs);
    await e2.value(erlCounter);
    await e2.value(erlBlaster);
    for (const target of ['sb@127.0.0.1', 'e2@127.0.0.1']) await e.value(`pong = net_adm:ping('${target}'), ok.`);
    await e2.value(`pong = net_adm:ping('e@127.0.0.1'), ok.`);

    const fig: Record<string, number[]> = {};
    const add = (k: string, v: number): void => void (fig[k] ??= []).push(v);
    const sendTo = (x: string): string => `B = binary:copy(<<1>>, 100), T0 = erlang:monotonic_time(microsecond), lists:foreach(fun(_) -> {cnt, '${x}'} ! {m, B} end, lists:seq(1, ${messages})), {cnt, '${x}'} ! {done, self()}, receive {count, ${messages}} -> ok after 60000 -> exit(lost) end, erlang:monotonic_time(microsecond) - T0.`;
    const recvFrom = (x: string): string => `B = binary:copy(<<1>>, 100), T0 = erlang:monotonic_time(microsecond), {blaster, '${x}'} ! {blast, self(), ${messages}, B}, W = fun W(0) -> receive done -> ok after 60000 -> exit(lost) end; W(K) -> receive {m, _} -> W(K - 1) after 60000 -> exit(lost) end end, W(${messages}), erlang:monotonic_time(microsecond) - T0.`;
    const callTo = (x: string, name: string): string => `T0 = erlang:monotonic_time(microsecond), lists:foreach(fun(I) -> gen_server:call({${name}, '${x}'}, I) end, lists:seq(1, ${calls})), erlang:monotonic_time(microsecond) - T0.`;
    const rpcTo = (x: string): string => `T0 = erlang:monotonic_time(microsecond), lists:foreach(fun(I) -> I1 = I + 1, I1 = rpc:call('${x}', erlang, '+', [I, 1]) end, lists:seq(1, ${calls})), erlang:monotonic_time(microsecond) - T0.`;
    const rexTo = (x: string): string => `T0 = erlang:monotonic_time(microsecond), lists:foreach(fun(I) -> I1 = I + 1, I1 = gen_server:call({rex, '${x}'}, {call, erlang, '+', [I, 1], user}) end, lists:seq(1, ${calls})), erlang:monotonic_time(microsecond) - T0.`;
    for (let r = 0; r < runs; r++) {
      for (const [label, x] of [['Switchboard', 'sb@127.0.0.1'], ['Erlang', 'e2@127.0.0.1']] as const) {
        add(`send e -> ${label} (msg/s)`, messages / (Number(await e.value(sendTo(x), 90_000)) / 1e6));
        add(`send ${label} -> e (msg/s)`, messages / (Number(await e.value(recvFrom(x), 90_000)) / 1e6));
        add(`call e -> ${label} (µs)`, Number(await e.value(callTo(x, label === 'Switchboard' ? 'slow' : 'egs'), 90_000)) / calls);
        add(`rpc:call e -> ${label} (µs)`, Number(await e.value(rpcTo(x), 90_000)) / calls);
      }
      const r0 = performance.now();
      for (let i = 0; i < calls; i++) if ((await erlangRpc(sb, 'e@127.0.0.1', 'erlang', '+', [i, 1])) !== i + 1) throw new Error('rpc: wrong sum');
      add('rpc Switchboard -> e, rex call (µs)', ((performance.now() - r0) * 1000) / calls);
      add('rpc Erlang e2 -> e, rex call (µs)', Number(await e2.value(rexTo('e@127.0.0.1'), 90_000)) / calls);
      add('rpc:call Erlang e2 -> e, erpc (µs)', Number(await e2.value(rpcTo('e@127.0.0.1'), 90_000)) / calls);
      const c0 = performance.now();
      for (let i = 0; i < calls; i++) await sb.call({ name: 'egs', node: 'e@127.0.0.1' }, i);
      add('call Switchboard -> e (µs)', ((performance.now() - c0) * 1000) / calls);
      add('call Erlang e2 -> e (µs)', Number(await e2.value(callTo('e@127.0.0.1', 'egs'), 90_000)) / calls);
    }
    console.log(`erlang-interop: ${runs} runs, ${messages} messages of {m, <<100 bytes>>} per send figure, ${calls} sequential calls per call figure; loopback, OTP of erlang-nox, shared 2-core machine`);
    console.log('figure                                min / median / max');
    for (const [k, v] of Object.entries(fig)) console.log(`${k.padEnd(38)}${stats(v)}`);
    console.log(`(total ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } finally {
    await e.kill9();
    await e2.kill9();
    await sb.stop();
    await epmd.stop();
  }
}

await main();
