import { afterEach, describe, expect, it } from 'vitest';
import { Pid } from '../../src/core/pid.ts';
import { kInMessage } from '../../src/dist/io-protocol.ts';
import { DistProbe } from './fixtures/dist-actors.ts';
import { startThreadedDistNode, type ThreadedDistNode } from './fixtures/dist-node.ts';

// Ops another node sends for an actor on a scheduler thread are routed by the gateway to
// that scheduler: a send by pid and a send by registered name (the node-wide registry).

let t: ThreadedDistNode;
afterEach(async () => {
  await t.node.stop();
});

describe('distributed ThreadedNode: inbound sends reach actors on scheduler threads', () => {
  it('delivers a send by pid and by name to an actor on scheduler 1, remote pids inside intact', async () => {
    t = await startThreadedDistNode(2);
    t.up(3);
    const probe = await t.node.spawn(DistProbe, [t.node.pid], { scheduler: 1 });
    await t.node.register('probe', probe);
    const sender = t.peerPid(12);
    t.io.deliver(kInMessage, 3, probe.id, t.ops.send(probe, { n: 1, sender }));
    const got = await t.waitFor((x) => x?.fwd?.n === 1);
    expect((got.at as Pid).equals(probe)).toBe(true);
    expect((got.fwd.sender as Pid).equals(sender)).toBe(true);

    t.io.deliver(kInMessage, 3, 0, t.ops.regSend(sender, 'probe', { n: 2 }));
    expect((await t.waitFor((x) => x?.fwd?.n === 2)).fwd).toEqual({ n: 2 });
    // An unknown name drops the message (as Erlang): the next one still comes, alone.
    t.io.deliver(kInMessage, 3, 0, t.ops.regSend(sender, 'nobody', { n: 3 }));
    t.io.deliver(kInMessage, 3, probe.id, t.ops.send(probe, { n: 4 }));
    await t.waitFor((x) => x?.fwd?.n === 4);
    expect(t.seen.filter((x: any) => x?.fwd?.n === 3)).toEqual([]);
  });
});
