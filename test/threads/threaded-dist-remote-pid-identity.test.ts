import { afterEach, describe, expect, it } from 'vitest';
import { Pid } from '../../src/core/pid.ts';
import { kOpSend } from '../../src/codec/dist-ops.ts';
import { DistProbe } from './fixtures/dist-actors.ts';
import { startThreadedDistNode, until, type ThreadedDistNode } from './fixtures/dist-node.ts';

// A pid of another node passed inside a message between two scheduler threads is still
// that node's pid: it crosses the ring by identity, each thread interns it into its table.

let t: ThreadedDistNode;
afterEach(async () => {
  await t.node.stop();
});

describe('distributed ThreadedNode: remote pids keep their node across schedulers', () => {
  it('scheduler 0 passes a remote pid to scheduler 1, which sends to it and back to the gateway', async () => {
    t = await startThreadedDistNode(2);
    t.up(3);
    const remote = t.peerPid(21);
    const stale = t.peerPid(22, 4); // an older incarnation of b@h: another node-table entry
    const p0 = await t.node.spawn(DistProbe, [t.node.pid], { scheduler: 0 });
    const p1 = await t.node.spawn(DistProbe, [t.node.pid], { scheduler: 1 });
    t.node.send(p0, { cmd: 'pass', to: p1, pid: remote });
    t.node.send(p0, { cmd: 'pass', to: p1, pid: stale });
    // p1 forwards { passed } to the gateway: decoded here, the same pids as sent.
    const a = await t.waitFor((x) => x?.fwd?.passed instanceof Pid && x.fwd.passed.id === 21);
    const b = await t.waitFor((x) => x?.fwd?.passed instanceof Pid && x.fwd.passed.id === 22);
    expect((a.fwd.passed as Pid).equals(remote)).toBe(true);
    expect((b.fwd.passed as Pid).equals(stale)).toBe(true);
    expect((a.fwd.passed as Pid).equals(stale)).toBe(false);
    expect((a.at as Pid).equals(p1)).toBe(true);

    // p0 tells p1 (over their ring) to send to the remote pid: the op names b@h's current incarnation.
    t.node.send(p0, { cmd: 'send', to: p1, msg: { cmd: 'send', to: remote, msg: 'via p1' } });
    await until(() => t.outOps().length === 1, 'the send op');
    const op = t.outOps()[0]!.op;
    expect(op[0]).toBe(kOpSend);
    expect((op[1] as Pid).equals(remote)).toBe(true);
    expect(op[2]).toBe('via p1');
  });
});
