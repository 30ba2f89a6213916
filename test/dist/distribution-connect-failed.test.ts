import { afterEach, describe, expect, it } from 'vitest';
import { kInConnectFailed, kOutConnect, kOutMessage } from '../../src/dist/io-protocol.ts';
import { json } from './support/fake-io-host.ts';
import { startFakeDistNode, watcher, type FakeDistNode } from './support/fake-node.ts';

// A connection that cannot be made: what waited for it is dropped (as Erlang drops it),
// monitors and links set up meanwhile fire 'noconnection', connectNode resolves false.

let t: FakeDistNode;
afterEach(async () => {
  await t.node.stop();
});

describe('Distribution connect failure', () => {
  it('drops the queue and fires noconnection', async () => {
    t = startFakeDistNode();
    const remote = t.peerPid(4);
    const w = await t.node.spawn(watcher(t.node.pid), [], { trapExit: true });
    const connected = t.node.connectNode('b@h');
    t.node.send(w, { cmd: 'monitor', pid: remote });
    t.node.send(w, { cmd: 'send', to: remote, msg: 'lost' });
    t.node.send(w, 'ready');
    await t.waitFor((x) => x === 'ready');
    const req = t.io.written.find((r) => r.kind === kOutConnect)!;
    expect(t.io.written.filter((r) => r.kind === kOutConnect)).toHaveLength(1);

    t.io.deliver(kInConnectFailed, req.conn, 0, json({ name: 'b@h', error: { name: 'NoConnectionError', message: 'refused' } }));
    await expect(connected).resolves.toBe(false);
    const down = await t.waitFor((x) => x?.type === 'DOWN');
    expect(down.reason).toBe('noconnection');
    expect(t.io.written.filter((r) => r.kind === kOutMessage)).toEqual([]);
  });
});
