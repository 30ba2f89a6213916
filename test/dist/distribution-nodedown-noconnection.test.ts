import { afterEach, describe, expect, it } from 'vitest';
import { kInNodeDown } from '../../src/dist/io-protocol.ts';
import { json } from './support/fake-io-host.ts';
import { startFakeDistNode, watcher, type FakeDistNode } from './support/fake-node.ts';

// Nodedown: every link to the lost node's pids fires with 'noconnection', every monitor
// DOWNs with 'noconnection', monitorNode watchers get nodedown, the node emits 'nodedown'.

let t: FakeDistNode;
afterEach(async () => {
  await t.node.stop();
});

describe('Distribution nodedown', () => {
  it('fires links, monitors and node monitors with noconnection, in that order of records', async () => {
    t = startFakeDistNode();
    t.up(3);
    const remote = t.peerPid(9);
    const w = await t.node.spawn(watcher(t.node.pid), [], { trapExit: true });
    t.node.send(w, { cmd: 'link', pid: remote });
    t.node.send(w, { cmd: 'monitor', pid: remote });
    t.node.send(w, { cmd: 'monitorNode', node: 'b@h' });
    t.node.send(w, 'ready');
    await t.waitFor((x) => x === 'ready');

    t.io.deliver(kInNodeDown, 3, 0, json({ name: 'b@h', reason: 'noconnection', detail: 'closed' }));
    const exit = await t.waitFor((x) => x?.type === 'EXIT');
    expect(exit.reason).toBe('noconnection');
    expect(exit.from.equals(remote)).toBe(true);
    const down = await t.waitFor((x) => x?.type === 'DOWN');
    expect(down.reason).toBe('noconnection');
    expect(down.pid.equals(remote)).toBe(true);
    expect(await t.waitFor((x) => x?.type === 'nodedown')).toEqual({ type: 'nodedown', node: 'b@h' });
    expect(t.seen).toContainEqual({ event: 'nodedown', name: 'b@h', reason: 'noconnection', detail: 'closed' });
    expect(t.node.nodes()).toEqual([]);
  });
});
