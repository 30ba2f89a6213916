import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { kNodeDownChannel, kNodeUpChannel, type NodeDownEvent, type NodeUpEvent } from '../../src/profile/metrics/index.ts';
import { startNodeProcess, type NodeProcess } from '../dist/support/node-process.ts';

// diagnostics_channel 'switchboard:nodeup' / 'switchboard:nodedown' on a named node (the
// node thread), with a peer in a child process: exact payloads, in order with the node's
// own 'nodeup' / 'nodedown' events.

const kMe = 'diag-a@127.0.0.1';
const kPeer = 'diag-b@127.0.0.1';
const kCookie = 'diag-cookie';

let node: Node | null = null;
let peer: NodeProcess | null = null;
const listeners: [string, (m: unknown) => void][] = [];
afterEach(async () => {
  for (const [n, f] of listeners.splice(0)) unsubscribe(n, f);
  if (peer?.alive === true) await peer.kill9();
  await node?.stop();
  node = peer = null;
});

it('publishes nodeup and nodedown with the node name, hidden flag and reason', async () => {
  const events: [string, unknown][] = [];
  const onUp = (m: unknown): void => { events.push(['channel:nodeup', m]); };
  const onDown = (m: unknown): void => { events.push(['channel:nodedown', m]); };
  subscribe(kNodeUpChannel, onUp);
  subscribe(kNodeDownChannel, onDown);
  listeners.push([kNodeUpChannel, onUp], [kNodeDownChannel, onDown]);

  node = await startNode({ schedulers: 0, name: kMe, cookie: kCookie, dist: { portMapper: false, staticPorts: {} } });
  node.on('nodeup', (e: unknown) => events.push(['event:nodeup', e]));
  const up = new Promise((r) => node!.once('nodeup', r));
  const down = new Promise((r) => node!.once('nodedown', r));
  const port = (await node.ioStats())!['listenPort'] as number;
  peer = await startNodeProcess({
    name: kPeer, cookie: kCookie,
    dist: { listen: { host: '127.0.0.1', port: 0 }, portMapper: false, staticPorts: { [kMe]: `127.0.0.1:${port}` } },
  });
  expect(await peer.request({ cmd: 'connect', node: kMe })).toBe(true);
  await up;
  await peer.kill9();
  await down;

  expect(events[0]).toEqual(['event:nodeup', { name: kPeer, hidden: false }]);
  expect(events[1]).toEqual(['channel:nodeup', { node: kPeer, hidden: false } satisfies NodeUpEvent]);
  expect(events[2]![0]).toBe('channel:nodedown');
  const d = events[2]![1] as NodeDownEvent;
  expect(Object.keys(d)).toEqual(['node', 'hidden', 'reason', 'detail']);
  expect(d).toMatchObject({ node: kPeer, hidden: false, reason: 'noconnection' });
  expect(typeof d.detail).toBe('string');
  expect(events.length).toBe(3);
}, 30_000);
