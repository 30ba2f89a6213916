/**
 * A ThreadedNode (2 scheduler threads) as the Erlang peer: erl's REG_SEND reaches an
 * actor on a scheduler thread, which answers the Erlang pid (the ETF terms cross the
 * rings between the node thread and the schedulers with the native codec); gen_server:call
 * from erl into a GenServer on a scheduler thread; a spawn on the Erlang node is refused
 * with RemoteSpawnError (SPAWN_REQUEST is not offered).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteSpawnError } from '../../src/dist/errors.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { erlangAvailable, kErl, kSb, startErlangPair, type ErlangPair } from './fixtures/erlang-peer-setup.ts';
import { Greeter, SlowServer } from './fixtures/erlang-peer-actors.ts';

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
});
