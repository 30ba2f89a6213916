/**
 * A ThreadedNode (2 scheduler threads) as the Erlang peer: erl's REG_SEND reaches an
 * actor on a scheduler thread, which answers the Erlang pid (the ETF terms cross the
 * rings between the node thread and the schedulers with the native codec); gen_server:call
 * from erl into a GenServer on a scheduler thread; a spawn on the Erlang node is refused
 * with RemoteSpawnError (we cannot run Erlang code); rpc:call from erl into an exported
 * function and pg with the scope server on a scheduler thread (the message translators run
 * on the node thread, the server on scheduler 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteSpawnError } from '../../src/dist/errors.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Pg } from '../../src/cluster/pg/index.ts';
import { exportRpc } from '../../src/dist/erlang-peer/index.ts';
import { erlangAvailable, kErl, kSb, startErlangPair, until, type ErlangPair } from './fixtures/erlang-peer-setup.ts';
import { Collector, Greeter, SlowServer } from './fixtures/erlang-peer-actors.ts';

describe.skipIf(!erlangAvailable)('a 2-scheduler Switchboard node as an Erlang peer', () => {
  let p: ErlangPair;
  beforeAll(async () => {
    p = await startErlangPair({ cookie: 'threadcookie', schedulers: 2 });
    await p.sb.register('reg', await p.sb.spawn(Greeter, [], { scheduler: 0 }));
    await GenServer.start(p.sb, SlowServer, [], { name: 'slow' });
  }, 30_000);
  afterAll(async () => p?.stop());

  it('erl -> an actor on a scheduler thread, and its answer back', async () => {
    expect(await p.erl.value(`{reg, '${kSb}'} ! {hello, self()}, receive {hi, P, B} -> {node(P), B =:= <<"from ts">>} after 5000 -> timeout end.`)).toBe(`{'${kSb}',true}`);
  });

  it('gen_server:call from erl into a GenServer on a scheduler thread', async () => {
    expect(await p.erl.value(`gen_server:call({slow, '${kSb}'}, {x, [1.5, <<1>>]}).`)).toBe('{echo,{x,[1.5,<<1>>]}}');
  });

  it('a spawn on the Erlang node: RemoteSpawnError', async () => {
    await expect(p.sb.spawn(Greeter, [], { node: kErl })).rejects.toBeInstanceOf(RemoteSpawnError);
  });

  it('rpc:call from erl into an exported function', async () => {
    exportRpc(p.sb, 'calc', 'mul', (a: number, b: number) => a * b);
    expect(await p.erl.value(`rpc:call('${kSb}', calc, mul, [6, 7]).`)).toBe('42');
  });

  it('pg with the scope server on scheduler 1: members both ways', async () => {
    await Pg.start(p.sb, undefined, { scheduler: 1 });
    expect(await p.erl.value(`{ok, _} = pg:start(pg), net_adm:ping('${kSb}').`)).toBe('pong');
    const m = await p.sb.spawn(Collector, [], { scheduler: 0 });
    await Pg.join(p.sb, 'tg', m);
    await until('erl sees the member', async () => (await p.erl.value(`length(pg:get_members(tg)).`)) === '1');
    expect(await p.erl.value(`E = spawn(fun() -> receive stop -> ok end end), ok = pg:join(tg, E), ok.`)).toBe('ok');
    await until('Pg sees the erl member', async () => (await Pg.members(p.sb, 'tg')).length === 2);
  });
});
