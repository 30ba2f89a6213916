/**
 * Tick echo with a real erl (erlang-channel-kit.ts): our tickTimeMs (20 s: a tick every
 * 5 s when idle) far above erl's net_ticktime (1 s: erl gives up after about 1-1.25 s of
 * silence). We answer each of erl's ticks with one, so the idle link stays up on both
 * sides for 4 s — without the echo erl drops us within about 1.25 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { erlangAvailable, kErl, kSb } from './fixtures/erlang-peer-setup.ts';
import { startRealEpmd, type RealEpmd } from './fixtures/erlang-tools.ts';
import { freePort } from './fixtures/free-port.ts';
import { startErlPeer, type ErlPeer } from './fixtures/erlang-peer.ts';

describe.skipIf(!erlangAvailable)('ticks: our tick time far above erl\'s net_ticktime', () => {
  let epmd: RealEpmd;
  let sb: Node;
  let erl: ErlPeer;
  beforeAll(async () => {
    epmd = await startRealEpmd(await freePort());
    sb = await startNode({ name: kSb, cookie: 'tickecho', schedulers: 0, dist: { portMapper: { port: epmd.port }, tickTimeMs: 20_000, log: false } });
    erl = await startErlPeer({ name: kErl, cookie: 'tickecho', epmdPort: epmd.port, tickTimeSec: 1 });
  }, 30_000);
  afterAll(async () => {
    await erl?.kill9();
    await sb?.stop();
    await epmd?.stop();
  });

  it('the idle link stays up on both sides for 4 net_ticktimes', async () => {
    const downs: unknown[] = [];
    sb.on('nodedown', (d: unknown) => downs.push(d));
    expect(await erl.value(`net_adm:ping('${kSb}').`)).toBe('pong');
    expect(await erl.value(`monitor_node('${kSb}', true), receive {nodedown, N} -> {down, N} after 4000 -> still_up end.`, 8000)).toBe('still_up');
    expect(await erl.value(`nodes().`)).toBe(`['${kSb}']`);
    expect(sb.nodes()).toEqual([kErl]);
    expect(downs).toEqual([]);
  });
});
