import { afterEach, describe, expect, it } from 'vitest';
import { Pid, Ref } from '../../src/core/pid.ts';
import { kOpDown, kOpExit } from '../../src/codec/dist-ops.ts';
import { kInMessage } from '../../src/dist/io-protocol.ts';
import { DistProbe } from './fixtures/dist-actors.ts';
import { startThreadedDistNode, until, type ThreadedDistNode } from './fixtures/dist-node.ts';

// A link and a monitor another node makes on an actor of a scheduler thread are recorded
// on that actor: when it exits, the exit signal and the DOWN go back to the remote pids;
// to an actor that is gone, they are answered EXIT and DOWN 'noproc', as its owner node would.

let t: ThreadedDistNode;
afterEach(async () => {
  await t.node.stop();
});

describe('distributed ThreadedNode: inbound link and monitor on a scheduler actor', () => {
  it('its exit sends EXIT to the linked remote pid and DOWN to the remote watcher', async () => {
    t = await startThreadedDistNode(2);
    t.up(3);
    const probe = await t.node.spawn(DistProbe, [t.node.pid], { scheduler: 1 });
    const linker = t.peerPid(31);
    const watcher = t.peerPid(32);
    const ref = new Ref(watcher.node, 0, 5);
    t.io.deliver(kInMessage, 3, probe.id, t.ops.link(probe, linker));
    t.io.deliver(kInMessage, 3, probe.id, t.ops.monitor(probe, watcher, ref));
    // Both recorded before the exit arrives (one ring, in order).
    t.node.exit(probe, 'bye');
    await until(() => t.outOps().length === 2, 'the EXIT and DOWN ops');
    const ops = t.outOps().map((o) => o.op);
    const exit = ops.find((o) => o[0] === kOpExit)!;
    const down = ops.find((o) => o[0] === kOpDown)!;
    expect((exit[1] as Pid).equals(linker)).toBe(true);
    expect((exit[2] as Pid).equals(probe)).toBe(true);
    expect(exit[3]).toBe('bye');
    expect(exit[4]).toBe(true);
    expect((down[1] as Pid).equals(watcher)).toBe(true);
    expect((down[2] as Ref).equals(ref)).toBe(true);
    expect((down[3] as Pid).equals(probe)).toBe(true);
    expect(down[4]).toBe('bye');
  });

  it('a link and a monitor to a pid of scheduler 1 that is gone answer EXIT and DOWN noproc', async () => {
    t = await startThreadedDistNode(2);
    t.up(3);
    const probe = await t.node.spawn(DistProbe, [t.node.pid], { scheduler: 1 });
    t.node.exit(probe, 'kill');
    await until(() => t.node.stats().schedulers[1]!.exits >= 1, 'the exit');
    const linker = t.peerPid(33);
    const watcher = t.peerPid(34);
    const ref = new Ref(watcher.node, 0, 6);
    t.io.deliver(kInMessage, 3, probe.id, t.ops.link(probe, linker));
    t.io.deliver(kInMessage, 3, probe.id, t.ops.monitor(probe, watcher, ref));
    await until(() => t.outOps().length === 2, 'the noproc answers');
    const [exit, down] = t.outOps().map((o) => o.op);
    expect(exit![0]).toBe(kOpExit);
    expect((exit![1] as Pid).equals(linker)).toBe(true);
    expect(exit![3]).toBe('noproc');
    expect(down![0]).toBe(kOpDown);
    expect((down![1] as Pid).equals(watcher)).toBe(true);
    expect((down![2] as Ref).equals(ref)).toBe(true);
    expect(down![4]).toBe('noproc');
  });
});
