/**
 * A Switchboard node as a peer of a real erl, through the real epmd, on one listener that
 * speaks both protocols: erl's net_kernel:connect_node to us is true and nodes() lists
 * each on the other side; our connectNode to erl too (the port mapper entry without the
 * Switchboard marker says "Erlang"); both connecting at once ends with one connection; a
 * Switchboard node and erl on one listener at once;
 * nodedown both ways when either side is killed -9.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode } from '../../src/dist/start-node.ts';
import type { Node } from '../../src/core/node.ts';
import { hasEpmd, hasErl, startRealEpmd, type RealEpmd } from './fixtures/erlang-tools.ts';
import { freePort } from './fixtures/free-port.ts';
import { startErlPeer, type ErlPeer } from './fixtures/erlang-peer.ts';
import { until } from './fixtures/erlang-peer-setup.ts';
import { startNodeProcess } from './support/node-process.ts';

const ok = hasErl && hasEpmd;
if (!ok) console.warn('erlang-peer-connect-nodedown: skipped, `erl`/`epmd` are not installed');

const kCookie = 'sbbridgecookie';
const kSb = 'sb@127.0.0.1';
const kErl = 'e@127.0.0.1';

describe.skipIf(!ok)('a Switchboard node and a real erl as peers', () => {
  let epmd: RealEpmd;
  let erl: ErlPeer;
  let sb: Node;

  beforeAll(async () => {
    epmd = await startRealEpmd(await freePort());
    sb = await startNode({ name: kSb, cookie: kCookie, dist: { portMapper: { port: epmd.port }, tickTimeMs: 2000, log: false } });
    erl = await startErlPeer({ name: kErl, cookie: kCookie, epmdPort: epmd.port, tickTimeSec: 2 });
  }, 30_000);

  afterAll(async () => {
    await erl?.kill9();
    await sb?.stop();
    await epmd?.stop();
  });

  it('erl connects to us: connect_node is true, nodes() on both sides', async () => {
    const ups: string[] = [];
    sb.on('nodeup', (i: { name: string }) => ups.push(i.name));
    expect(await erl.value(`net_kernel:connect_node('${kSb}').`)).toBe('true');
    expect(await erl.value('nodes().')).toBe(`['${kSb}']`);
    await until('our nodes() to list erl', () => sb.nodes().includes(kErl));
    expect(ups).toEqual([kErl]);
  });

  it('we connect to erl (epmd entry without our marker): connectNode is true, erl lists us', async () => {
    expect(await sb.disconnectNode(kErl)).toBe(true);
    await until('erl to forget us', async () => (await erl.value('nodes().')) === '[]');
    await until('us to forget erl', () => !sb.nodes().includes(kErl));
    expect(await sb.connectNode(kErl)).toBe(true);
    expect(sb.nodes()).toEqual([kErl]);
    expect(await erl.value('nodes().')).toBe(`['${kSb}']`);
  });

  it('both connect at once: both true, one connection (net_kernel\'s rule for Erlang peers)', async () => {
    expect(await sb.disconnectNode(kErl)).toBe(true);
    await until('erl to forget us', async () => (await erl.value('nodes().')) === '[]');
    await until('us to forget erl', () => !sb.nodes().includes(kErl));
    const [theirs, ours] = await Promise.all([erl.value(`net_kernel:connect_node('${kSb}').`), sb.connectNode(kErl)]);
    expect([theirs, ours]).toEqual(['true', true]);
    await new Promise((r) => setTimeout(r, 300)); // a losing attempt, if any, has ended
    expect(await erl.value('nodes().')).toBe(`['${kSb}']`);
    expect(sb.nodes()).toEqual([kErl]);
    const io = (await sb.ioStats()) as { connections: { name: string }[] };
    expect(io.connections.filter((c) => c.name === kErl)).toHaveLength(1);
  });

  it('a killed Switchboard node is nodedown for erl; another Switchboard node and erl share our listener', async () => {
    const other = await startNodeProcess({ name: 'sb2@127.0.0.1', cookie: kCookie, dist: { portMapper: { host: '127.0.0.1', port: epmd.port }, tickTimeMs: 2000 } });
    // Switchboard's protocol on the same listener erl uses.
    expect(await sb.connectNode('sb2@127.0.0.1')).toBe(true);
    expect(await erl.value(`net_kernel:connect_node('sb2@127.0.0.1').`)).toBe('true');
    const down = erl.value(`monitor_node('sb2@127.0.0.1', true), receive {nodedown, N} -> N after 10000 -> timeout end.`, 15_000);
    await new Promise((r) => setTimeout(r, 100)); // the monitor_node is set before the kill
    await other.kill9();
    expect(await down).toBe(`'sb2@127.0.0.1'`);
  }, 30_000);

  it('a killed erl is nodedown for us (noconnection at once: the socket closes)', async () => {
    await until('erl up', () => sb.nodes().includes(kErl));
    // (sb2's own nodedown from the test before may still come: wait for erl's.)
    const down = new Promise<{ name: string; reason: string }>((r) => {
      const on = (d: { name: string; reason: string }): void => {
        if (d.name !== kErl) return;
        sb.off('nodedown', on);
        r(d);
      };
      sb.on('nodedown', on);
    });
    await erl.kill9();
    const d = await down;
    expect(d.name).toBe(kErl);
    expect(d.reason).toBe('noconnection');
    expect(sb.nodes()).not.toContain(kErl);
  });
});
