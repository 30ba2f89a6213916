import { afterEach, describe, expect, it } from 'vitest';
import { kOutMessage } from '../../src/dist/io-protocol.ts';
import { startFakeDistNode, watcher, type FakeDistNode } from './support/fake-node.ts';

// A pid of an incarnation of b@h that is gone (another creation is connected now): a
// message to it is dropped, a monitor on it DOWNs 'noproc' at once, nothing is written.

let t: FakeDistNode;
afterEach(async () => {
  await t.node.stop();
});

describe('Distribution stale creation', () => {
  it('drops sends and answers monitors noproc for a pid of an old incarnation', async () => {
    t = startFakeDistNode();
    t.up(3, 6);
    const old = t.peerPid(5, 5);
    const w = await t.node.spawn(watcher(t.node.pid));
    t.node.send(w, { cmd: 'send', to: old, msg: 'x' });
    t.node.send(w, { cmd: 'monitor', pid: old });
    const down = await t.waitFor((x) => x?.type === 'DOWN');
    expect(down.reason).toBe('noproc');
    expect(t.io.written.filter((r) => r.kind === kOutMessage)).toEqual([]);
    expect(t.dist.transport.stats.droppedStale).toBe(1);
  });
});
