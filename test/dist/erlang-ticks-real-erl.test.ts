/**
 * Ticks against a real OTP node with a low net_ticktime (3 s): while our ErlangTicker
 * runs (tick time 3 s, net_kernel's rule: a tick after a silent quarter), the connection
 * stays up for more than two tick times and erl's ticks reach us; 16 MiB go each way
 * meanwhile (fragments, the socket full at times: the writer waits for 'drain'); once we
 * stop ticking (the socket stays open, we still read) erl declares us down within about
 * a tick time.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupNode } from '../../src/dist/port-mapper-client.ts';
import { ErlangTicker } from '../../src/dist/erlang/index.ts';
import { hasEpmd, hasErl, startRealEpmd, type RealEpmd } from './fixtures/erlang-tools.ts';
import { freePort } from './fixtures/free-port.ts';
import { startErlPeer, type ErlPeer } from './fixtures/erlang-peer.ts';
import { attachLink, dialErlang } from './fixtures/erlang-peer-link.ts';
import { atom, binary, pid, smallInt, tuple } from './fixtures/erlang-peer-terms.ts';

const ok = hasErl && hasEpmd;
if (!ok) console.warn('erlang-ticks-real-erl: skipped, `erl`/`epmd` are not installed (apt-get install erlang-nox)');

const kCookie = 'sbtickcookie';
const kSb = 'sb@127.0.0.1';
const kErl = 'e@127.0.0.1';
const kTickSec = 3;

describe.skipIf(!ok)('Erlang ticks with a real erl node (net_ticktime 3)', () => {
  let epmd: RealEpmd;
  let erl: ErlPeer;

  beforeAll(async () => {
    epmd = await startRealEpmd(await freePort());
    erl = await startErlPeer({ name: kErl, cookie: kCookie, epmdPort: epmd.port, tickTimeSec: kTickSec });
  }, 20_000);

  afterAll(async () => {
    await erl?.stop();
    await epmd?.stop();
  });

  it('stays up over two tick times while we tick, and erl sees nodedown once we stop', async () => {
    expect(await erl.value('net_kernel:get_net_ticktime().')).toBe(String(kTickSec));
    const port = (await lookupNode('e', { port: epmd.port }))!.port;
    const { socket, result } = await dialErlang(port, { name: kSb, creation: 7, cookie: kCookie, setupTimeMs: 5000 }, kErl);
    const link = attachLink(socket, result);
    let weTimedOut = false;
    const ticker = new ErlangTicker({
      get bytesRead() { return link.reader.bytesRead; },
      get bytesWritten() { return link.writer.bytesWritten; },
      get writePending() { return link.writer.pending; },
      sendTick() { link.writer.tick(); link.writer.flush(); },
      timeout() { weTimedOut = true; },
    }, { tickTimeMs: kTickSec * 1000 });
    try {
      expect(await erl.value('net_kernel:monitor_nodes(true).')).toBe('ok');
      ticker.start();
      // erl waits 7 s (> 2 x 3 s) for a nodedown that must not come.
      expect(await erl.value(`receive {nodedown, '${kSb}'} -> down after 7000 -> still_up end.`, 12_000)).toBe('still_up');
      expect(link.ticks()).toBeGreaterThanOrEqual(4); // erl ticked us (every 0.75 s when it had nothing else to say)
      expect(link.writer.ticksWritten).toBeGreaterThanOrEqual(4);
      expect(weTimedOut).toBe(false);

      // 16 MiB each way while the ticker runs.
      const big = Buffer.alloc(16 * 1024 * 1024);
      for (let i = 0; i < big.length; i += 4096) big[i] = (i >>> 12) & 0xff;
      await erl.value('register(sink, self()).');
      link.writer.send(1, tuple(smallInt(6), pid(kSb, 1, 0, 7), atom(''), atom('sink')), tuple(atom('big'), binary(big)));
      link.writer.flush();
      const md5 = await erl.binary('receive {big, B} -> erlang:md5(B) after 10000 -> <<>> end.', 15_000);
      expect(Buffer.from(md5).toString('hex')).toBe(createHash('md5').update(big).digest('hex'));
      expect(link.sinkFull()).toBeGreaterThan(0); // the socket was full: the rest went on 'drain'
      await erl.value(`{reg, '${kSb}'} ! {big, binary:copy(<<1,2,3,4>>, 4 * 1024 * 1024)}, ok.`);
      const m = await link.waitMessage((x) => x.payload !== null && x.payload.length > 16 * 1024 * 1024, 15_000, 'the 16 MiB message');
      expect([...m.payload!.subarray(m.payload!.length - 4)]).toEqual([1, 2, 3, 4]);
      expect(link.reader.fragmentsRead).toBeGreaterThanOrEqual(256);
      expect(await erl.value(`lists:member('${kSb}', nodes()).`)).toBe('true');
      expect(weTimedOut).toBe(false);

      ticker.stop();
      const stoppedAt = Date.now();
      expect(await erl.value(`receive {nodedown, '${kSb}'} -> down after 8000 -> still_up end.`, 12_000)).toBe('down');
      const tookMs = Date.now() - stoppedAt;
      expect(tookMs).toBeGreaterThan(kTickSec * 1000 / 2);
      expect(tookMs).toBeLessThan(kTickSec * 1000 * 2 + 1000);
      await link.closed; // erl closed the connection
    } finally {
      ticker.stop();
      link.close();
    }
  }, 30_000);
});
