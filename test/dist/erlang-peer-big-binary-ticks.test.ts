/**
 * A 50 MiB binary each way between a real erl and a Switchboard actor, with
 * net_ticktime 2 on both sides: fragments both ways, the bytes arrive whole (size and
 * CRC-32 compared on the receiving side), and the ticks keep the link up throughout
 * (neither side sees a nodedown; erl's monitor_node stays silent).
 */
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Atom, Tuple } from '../../src/codec/etf/index.ts';
import { erlangAvailable, kErl, kSb, startErlangPair, type ErlangPair } from './fixtures/erlang-peer-setup.ts';
import { Greeter } from './fixtures/erlang-peer-actors.ts';

const kBig = 50 * 1024 * 1024;

describe.skipIf(!erlangAvailable)('50 MiB each way while ticks keep the link up', () => {
  let p: ErlangPair;
  const downs: unknown[] = [];
  beforeAll(async () => {
    p = await startErlangPair({ cookie: 'bigcookie', tickTimeSec: 2 });
    await p.sb.register('reg', await p.sb.spawn(Greeter));
    p.sb.on('nodedown', (d: unknown) => downs.push(d));
    expect(await p.erl.value(`monitor_node('${kSb}', true), ok.`)).toBe('ok');
  }, 30_000);
  afterAll(async () => p?.stop());

  it('erl -> TS: 50 MiB arrive whole', async () => {
    const r = await p.erl.value(`B = crypto:strong_rand_bytes(${kBig}), {reg, '${kSb}'} ! {big, self(), B}, receive {got_big, N, C} -> {N =:= byte_size(B), C =:= erlang:crc32(B)} after 30000 -> timeout end.`, 40_000);
    expect(r).toBe('{true,true}');
  }, 45_000);

  it('TS -> erl: 50 MiB arrive whole, then the link is still up both ways after a tick time of quiet', async () => {
    const bytes = new Uint8Array(kBig);
    for (let i = 0; i < bytes.length; i += 4096) bytes[i] = (i >>> 12) & 0xff;
    bytes[bytes.length - 1] = 0x5a;
    const crc = crc32(bytes);
    await p.erl.value(`register(bigsink, spawn(fun() -> receive {get, F} -> receive {big, B} -> F ! {byte_size(B), erlang:crc32(B)} after 30000 -> F ! timeout end end end)), ok.`);
    p.sb.send({ name: 'bigsink', node: kErl }, Tuple.of(Atom.of('big'), bytes));
    const r = await p.erl.value(`bigsink ! {get, self()}, receive X -> X after 35000 -> timeout end.`, 40_000);
    expect(r).toBe(`{${kBig},${crc}}`);
    await new Promise((res) => setTimeout(res, 2500));
    expect(await p.erl.value(`receive {nodedown, N} -> {nodedown, N} after 0 -> none end.`)).toBe('none');
    expect(downs).toEqual([]);
    expect(p.sb.nodes()).toEqual([kErl]);
  }, 60_000);
});
