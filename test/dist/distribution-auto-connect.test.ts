import { afterEach, describe, expect, it } from 'vitest';
import { kOpSend } from '../../src/codec/dist-ops.ts';
import { kOutConnect, kOutMessage } from '../../src/dist/io-protocol.ts';
import { startFakeDistNode, type FakeDistNode } from './support/fake-node.ts';

// A send to a node that is not connected waits for the connection it asks for
// (Erlang's auto-connect), then goes out on the destination's stream.

let t: FakeDistNode;
afterEach(async () => {
  await t.node.stop();
});

describe('Distribution auto-connect', () => {
  it('queues the op, asks the I/O thread to connect, and writes it at nodeup', async () => {
    t = startFakeDistNode();
    const remote = t.peerPid(7);
    t.node.send(remote, { hi: 1 });
    await Promise.resolve();
    expect(t.io.written.map((r) => r.kind)).toEqual([kOutConnect]);
    expect(new TextDecoder().decode(t.io.written[0]!.payload)).toBe('b@h');
    expect(t.node.nodes()).toEqual([]);

    t.up(3);
    const out = t.io.written.filter((r) => r.kind === kOutMessage);
    expect(out).toHaveLength(1);
    expect(out[0]!.conn).toBe(3);
    expect(out[0]!.stream).toBe(7);
    const op = t.decode(out[0]!.payload);
    expect(op[0]).toBe(kOpSend);
    expect((op[1] as { equals(x: unknown): boolean }).equals(remote)).toBe(true);
    expect(op[2]).toEqual({ hi: 1 });
    expect(t.node.nodes()).toEqual(['b@h']);
    expect(t.seen).toContainEqual({ event: 'nodeup', name: 'b@h', hidden: false });
  });

  it('resolves connectNode true at nodeup, and at once when already up', async () => {
    t = startFakeDistNode();
    const p = t.node.connectNode('b@h');
    await Promise.resolve();
    expect(t.io.written.map((r) => r.kind)).toEqual([kOutConnect]);
    t.up(4);
    await expect(p).resolves.toBe(true);
    await expect(t.node.connectNode('b@h')).resolves.toBe(true);
    expect(t.io.written.filter((r) => r.kind === kOutConnect)).toHaveLength(1);
  });
});
