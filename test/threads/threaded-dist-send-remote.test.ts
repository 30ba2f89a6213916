import { afterEach, describe, expect, it } from 'vitest';
import { Pid } from '../../src/core/pid.ts';
import { kOpSend } from '../../src/codec/dist-ops.ts';
import { kOutConnect, kOutMessage } from '../../src/dist/io-protocol.ts';
import { DistProbe } from './fixtures/dist-actors.ts';
import { startThreadedDistNode, until, type ThreadedDistNode } from './fixtures/dist-node.ts';

// An actor on a scheduler thread sends to a pid of another node: the op goes through the
// gateway to the node transport, which connects first (auto-connect) and writes it at nodeup.

let t: ThreadedDistNode;
afterEach(async () => {
  await t.node.stop();
});

describe('distributed ThreadedNode: send to a remote pid from a scheduler', () => {
  it('asks for a connection, then writes the send op on the destination stream at nodeup', async () => {
    t = await startThreadedDistNode(2);
    const remote = t.peerPid(7);
    const probe = await t.node.spawn(DistProbe, [t.node.pid], { scheduler: 1 });
    t.node.send(probe, { cmd: 'send', to: remote, msg: { hi: 1, from: probe } });
    await until(() => t.io.written.length > 0, 'the connect request');
    expect(t.io.written.map((r) => r.kind)).toEqual([kOutConnect]);
    expect(new TextDecoder().decode(t.io.written[0]!.payload)).toBe('b@h');

    t.up(3);
    const out = t.outOps();
    expect(out).toHaveLength(1);
    expect(out[0]!.conn).toBe(3);
    expect(out[0]!.stream).toBe(7);
    const op = out[0]!.op;
    expect(op[0]).toBe(kOpSend);
    expect((op[1] as Pid).equals(remote)).toBe(true);
    const msg = op[2] as { hi: number; from: Pid };
    expect(msg.hi).toBe(1);
    // The sender's pid is this node's (index 0 here after the round trip by identity).
    expect(msg.from.equals(probe)).toBe(true);
  });

  it('writes at once when the node is up, from the embedding thread too', async () => {
    t = await startThreadedDistNode(2);
    t.up(4);
    const remote = t.peerPid(9);
    const probe = await t.node.spawn(DistProbe, [t.node.pid], { scheduler: 1 });
    t.node.send(probe, { cmd: 'send', to: remote, msg: 'a' });
    await until(() => t.outOps().length === 1, 'the op from scheduler 1');
    t.node.send(remote, 'b');
    await until(() => t.outOps().length === 2, 'the op from the embedding thread');
    expect(t.outOps().map((o) => [o.conn, o.stream, o.op[2]])).toEqual([[4, 9, 'a'], [4, 9, 'b']]);
    expect(t.io.written.filter((r) => r.kind === kOutConnect)).toHaveLength(0);
    expect(t.io.written.filter((r) => r.kind === kOutMessage)).toHaveLength(2);
  });
});
