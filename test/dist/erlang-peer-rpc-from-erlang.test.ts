/**
 * rpc from a real erl into Switchboard: rpc:call / erpc:call (OTP 25: SPAWN_REQUEST of
 * erpc:execute_call, answered by the exported function's run) and a gen_server:call to our
 * `rex` (the pre-erpc path), with exportRpc's functions: values, promises, undef for what
 * was not exported, a JS Error as badrpc, a throw, a timeout on erl's side, rpc:cast,
 * features_request, and spawn of any other MFA refused (notsup).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRpc } from '../../src/dist/erlang-peer/index.ts';
import { erlangAvailable, kSb, startErlangPair, until, type ErlangPair } from './fixtures/erlang-peer-setup.ts';

describe.skipIf(!erlangAvailable)('rpc from erl into Switchboard', () => {
  let p: ErlangPair;
  const casts: unknown[] = [];
  beforeAll(async () => {
    p = await startErlangPair({ cookie: 'rpcout' });
    exportRpc(p.sb, 'calc', 'add', (a: number, b: number) => a + b);
    exportRpc(p.sb, 'calc', 'later', async (x: number) => {
      await new Promise((r) => setTimeout(r, 20));
      return [x, 'done'];
    });
    exportRpc(p.sb, 'calc', 'fail', () => {
      throw new TypeError('bad input');
    });
    exportRpc(p.sb, 'calc', 'toss', () => {
      throw 42;
    });
    exportRpc(p.sb, 'calc', 'slow', () => new Promise((r) => setTimeout(() => r('late'), 1000)));
    exportRpc(p.sb, 'calc', 'note', (x: unknown) => {
      casts.push(x);
    });
    exportRpc(p.sb, 'calc', 'fn', () => () => 1);
  }, 30_000);
  afterAll(async () => p?.stop());

  it('rpc:call and erpc:call run an exported function (values and promises)', async () => {
    expect(await p.erl.value(`rpc:call('${kSb}', calc, add, [1, 2]).`)).toBe('3');
    expect(await p.erl.value(`erpc:call('${kSb}', calc, add, [40, 2]).`)).toBe('42');
    expect(await p.erl.value(`rpc:call('${kSb}', calc, later, [7], 5000).`)).toBe('[7,<<100,111,110,101>>]');
  });

  it('not exported: undef as Erlang reports it; a JS Error: badrpc with {js_error, Name, Message}', async () => {
    expect(await p.erl.value(`rpc:call('${kSb}', calc, nope, [1]).`)).toBe(`{badrpc,{'EXIT',{undef,[{calc,nope,[1],[]}]}}}`);
    expect(await p.erl.value(`try erpc:call('${kSb}', nomod, f, []) catch C:R -> {C, R} end.`)).toBe(`{error,{exception,undef,[{nomod,f,[],[]}]}}`);
    expect(await p.erl.value(`rpc:call('${kSb}', calc, fail, []).`)).toBe(`{badrpc,{'EXIT',{{js_error,<<84,121,112,101,69,114,114,111,114>>,<<98,97,100,32,105,110,112,117,116>>},[{calc,fail,0,[]}]}}}`);
    expect(await p.erl.value(`try erpc:call('${kSb}', calc, toss, []) catch C:R -> {C, R} end.`)).toBe('{throw,42}');
    expect(await p.erl.value(`rpc:call('${kSb}', calc, fn, []).`)).toMatch(/^\{badrpc,\{'EXIT',\{\{js_error,<<69,116,102,85,110,115,117,112,112,111,114,116,101,100,69,114,114,111,114>>,<<[0-9,]+>>\},\[\]\}\}\}$/);
  });

  it('a timeout on erl\'s side: {badrpc, timeout}; the late end is dropped there', async () => {
    expect(await p.erl.value(`{rpc:call('${kSb}', calc, slow, [], 100), timer:sleep(1300), receive M -> {mailbox, M} after 0 -> empty end}.`)).toBe('{{badrpc,timeout},ok,empty}');
  });

  it('the rex path: gen_server:call({rex, Sb}, {call, ...}), {From, {call, ...}} and features_request', async () => {
    expect(await p.erl.value(`gen_server:call({rex, '${kSb}'}, {call, calc, add, [2, 3], user}).`)).toBe('5');
    expect(await p.erl.value(`gen_server:call({rex, '${kSb}'}, {call, calc, nope, [], user}).`)).toBe(`{badrpc,{'EXIT',{undef,[{calc,nope,[],[]}]}}}`);
    expect(await p.erl.value(`{rex, '${kSb}'} ! {self(), {call, calc, add, [1, 1], user}}, receive {rex, R} -> R after 3000 -> none end.`)).toBe('2');
    expect(await p.erl.value(`{rex, '${kSb}'} ! {self(), features_request}, receive {features_reply, N, F} -> {N, F} after 3000 -> none end.`)).toBe(`{'${kSb}',[erpc]}`);
  });

  it('rpc:cast and erpc:cast run the function', async () => {
    expect(await p.erl.value(`rpc:cast('${kSb}', calc, note, [one]).`)).toBe('true');
    expect(await p.erl.value(`erpc:cast('${kSb}', calc, note, [two]).`)).toBe('ok');
    await until('both casts ran', () => casts.length === 2);
    expect(casts.map((a) => (a as { name: string }).name).sort()).toEqual(['one', 'two']);
  });

  it('spawning any other MFA here is refused: erl\'s spawn/4 gives a local pid that logs "Can not start" and dies', async () => {
    const r = await p.erl.value(`Pid = spawn('${kSb}', erlang, node, []), Ref = monitor(process, Pid), receive {'DOWN', Ref, process, Pid, Why} -> {node(Pid) =:= node(), Why} after 3000 -> none end.`);
    expect(r).toBe('{true,notsup}');
    await until('erl logged the refused spawn', () => p.erl.output().includes('Can not start erlang:node'));
  });
});
