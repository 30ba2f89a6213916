/**
 * rpc from Switchboard into a real erl (erlangRpc: a gen_server call to its rex): the
 * value of erlang:node/0 and lists:reverse/1; {badrpc, Reason} as ErlangRpcError with the
 * reason as a term (undef, an error, an exit); a throw is the value (as rpc:call); a
 * timeout (ErlangRpcError timeout, the late answer dropped); from an actor too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Atom, Tuple } from '../../src/codec/etf/index.ts';
import { InvalidOptionError } from '../../src/core/errors.ts';
import { ErlangRpcError, erlangRpc } from '../../src/dist/erlang-peer/index.ts';
import { erlangAvailable, kErl, startErlangPair, type ErlangPair } from './fixtures/erlang-peer-setup.ts';
import { Collector } from './fixtures/erlang-peer-actors.ts';
import { RpcCaller } from './fixtures/erlang-rpc-actors.ts';

const A = (s: string): Atom => Atom.of(s);

async function rpcError(p: Promise<unknown>): Promise<ErlangRpcError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ErlangRpcError);
  return e as ErlangRpcError;
}

describe.skipIf(!erlangAvailable)('erlangRpc: rpc from Switchboard into erl', () => {
  let p: ErlangPair;
  beforeAll(async () => {
    p = await startErlangPair({ cookie: 'rpcin' });
  }, 30_000);
  afterAll(async () => p?.stop());

  it('the values of erlang:node/0 and lists:reverse/1', async () => {
    await expect(erlangRpc(p.sb, kErl, 'erlang', 'node', [])).resolves.toBe(A(kErl));
    await expect(erlangRpc(p.sb, kErl, 'lists', 'reverse', [[1, 2, A('x')]])).resolves.toEqual([A('x'), 2, 1]);
    await expect(erlangRpc(p.sb, kErl, 'erlang', 'list_to_tuple', [[A('a'), new Uint8Array([1, 2])]])).resolves.toEqual(Tuple.of(A('a'), new Uint8Array([1, 2])));
  });

  it('undef: ErlangRpcError with {\'EXIT\', {undef, [{nomod, nofun, [1], []}]}}', async () => {
    const e = await rpcError(erlangRpc(p.sb, kErl, 'nomod', 'nofun', [1]));
    expect(e.code).toBe('ERR_SB_ERLANG_RPC');
    expect(e.node).toBe(kErl);
    expect(e.mfa).toBe('nomod:nofun/1');
    expect(e.reason).toEqual(Tuple.of(A('EXIT'), Tuple.of(A('undef'), [Tuple.of(A('nomod'), A('nofun'), [1], [])])));
    expect(e.message).toBe(`rpc nomod:nofun/1 on ${kErl} failed: {badrpc, {EXIT, {undef, [{nomod, nofun, [1], []}]}}}`);
  });

  it('an error and an exit are badrpc; a throw is the value', async () => {
    const err = await rpcError(erlangRpc(p.sb, kErl, 'erlang', 'error', [A('boom')]));
    const r = err.reason as Tuple;
    expect(r.elements[0]).toBe(A('EXIT'));
    expect((r.elements[1] as Tuple).elements[0]).toBe(A('boom'));
    const ex = await rpcError(erlangRpc(p.sb, kErl, 'erlang', 'exit', [Tuple.of(A('shutdown'), A('tired'))]));
    expect(ex.reason).toEqual(Tuple.of(A('EXIT'), Tuple.of(A('shutdown'), A('tired'))));
    await expect(erlangRpc(p.sb, kErl, 'erlang', 'throw', [A('oops')])).resolves.toBe(A('oops'));
  });

  it('a timeout: ErlangRpcError timeout; the late answer is dropped and the next rpc is fine', async () => {
    const e = await rpcError(erlangRpc(p.sb, kErl, 'timer', 'sleep', [1000], { timeoutMs: 100 }));
    expect(e.reason).toBe(A('timeout'));
    await new Promise((r) => setTimeout(r, 1200)); // let the late answer arrive (and be dropped)
    await expect(erlangRpc(p.sb, kErl, 'erlang', 'length', [[1, 2, 3]])).resolves.toBe(3);
  });

  it('from an actor (yield*)', async () => {
    const collector = await p.sb.spawn(Collector);
    await p.sb.spawn(RpcCaller, [kErl, 'lists', 'seq', [1, 3], collector]);
    await p.sb.spawn(RpcCaller, [kErl, 'nomod', 'f', [], collector]);
    const deadline = Date.now() + 5000;
    while ((await p.sb.call<unknown[]>(collector, 'get')).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const got = await p.sb.call<unknown[]>(collector, 'get');
    expect(got).toContainEqual({ result: [1, 2, 3] });
    expect(got).toContainEqual({ error: 'ERR_SB_ERLANG_RPC', reason: Tuple.of(A('EXIT'), Tuple.of(A('undef'), [Tuple.of(A('nomod'), A('f'), [], [])])) });
  });

  it('bad options and arguments are refused before anything is sent', async () => {
    await expect(erlangRpc(p.sb, kErl, 'erlang', 'node', [], { timeoutMs: -1 })).rejects.toThrow(new InvalidOptionError('timeoutMs', 'erlangRpc: option "timeoutMs" must be a positive number of ms or Infinity'));
    await expect(erlangRpc(p.sb, kErl, 'erlang', 'node', [], { timeout: 5 } as never)).rejects.toThrow('erlangRpc: unknown option "timeout"');
    await expect(erlangRpc(p.sb, kErl, 'erlang', 'node', 'x' as never)).rejects.toThrow('erlangRpc: args must be an array');
  });
});
