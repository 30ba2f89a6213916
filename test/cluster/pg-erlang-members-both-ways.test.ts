/**
 * Pg across runtimes with a real erl: Switchboard's Pg and OTP's pg scope process are peers
 * of one scope (pg-erlang.ts translates the discover / sync / join / leave messages).
 * erl's pg:get_members sees Switchboard pids that joined through Pg, Pg.members sees erl
 * pids that joined through pg:join; members leave on exit and on nodedown, both ways; the
 * default scope is Erlang's `pg`, another scope is the atom of its name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pg } from '../../src/cluster/pg/index.ts';
import { erlangAvailable, kErl, kSb, startErlangPair, until, type ErlangPair } from '../dist/fixtures/erlang-peer-setup.ts';
import { Collector } from '../dist/fixtures/erlang-peer-actors.ts';

describe.skipIf(!erlangAvailable)('pg: Switchboard and erl in one scope', () => {
  let p: ErlangPair;
  beforeAll(async () => {
    p = await startErlangPair({ cookie: 'pgcookie' });
    await Pg.start(p.sb);
    await Pg.start(p.sb, 'chat');
    expect(await p.erl.value(`{ok, _} = pg:start(pg), {ok, _} = pg:start(chat), ok.`)).toBe('ok');
    expect(await p.erl.value(`net_adm:ping('${kSb}').`)).toBe('pong');
  }, 30_000);
  afterAll(async () => p?.stop());

  const erlCount = async (scope: string, group: string, onNode: string): Promise<number> =>
    Number(await p.erl.value(`length([P || P <- pg:get_members(${scope}, ${group}), node(P) =:= '${onNode}']).`));

  it('members both ways, leave on exit both ways', async () => {
    const a = await p.sb.spawn(Collector);
    const b = await p.sb.spawn(Collector);
    await Pg.join(p.sb, 'workers', [a, b]);
    await until('erl sees both Switchboard members', async () => (await erlCount('pg', 'workers', kSb)) === 2);
    // The very pids that joined (id and serial; erl prints our node as its own index).
    const ids = await p.erl.value(`lists:sort([begin [_, I, S] = string:lexemes(pid_to_list(P) -- "<>", "."), {list_to_integer(I), list_to_integer(S)} end || P <- pg:get_members(workers), node(P) =:= '${kSb}']).`);
    expect(ids).toBe(`[${[a, b].map((x) => `{${x.id},${x.serial}}`).sort().join(',')}]`);

    expect(await p.erl.value(`E = spawn(fun() -> receive stop -> ok end end), register(ew, E), ok = pg:join(workers, E), ok.`)).toBe('ok');
    await until('Pg sees the erl member', async () => (await Pg.members(p.sb, 'workers')).length === 3);
    const fromErl = (await Pg.members(p.sb, 'workers')).filter((m) => m.node !== 0);
    expect(fromErl.length).toBe(1);
    expect(await Pg.localMembers(p.sb, 'workers')).toHaveLength(2);

    // A Switchboard member exits: erl drops it.
    p.sb.exit(a, 'kill');
    await until('erl dropped the exited member', async () => (await erlCount('pg', 'workers', kSb)) === 1);
    // Leave through Pg: erl drops it.
    await Pg.leave(p.sb, 'workers', b);
    await until('erl saw the leave', async () => (await erlCount('pg', 'workers', kSb)) === 0);
    // The erl member exits: Pg drops it.
    expect(await p.erl.value(`ew ! stop, ok.`)).toBe('ok');
    await until('Pg dropped the erl member', async () => (await Pg.members(p.sb, 'workers')).length === 0);
  });

  it('another scope: its own members; a sync on connect brings what joined before', async () => {
    const c = await p.sb.spawn(Collector);
    await Pg.join(p.sb, 'chat', 'room', c);
    await until('erl sees the chat member', async () => (await erlCount('chat', 'room', kSb)) === 1);
    expect(await erlCount('pg', 'room', kSb)).toBe(0);
    expect(await p.erl.value(`R = spawn(fun() -> receive stop -> ok end end), register(er, R), ok = pg:join(chat, room, [R, R]), ok.`)).toBe('ok');
    await until('Pg sees erl joined twice', async () => (await Pg.members(p.sb, 'chat', 'room')).length === 3);
    expect(await Pg.members(p.sb, 'room')).toEqual([]);
  });

  it('nodedown both ways: each side drops the other\'s members; a reconnect syncs them back', async () => {
    const d = await p.sb.spawn(Collector);
    await Pg.join(p.sb, 'chat', 'hall', d);
    await until('erl sees hall', async () => (await erlCount('chat', 'hall', kSb)) === 1);
    expect(await p.sb.disconnectNode(kErl)).toBe(true);
    await until('Pg dropped erl members', async () => (await Pg.members(p.sb, 'chat', 'room')).length === 1);
    await until('erl dropped Switchboard members', async () => (await erlCount('chat', 'hall', kSb)) === 0 && (await erlCount('chat', 'room', kSb)) === 0);
    // erl connects again: both scopes discover each other and sync.
    expect(await p.erl.value(`net_adm:ping('${kSb}').`)).toBe('pong');
    await until('erl sees hall and room again', async () => (await erlCount('chat', 'hall', kSb)) === 1 && (await erlCount('chat', 'room', kSb)) === 1);
    await until('Pg sees erl members again', async () => (await Pg.members(p.sb, 'chat', 'room')).length === 3);
    // erl's pg scope processes never saw a message they do not know (they would crash: badarg).
    expect(await p.erl.value(`{is_pid(whereis(pg)), is_pid(whereis(chat))}.`)).toBe('{true,true}');
    expect(p.erl.output()).not.toMatch(/ERROR REPORT|CRASH REPORT|badarg/);
  });
});
