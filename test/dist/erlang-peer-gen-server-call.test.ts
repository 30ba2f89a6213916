/**
 * gen_server interop both ways with a real erl: gen_server:call from erl into a TS
 * GenServer (`{'$gen_call', {Pid, Tag}, Req}` handled as a call; the reply goes back as
 * `{Tag, Reply}`), with a timeout that fires and the late reply dropped (sent to the
 * call's alias: ALIAS_SEND, which erl drops once the alias is gone); gen_server:cast; and
 * GenServer.call from TS into an Erlang gen_server (reply; a timeout with the late reply
 * dropped; a name not registered there: NoProcError from MONITOR_P's noproc).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Atom, Tuple } from '../../src/codec/etf/index.ts';
import { NoProcError } from '../../src/core/errors.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { erlangAvailable, kErl, kSb, startErlangPair, type ErlangPair } from './fixtures/erlang-peer-setup.ts';
import { Caller, Collector, SlowServer } from './fixtures/erlang-peer-actors.ts';

const egsSource = fileURLToPath(new URL('./fixtures/erlang/egs.erl', import.meta.url));
const A = (s: string): Atom => Atom.of(s);

describe.skipIf(!erlangAvailable)('gen_server:call between erl and Switchboard', () => {
  let p: ErlangPair;
  beforeAll(async () => {
    p = await startErlangPair({ cookie: 'gscookie' });
    await GenServer.start(p.sb, SlowServer, [], { name: 'slow' });
    expect(await p.erl.value(`{ok, egs, Bin} = compile:file("${egsSource}", [binary, report]), {module, egs} = code:load_binary(egs, "egs.erl", Bin), {ok, _} = egs:start(), ok.`)).toBe('ok');
  }, 30_000);
  afterAll(async () => p?.stop());

  it('erl -> TS GenServer: the reply; casts arrive', async () => {
    expect(await p.erl.value(`gen_server:call({slow, '${kSb}'}, {hello, [1,2]}).`)).toBe('{echo,{hello,[1,2]}}');
    expect(await p.erl.value(`gen_server:cast({slow, '${kSb}'}, c1), gen_server:cast({slow, '${kSb}'}, c2), gen_server:call({slow, '${kSb}'}, get_casts).`)).toBe('[c1,c2]');
  });

  it('erl -> TS GenServer: the timeout fires, the late reply is dropped', async () => {
    const r = await p.erl.value(`{catch gen_server:call({slow, '${kSb}'}, {sleep, 300, late}, 100), timer:sleep(600), receive Any -> {mailbox, Any} after 0 -> empty end}.`);
    expect(r).toMatch(/^\{\{'EXIT',\{timeout,\{gen_server,call,.*\}\}\},ok,empty\}$/);
    // The server is still fine.
    expect(await p.erl.value(`gen_server:call({slow, '${kSb}'}, again).`)).toBe('{echo,again}');
  });

  it('TS -> Erlang gen_server: the reply (from the embedding thread and from an actor)', async () => {
    expect(await p.sb.call({ name: 'egs', node: kErl }, Tuple.of(A('hi'), 1))).toEqual(Tuple.of(A('echo'), Tuple.of(A('hi'), 1)));
    const collector = await p.sb.spawn(Collector);
    await p.sb.spawn(Caller, [{ name: 'egs', node: kErl }, A('from_actor'), 2000, collector, 300]);
    await waitFor(async () => (await p.sb.call<unknown[]>(collector, 'get')).length === 2);
    expect(await p.sb.call(collector, 'get')).toEqual([{ result: Tuple.of(A('echo'), A('from_actor')) }, { late: [] }]);
  });

  it('TS -> Erlang gen_server: the timeout fires, the late reply is dropped', async () => {
    const collector = await p.sb.spawn(Collector);
    await p.sb.spawn(Caller, [{ name: 'egs', node: kErl }, Tuple.of(A('sleep'), 300, A('late')), 150, collector, 600]);
    await waitFor(async () => (await p.sb.call<unknown[]>(collector, 'get')).length === 2);
    expect(await p.sb.call(collector, 'get')).toEqual([{ error: 'ERR_SB_CALL_TIMEOUT' }, { late: [] }]);
    // The server still answers (a roomy timeout: this is not the timed-out call).
    await expect(p.sb.call({ name: 'egs', node: kErl }, A('x'), 5000)).resolves.toEqual(Tuple.of(A('echo'), A('x')));
  });

  it('TS -> a name not registered on erl: NoProcError (MONITOR_P answered noproc)', async () => {
    await expect(p.sb.call({ name: 'nobody', node: kErl }, A('x'), 3000)).rejects.toBeInstanceOf(NoProcError);
  });
});

async function waitFor(f: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
