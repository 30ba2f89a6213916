/**
 * Links and monitors both ways between a real erl and Switchboard actors, with exit
 * reasons mapped (a Switchboard string reason is the atom of that name; an Erlang atom
 * reason is its name as a string; other reasons are terms):
 *   erl monitors a TS actor (by pid and by {Name, Node}): DOWN with the reason; a dead
 *   pid: noproc; erl links (trapping exits): {'EXIT', P, Reason}; erl's exit(P, kill)
 *   kills a TS actor ('killed' for its watchers);
 *   a TS actor links to an erl process that exits: it dies with that reason; a TS actor
 *   monitors an erl process: DOWN with the reason as a term; unlink takes the link back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Atom, Tuple } from '../../src/codec/etf/index.ts';
import type { Pid } from '../../src/core/pid.ts';
import { erlangAvailable, kSb, startErlangPair, until, type ErlangPair } from './fixtures/erlang-peer-setup.ts';
import { Collector, Greeter } from './fixtures/erlang-peer-actors.ts';

describe.skipIf(!erlangAvailable)('links and monitors between erl and Switchboard', () => {
  let p: ErlangPair;
  let collector: Pid;
  let n = 0;
  async function greeter(): Promise<string> {
    const name = `g${++n}`;
    await p.sb.register(name, await p.sb.spawn(Greeter));
    return name;
  }
  async function collected(count: number): Promise<unknown[]> {
    let got: unknown[] = [];
    await until(`${count} collected`, async () => (got = await p.sb.call<unknown[]>(collector, 'get')).length >= count);
    return got;
  }
  beforeAll(async () => {
    p = await startErlangPair({ cookie: 'linkcookie' });
    collector = await p.sb.spawn(Collector);
    await p.sb.register('collector', collector);
  }, 30_000);
  afterAll(async () => p?.stop());

  const getPid = (g: string): string => `{${g}, '${kSb}'} ! {hello, self()}, P = receive {hi, X, _} -> X after 5000 -> exit(no_hi) end`;

  it('erl monitors a TS actor by pid: DOWN with the mapped reason; then noproc', async () => {
    const g = await greeter();
    const r = await p.erl.value(`${getPid(g)}, R = monitor(process, P), P ! {exit, crashed}, W = receive {'DOWN', R, process, P, Why} -> Why after 5000 -> timeout end, R2 = monitor(process, P), W2 = receive {'DOWN', R2, process, P, Why2} -> Why2 after 5000 -> timeout end, {W, W2}.`);
    expect(r).toBe('{crashed,noproc}');
  });

  it('erl monitors a TS actor by {Name, Node}: DOWN names it; demonitor takes it back', async () => {
    const g = await greeter();
    const r = await p.erl.value(`R0 = monitor(process, {${g}, '${kSb}'}), true = demonitor(R0, [flush]), R = monitor(process, {${g}, '${kSb}'}), {${g}, '${kSb}'} ! {exit, normal}, receive {'DOWN', R, process, Who, Why} -> {Who, Why} after 5000 -> timeout end.`);
    expect(r).toBe(`{{${g},'${kSb}'},normal}`);
  });

  it('erl links to a TS actor (trapping exits): the EXIT carries the reason', async () => {
    const g = await greeter();
    const r = await p.erl.value(`process_flag(trap_exit, true), ${getPid(g)}, link(P), P ! {exit, kaboom}, receive {'EXIT', P, Why} -> Why after 5000 -> timeout end.`);
    expect(r).toBe('kaboom');
  });

  it("erl's exit(P, kill) kills a TS actor: its TS watcher sees 'killed'", async () => {
    const before = (await p.sb.call<unknown[]>(collector, 'get')).length;
    const g = await greeter();
    const w = await greeter();
    // w monitors g (a local monitor), erl kills g.
    await p.erl.value(`${getPid(g)}, {${w}, '${kSb}'} ! {monitor, P}, timer:sleep(100), exit(P, kill), ok.`);
    expect((await collected(before + 1)).slice(before)).toEqual([{ down: 'killed' }]);
  });

  it('a TS actor linked to an erl process dies with its exit reason', async () => {
    const before = (await p.sb.call<unknown[]>(collector, 'get')).length;
    const g = await greeter();
    const w = await greeter();
    await p.erl.value(`${getPid(g)}, {${w}, '${kSb}'} ! {monitor, P}, EP = spawn(fun() -> receive {linked} -> receive go -> exit(bye) end end end), {${g}, '${kSb}'} ! {link_to, EP}, timer:sleep(200), EP ! go, ok.`);
    expect((await collected(before + 1)).slice(before)).toEqual([{ down: 'bye' }]);
  });

  it('a TS actor monitoring an erl process gets its DOWN with the reason as a term; a dead pid: noproc', async () => {
    const before = (await p.sb.call<unknown[]>(collector, 'get')).length;
    const w = await greeter();
    await p.erl.value(`EP = spawn(fun() -> receive go -> exit({shutdown, tired}) end end), {${w}, '${kSb}'} ! {monitor, EP}, timer:sleep(200), EP ! go, timer:sleep(100), {${w}, '${kSb}'} ! {monitor, EP}, ok.`);
    const got = (await collected(before + 2)).slice(before);
    expect(got).toEqual([{ down: Tuple.of(Atom.of('shutdown'), Atom.of('tired')) }, { down: 'noproc' }]);
  });

  it('unlink both ways (UNLINK_ID): no exit crosses the link any more', async () => {
    const g = await greeter();
    // erl unlinks: the TS actor's exit reaches erl no more.
    const r = await p.erl.value(`process_flag(trap_exit, true), ${getPid(g)}, link(P), unlink(P), P ! {exit, gone}, timer:sleep(300), receive {'EXIT', P, W} -> {exit, W} after 0 -> none end.`);
    expect(r).toBe('none');
    // The TS actor unlinks: the erl process's exit does not kill it.
    const g2 = await greeter();
    const r2 = await p.erl.value(`EP = spawn(fun() -> receive {linked} -> receive {unlinked} -> receive go -> exit(bye) end end end end), {${g2}, '${kSb}'} ! {link_to, EP}, timer:sleep(100), {${g2}, '${kSb}'} ! {unlink_from, EP}, timer:sleep(100), EP ! go, timer:sleep(200), ${getPid(g2)}, is_pid(P).`);
    expect(r2).toBe('true');
  });
});
