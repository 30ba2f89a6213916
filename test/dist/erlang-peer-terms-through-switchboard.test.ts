/**
 * Every term type a real erl makes, through two Switchboard nodes and back, compared on
 * the Erlang side with =:= : erl -> sb (ETF decoded, pids mapped to core pids) -> a TS
 * actor forwards it with the native codec to another Switchboard node process (sb2, the
 * ETF classes are sendable) -> a relay there sends it to erl (ETF encoded again).
 * Atoms, small and big integers, floats (integral too), binaries and bit-binaries,
 * strings, proper and improper lists, tuples, maps, pids, refs, ports, export funs and
 * closures arrive equal to what was sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erlangAvailable, kErl, kSb, startErlangPair, type ErlangPair } from './fixtures/erlang-peer-setup.ts';
import { Greeter } from './fixtures/erlang-peer-actors.ts';
import { startNodeProcess, type NodeProcess } from './support/node-process.ts';

const kSb2 = 'sb2@127.0.0.1';

describe.skipIf(!erlangAvailable)('Erlang terms through Switchboard nodes', () => {
  let p: ErlangPair;
  let sb2: NodeProcess;
  beforeAll(async () => {
    p = await startErlangPair({ cookie: 'termscookie' });
    await p.sb.register('reg', await p.sb.spawn(Greeter));
    sb2 = await startNodeProcess({ name: kSb2, cookie: 'termscookie', dist: { portMapper: { host: '127.0.0.1', port: p.epmd.port }, tickTimeMs: 4000 } });
    await sb2.request({ cmd: 'run', module: 'test/dist/fixtures/erlang-peer-actors.ts', export: 'startRelay', args: [{ name: 'sink', node: kErl }] });
  }, 40_000);
  afterAll(async () => {
    await sb2?.stop();
    await p?.stop();
  });

  it('erl -> sb -> sb2 -> erl: the term is =:= to what was sent', async () => {
    await p.erl.value(`register(sink, spawn(fun() -> receive {get, F} -> receive {forwarded, X} -> F ! {back, X} after 8000 -> F ! timeout end end end)), ok.`);
    const term = [
      `a, 'hé', true, undefined, 0, 255, -1, 1 bsl 31, -(1 bsl 80), 1.5, 2.0, -0.0, 1.0e300`,
      `<<>>, <<1,2,3>>, <<1:3>>, <<"text">>, "str", [], [1|2], [a, [b, {c}]], {}, {x, {y, z}}`,
      `#{}, #{k => [v], 1 => <<"one">>, {t} => #{}}`,
      `self(), make_ref(), hd(erlang:ports()), fun lists:map/2, fun(X) -> {X, self()} end`,
      `lists:seq(1, 300), list_to_tuple(lists:seq(1, 300)), binary:copy(<<7>>, 70000)`,
    ].join(', ');
    const r = await p.erl.value(`T = {${term}}, {reg, '${kSb}'} ! {forward, {relay, '${kSb2}'}, T}, sink ! {get, self()}, receive {back, X} -> {X =:= T, size(X)}; Other -> Other after 10000 -> timeout end.`, 15_000);
    expect(r).toBe('{true,33}');
  }, 20_000);
});
