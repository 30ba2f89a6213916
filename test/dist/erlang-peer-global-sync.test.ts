/**
 * OTP global's connect protocol with a real erl (global-sync.ts): erl's global completes
 * its sync with us (global:sync() returns; we are in its known and synced lists) with no
 * Global started here (so no names are shared; test/cluster/global-erlang-names-both-ways
 * covers that), global:register_name on erl goes through us (set_lock / register /
 * del_lock answered), and a second connection syncs again; erl logs nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erlangAvailable, kErl, kSb, startErlangPair, until, type ErlangPair } from './fixtures/erlang-peer-setup.ts';

describe.skipIf(!erlangAvailable)('global: an Erlang node syncs with us', () => {
  let p: ErlangPair;
  beforeAll(async () => {
    p = await startErlangPair({ cookie: 'globalsync' });
  }, 30_000);
  afterAll(async () => p?.stop());

  it('global:sync() returns; erl counts us as known and synced', async () => {
    expect(await p.erl.value(`net_adm:ping('${kSb}').`)).toBe('pong');
    expect(await p.erl.value(`global:sync().`, 5000)).toBe('ok');
    expect(await p.erl.value(`{lists:member('${kSb}', gen_server:call(global_name_server, get_known)), lists:member('${kSb}', gen_server:call(global_name_server, get_synced))}.`)).toBe('{true,true}');
  });

  it('global:register_name on erl locks and registers through us; the name is erl\'s only', async () => {
    expect(await p.erl.value(`global:register_name(erl_only, self()).`, 5000)).toBe('yes');
    expect(await p.erl.value(`global:whereis_name(erl_only) =:= self().`)).toBe('true');
    expect(await p.erl.value(`global:unregister_name(erl_only).`, 5000)).toBe('ok');
  });

  it('after a disconnect, the next connection syncs again; nothing was logged', async () => {
    expect(await p.sb.disconnectNode(kErl)).toBe(true);
    // erl reconnects once our side has closed the old connection (a ping during the close is pang).
    await until('erl reconnected', async () => (await p.erl.value(`net_adm:ping('${kSb}').`)) === 'pong');
    expect(await p.erl.value(`global:sync(), lists:member('${kSb}', gen_server:call(global_name_server, get_synced)).`, 5000)).toBe('true');
    expect(p.erl.output()).not.toMatch(/ERROR REPORT|WARNING REPORT|global/);
  });
});
