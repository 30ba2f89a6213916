/**
 * Messages between a real erl and Switchboard actors, both ways: `{reg, 'sb@127.0.0.1'} !
 * {hello, self()}` reaches a registered TS actor (REG_SEND), which answers to the Erlang
 * pid it got (SEND); the TS node sends to a registered Erlang process with every mapped
 * type and erl sees exactly the term of the mapping table; an unregistered name is
 * dropped (as Erlang) and the link stays up; a JS value with no Erlang term is refused at
 * send time with EtfUnsupportedError.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Atom, BitBinary, Charlist, ErlFloat, EtfUnsupportedError, ImproperList, Tuple } from '../../src/codec/etf/index.ts';
import { erlangAvailable, kErl, kSb, startErlangPair, type ErlangPair } from './fixtures/erlang-peer-setup.ts';
import { Collector, Greeter } from './fixtures/erlang-peer-actors.ts';

describe.skipIf(!erlangAvailable)('send and REG_SEND between erl and Switchboard', () => {
  let p: ErlangPair;
  beforeAll(async () => {
    p = await startErlangPair({ cookie: 'sendcookie' });
    await p.sb.register('reg', await p.sb.spawn(Greeter));
  }, 30_000);
  afterAll(async () => p?.stop());

  it('erl -> registered TS actor, which answers to the Erlang pid', async () => {
    const r = await p.erl.value(`{reg, '${kSb}'} ! {hello, self()}, receive {hi, P, B} -> {node(P), is_pid(P), B =:= <<"from ts">>} after 5000 -> timeout end.`);
    expect(r).toBe(`{'${kSb}',true,true}`);
  });

  it('TS -> registered Erlang process: every mapped type arrives as the table says', async () => {
    await p.erl.value(`register(sink, spawn(fun() -> receive {get, F} -> receive M -> F ! {got, M} after 5000 -> F ! {got, timeout} end end end)), ok.`);
    const term = Tuple.of(
      Atom.of('x'), 42, -7, 2n ** 70n, 1.5, new ErlFloat(2), new Uint8Array([1, 2]), 'str', [1, Atom.of('a')], [],
      new Map<unknown, unknown>([[Atom.of('k'), 1]]), { key: true }, new ImproperList([1], 2), new BitBinary(new Uint8Array([0xa0]), 3),
      new Charlist('hé'), null, undefined, p.sb.pid,
    );
    p.sb.send({ name: 'sink', node: kErl }, term);
    const got = await p.erl.value(`sink ! {get, self()}, receive {got, M} -> {M, node(element(18, M))} after 5000 -> timeout end.`);
    expect(got).toMatch(new RegExp(
      '^\\{\\{x,42,-7,1180591620717411303424,1\\.5,2\\.0,<<1,2>>,<<115,116,114>>,\\[1,a\\],\\[\\],#\\{k => 1\\},#\\{key => true\\},\\[1\\|2\\],<<5:3>>,\\[104,233\\],null,undefined,<\\d+\\.\\d+\\.\\d+>\\},' +
      `'${kSb}'\\}$`,
    ));
  });

  it('a name not registered on erl is dropped and the link stays up; erl -> an unregistered name of ours too', async () => {
    p.sb.send({ name: 'nobody_here', node: kErl }, Atom.of('lost'));
    expect(await p.erl.value(`{nobody, '${kSb}'} ! lost, ok.`)).toBe('ok');
    const r = await p.erl.value(`{reg, '${kSb}'} ! {hello, self()}, receive {hi, _, B} -> B =:= <<"from ts">> after 5000 -> timeout end.`);
    expect(r).toBe('true');
    expect(p.sb.nodes()).toEqual([kErl]);
  });

  it('a JS value with no Erlang term is refused at send time (EtfUnsupportedError), nothing sent', async () => {
    const collector = await p.sb.spawn(Collector);
    await p.sb.register('collector', collector);
    const fn = (): number => 1;
    expect(() => p.sb.send({ name: 'sink2', node: kErl }, Tuple.of(Atom.of('bad'), fn))).toThrow(EtfUnsupportedError);
    expect(p.sb.nodes()).toEqual([kErl]);
  });
});
