import { afterEach, describe, expect, it } from 'vitest';
import { Pid } from '../../src/core/pid.ts';
import { kOpLink, kOpMonitor } from '../../src/codec/dist-ops.ts';
import { DistProbe } from './fixtures/dist-actors.ts';
import { startThreadedDistNode, until, type ThreadedDistNode } from './fixtures/dist-node.ts';

// Links and monitors an actor on a scheduler thread holds on a remote pid fire with
// 'noconnection' when that node goes down; monitorNode watchers get nodedown.

let t: ThreadedDistNode;
afterEach(async () => {
  await t.node.stop();
});

describe('distributed ThreadedNode: nodedown fires links and monitors of scheduler actors', () => {
  it('EXIT and DOWN noconnection, then nodedown, to an actor on scheduler 1', async () => {
    t = await startThreadedDistNode(2);
    t.up(3);
    const remote = t.peerPid(9);
    const probe = await t.node.spawn(DistProbe, [t.node.pid], { scheduler: 1, trapExit: true });
    t.node.send(probe, { cmd: 'link', pid: remote });
    t.node.send(probe, { cmd: 'monitor', pid: remote });
    t.node.send(probe, { cmd: 'monitorNode', node: 'b@h' });
    // The link and the monitor went out to b@h (so they are recorded on the actor's side).
    await until(() => t.outOps().length === 2, 'the link and monitor ops');
    expect(t.outOps().map((o) => o.op[0])).toEqual([kOpLink, kOpMonitor]);
    expect((t.outOps()[0]!.op[2] as Pid).equals(probe)).toBe(true);

    t.down(3);
    const exit = (await t.waitFor((x) => x?.fwd?.type === 'EXIT')).fwd;
    expect(exit.reason).toBe('noconnection');
    expect((exit.from as Pid).equals(remote)).toBe(true);
    const down = (await t.waitFor((x) => x?.fwd?.type === 'DOWN')).fwd;
    expect(down.reason).toBe('noconnection');
    expect((down.pid as Pid).equals(remote)).toBe(true);
    expect((await t.waitFor((x) => x?.fwd?.type === 'nodedown')).fwd).toEqual({ type: 'nodedown', node: 'b@h' });
    expect(t.seen).toContainEqual({ event: 'nodedown', name: 'b@h', reason: 'noconnection', detail: 'closed' });
  });

  it('a monitor by { name, node } from scheduler 1 gets DOWN noconnection', async () => {
    t = await startThreadedDistNode(2);
    t.up(3);
    const probe = await t.node.spawn(DistProbe, [t.node.pid], { scheduler: 1 });
    t.node.send(probe, { cmd: 'monitor', to: { name: 'srv', node: 'b@h' } });
    await until(() => t.outOps().length === 1, 'the monitor-by-name op');
    t.down(3);
    const down = (await t.waitFor((x) => x?.fwd?.type === 'DOWN')).fwd;
    expect(down.reason).toBe('noconnection');
  });
});
