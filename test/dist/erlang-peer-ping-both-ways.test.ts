/**
 * net_adm:ping both ways: erl's ping of the Switchboard node is pong (our distribution
 * layer answers net_kernel's is_auth call), ours of erl is pong (a call to its
 * net_kernel); a node that is not there is pang both ways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erlangPing } from '../../src/dist/erlang-peer/erlang-ping.ts';
import { erlangAvailable, kErl, kSb, startErlangPair, type ErlangPair } from './fixtures/erlang-peer-setup.ts';

describe.skipIf(!erlangAvailable)('net_adm:ping between erl and Switchboard', () => {
  let p: ErlangPair;
  beforeAll(async () => {
    p = await startErlangPair({ cookie: 'pingcookie' });
  }, 30_000);
  afterAll(async () => p?.stop());

  it('erl pings us: pong, and we are in its nodes()', async () => {
    expect(await p.erl.value(`net_adm:ping('${kSb}').`)).toBe('pong');
    expect(await p.erl.value('nodes().')).toBe(`['${kSb}']`);
  });

  it('we ping erl: pong (net_kernel answered yes)', async () => {
    expect(await erlangPing(p.sb, kErl)).toBe('pong');
  });

  it('pang both ways for a node that is not there', async () => {
    expect(await p.erl.value(`net_adm:ping('ghost@127.0.0.1').`)).toBe('pang');
    expect(await erlangPing(p.sb, 'ghost@127.0.0.1', 2000)).toBe('pang');
  });
});
