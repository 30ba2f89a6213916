import { afterEach, describe, expect, it } from 'vitest';
import { nodeTable } from '../../src/core/node-table.ts';
import { Pid, Ref } from '../../src/core/pid.ts';
import { kAnyCreation } from '../../src/core/remote-name.ts';
import { kOpDown } from '../../src/codec/dist-ops.ts';
import { kInMessage, kOutMessage } from '../../src/dist/io-protocol.ts';
import { startFakeDistNode, watcher, type FakeDistNode } from './support/fake-node.ts';

// A `{ name, node }` monitor set here by another node (GenServer.call({ name, node })
// sets one per call) is removed by its demonitor, which names only a placeholder pid: the
// owner remembers which pid the name had. At a DOWN it is forgotten too. Without this
// every such call would leave a monitor on the server for ever.

let t: FakeDistNode;
afterEach(async () => {
  await t.node.stop();
});

const downs = (t: FakeDistNode) => t.io.written.filter((r) => r.kind === kOutMessage).map((r) => t.decode(r.payload)).filter((op) => op[0] === kOpDown);

describe('Distribution name monitors', () => {
  it('a demonitor by placeholder removes the monitor: no DOWN when the actor dies', async () => {
    t = startFakeDistNode();
    t.up(3);
    const w = await t.node.spawn(watcher(t.node.pid));
    await t.node.register('w', w);
    const remoteWatcher = t.peerPid(30);
    const ref = new Ref(remoteWatcher.node, 0, 5);
    t.io.deliver(kInMessage, 3, 0, t.ops.monitorName(remoteWatcher, ref, 'w'));
    expect(t.dist['dispatcher']!.nameMonitorCount).toBe(1);
    const placeholder = new Pid(nodeTable.intern('a@h', kAnyCreation), 0, -1);
    t.io.deliver(kInMessage, 3, 0, t.ops.demonitor(placeholder, ref));
    expect(t.dist['dispatcher']!.nameMonitorCount).toBe(0);
    t.node.exit(w, 'kill');
    await t.node.idle();
    await Promise.resolve();
    expect(downs(t)).toEqual([]);
  });

  it('without a demonitor the DOWN goes out, and the monitor is forgotten', async () => {
    t = startFakeDistNode();
    t.up(3);
    const w = await t.node.spawn(watcher(t.node.pid));
    await t.node.register('w', w);
    const remoteWatcher = t.peerPid(31);
    const ref = new Ref(remoteWatcher.node, 0, 6);
    t.io.deliver(kInMessage, 3, 0, t.ops.monitorName(remoteWatcher, ref, 'w'));
    t.node.exit(w, 'kill');
    await t.node.idle();
    await Promise.resolve();
    const d = downs(t);
    expect(d).toHaveLength(1);
    expect(d[0]![4]).toBe('killed');
    expect(t.dist['dispatcher']!.nameMonitorCount).toBe(0);
  });
});
