import { afterEach, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { startMetricsServer } from '../../src/profile/metrics/index.ts';
import { startNodeProcess, type NodeProcess } from '../dist/support/node-process.ts';
import { scrape, valueOf } from './fixtures/metrics-text.ts';

// A named node's distribution metrics: this test's node (one named node per thread) and a
// peer in a child process; after a connection and some calls the dist counters and the
// per-peer counters rose; after nodedown the connection gauges drop, the counters stay.

const kMe = 'metrics-a@127.0.0.1';
const kPeer = 'metrics-b@127.0.0.1';
const kCookie = 'metrics-cookie';

let node: Node | null = null;
let peer: NodeProcess | null = null;
afterEach(async () => {
  if (peer?.alive === true) await peer.kill9();
  await node?.stop();
  node = peer = null;
});

it('exports connection, byte and message counters of a named node, per peer', async () => {
  node = await startNode({ schedulers: 0, name: kMe, cookie: kCookie, dist: { portMapper: false, staticPorts: {} } });
  const io = (await node.ioStats())!;
  const m = await startMetricsServer(node);
  const p = 'switchboard_';
  const before = await scrape(m.url);
  expect(before.types.get(`${p}dist_ops_out_total`)).toBe('counter');
  expect(before.types.get(`${p}dist_peer_bytes_in_total`)).toBe('counter');
  expect(valueOf(before, `${p}dist_connections`)).toBe(0);
  expect(valueOf(before, `${p}dist_accepted_total`)).toBe(0);

  const up = new Promise((r) => node!.once('nodeup', r));
  peer = await startNodeProcess({
    name: kPeer, cookie: kCookie,
    dist: { listen: { host: '127.0.0.1', port: 0 }, portMapper: false, staticPorts: { [kMe]: `127.0.0.1:${io['listenPort'] as number}` } },
  });
  await peer.request({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });
  expect(await peer.request({ cmd: 'connect', node: kMe })).toBe(true);
  await up;
  const calls = 5;
  for (let i = 0; i < calls; i++) await node.call({ name: 'echo', node: kPeer }, i);

  const after = await scrape(m.url);
  expect(valueOf(after, `${p}dist_connections`)).toBe(1);
  expect(valueOf(after, `${p}dist_nodes`)).toBe(1);
  expect(valueOf(after, `${p}dist_accepted_total`)).toBe(1);
  expect(valueOf(after, `${p}dist_ops_out_total`)!).toBeGreaterThanOrEqual(calls);
  const peerLabel = { peer: kPeer };
  expect(valueOf(after, `${p}dist_peer_messages_out_total`, peerLabel)!).toBeGreaterThanOrEqual(calls);
  expect(valueOf(after, `${p}dist_peer_messages_in_total`, peerLabel)!).toBeGreaterThanOrEqual(calls);
  expect(valueOf(after, `${p}dist_peer_bytes_in_total`, peerLabel)!).toBeGreaterThan(0);
  expect(valueOf(after, `${p}dist_peer_busy`, peerLabel)).toBe(0);

  const down = new Promise((r) => node!.once('nodedown', r));
  await peer.kill9();
  await down;
  // The I/O thread may still be closing the socket when the node thread has its nodedown.
  let gone = await scrape(m.url);
  for (let i = 0; i < 200 && valueOf(gone, `${p}dist_connections`) !== 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
    gone = await scrape(m.url);
  }
  expect(valueOf(gone, `${p}dist_connections`)).toBe(0);
  expect(valueOf(gone, `${p}dist_nodes`)).toBe(0);
  // Counters of the gone peer keep their last value; its gauges are gone.
  expect(valueOf(gone, `${p}dist_peer_messages_out_total`, peerLabel)!).toBeGreaterThanOrEqual(valueOf(after, `${p}dist_peer_messages_out_total`, peerLabel)!);
  expect(valueOf(gone, `${p}dist_peer_busy`, peerLabel)).toBeUndefined();
}, 30_000);
