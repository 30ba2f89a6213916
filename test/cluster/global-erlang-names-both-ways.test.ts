/**
 * Global across runtimes with a real erl: Switchboard's Global and OTP's global share one
 * name table (dist/erlang-peer/global-sync.ts speaks global's protocol, cluster/global/
 * global-erlang.ts is its handler). Names registered before the connect are exchanged;
 * later registrations and unregistrations go both ways; send through a name works both
 * ways; an owner's exit removes the name on both sides; a clash found at connect leaves one
 * owner on both sides and the other killed. erl logs nothing about our messages. On 0
 * schedulers and on 2 (the bridge on the embedding thread, the server on a worker).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Atom } from '../../src/codec/etf/index.ts';
import { Global } from '../../src/cluster/global/index.ts';
import type { Pid } from '../../src/core/pid.ts';
import { erlangAvailable, kErl, kSb, startErlangPair, until, type ErlangPair } from '../dist/fixtures/erlang-peer-setup.ts';
import { Collector } from '../dist/fixtures/erlang-peer-actors.ts';

/** Erlang: a process registered locally as `reg` that keeps what it gets; {get, From} answers {msgs, Ms}. */
const keeper = (reg: string): string =>
  `K = spawn(fun() -> L = fun L(Acc) -> receive {get, F} -> F ! {msgs, lists:reverse(Acc)}, L(Acc); stop -> ok; M -> L([M | Acc]) end end, L([]) end), register(${reg}, K)`;
const kept = (reg: string): string => `${reg} ! {get, self()}, receive {msgs, Ms} -> Ms =:= [<<"via global">>] after 2000 -> timeout end.`;

describe.skipIf(!erlangAvailable).each([0, 2])('global: Switchboard (%i schedulers) and erl share names', (schedulers) => {
  let p: ErlangPair;
  let early: Pid;
  let mine: Pid;
  beforeAll(async () => {
    p = await startErlangPair({ cookie: 'globalnames', schedulers });
    await Global.start(p.sb);
    early = await p.sb.spawn(Collector);
    expect(await Global.register(p.sb, 'sb_early', early)).toBe('yes');
    expect(await p.erl.value(`${keeper('k_early')}, global:register_name(erl_early, K).`, 5000)).toBe('yes');
    // Both sides take 'clash' before they meet.
    mine = await p.sb.spawn(Collector);
    expect(await Global.register(p.sb, 'clash', mine)).toBe('yes');
    expect(await p.erl.value(`${keeper('k_clash')}, global:register_name(clash, K).`, 5000)).toBe('yes');
    expect(await p.erl.value(`net_adm:ping('${kSb}').`)).toBe('pong');
    expect(await p.erl.value(`global:sync().`, 8000)).toBe('ok');
    expect(await Global.sync(p.sb, 8000)).toBe('ok');
  }, 30_000);
  afterAll(async () => p?.stop());

  const erlWhereNode = (name: string): Promise<string> => p.erl.value(`case global:whereis_name(${name}) of undefined -> undefined; P -> node(P) end.`);

  it('names registered before the connect: each side sees the other\'s, send through them both ways', async () => {
    expect(await erlWhereNode('sb_early')).toBe(`'${kSb}'`);
    const e = Global.whereis(p.sb, 'erl_early');
    expect(e).toBeDefined();
    expect(e!.node).not.toBe(0);
    expect(Global.send(p.sb, 'erl_early', 'via global')).toEqual(e);
    await until('erl got it', async () => (await p.erl.value(kept('k_early'))) === 'true');
    expect(await p.erl.value(`global:send(sb_early, from_erl), ok.`)).toBe('ok');
    await until('ours got it', async () => ((await p.sb.call(early, 'get')) as unknown[]).includes(Atom.of('from_erl')));
  });

  it('registrations and unregistrations after the connect, both ways', async () => {
    expect(await p.erl.value(`${keeper('k_late')}, global:register_name(erl_late, K).`, 5000)).toBe('yes');
    await until('ours sees erl_late', () => Global.whereis(p.sb, 'erl_late') !== undefined);
    const late = await p.sb.spawn(Collector);
    expect(await Global.register(p.sb, 'sb_late', late)).toBe('yes');
    await until('erl sees sb_late', async () => (await erlWhereNode('sb_late')) === `'${kSb}'`);
    // Taken on the other side: refused on both.
    expect(await Global.register(p.sb, 'erl_late', late)).toBe('no');
    expect(await p.erl.value(`global:register_name(sb_late, spawn(fun() -> ok end)).`, 5000)).toBe('no');

    expect(await Global.unregister(p.sb, 'sb_late')).toBe('ok');
    await until('erl dropped sb_late', async () => (await erlWhereNode('sb_late')) === 'undefined');
    expect(await p.erl.value(`global:unregister_name(erl_late).`, 5000)).toBe('ok');
    await until('ours dropped erl_late', () => Global.whereis(p.sb, 'erl_late') === undefined);
    expect(await p.erl.value(`lists:sort(global:registered_names()).`)).toBe('[clash,erl_early,sb_early]');
    expect(Global.registered(p.sb)).toEqual(['clash', 'erl_early', 'sb_early']);
  });

  it('an owner\'s exit removes the name on both sides', async () => {
    p.sb.exit(early, 'kill');
    await until('erl dropped sb_early', async () => (await erlWhereNode('sb_early')) === 'undefined');
    expect(Global.whereis(p.sb, 'sb_early')).toBeUndefined();
    expect(await p.erl.value(`k_early ! stop, ok.`)).toBe('ok');
    await until('ours dropped erl_early', () => Global.whereis(p.sb, 'erl_early') === undefined);
    expect(await erlWhereNode('erl_early')).toBe('undefined');
  });

  it('a clash found at connect: one owner on both sides, the other killed', async () => {
    // erl's name sorts first: its global resolves (random_exit_name keeps the pid of the
    // node that sorts first, erl's, and kills ours); both sides end with erl's owner.
    await until('both sides agree', async () => {
      const ours = Global.whereis(p.sb, 'clash');
      return ours !== undefined && ours.node !== 0 && (await erlWhereNode('clash')) === `'${kErl}'`;
    });
    expect(await p.erl.value(`global:whereis_name(clash) =:= whereis(k_clash).`)).toBe('true');
    await until('our owner killed', async () => (await p.sb.processInfo(mine)) === undefined);
    expect(p.erl.output()).not.toMatch(/unexpected message|ERROR REPORT|CRASH REPORT/);
  });
});
