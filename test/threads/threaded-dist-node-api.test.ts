import { afterEach, describe, expect, it } from 'vitest';
import { CallExitError } from '../../src/core/errors.ts';
import { Pid, Ref } from '../../src/core/pid.ts';
import { kOpMonitor, kOpMonitorName, kOpRegSend, kOpSend, kOpSpawnRequest } from '../../src/codec/dist-ops.ts';
import { kInMessage, kOutConnect } from '../../src/dist/io-protocol.ts';
import { startThreadedDistNode, until, type ThreadedDistNode } from './fixtures/dist-node.ts';

// The Node API of a named ThreadedNode, from the embedding thread: name, nodes,
// connectNode, send / call to a remote pid or { name, node }, spawn({ node }).

let t: ThreadedDistNode;
afterEach(async () => {
  await t.node.stop();
});

describe('distributed ThreadedNode: the Node API delegates to the distribution', () => {
  it('connectNode resolves true at nodeup; nodes() lists the node', async () => {
    t = await startThreadedDistNode(1);
    expect(t.node.name).toBe('a@h');
    const p = t.node.connectNode('b@h');
    await until(() => t.io.written.some((r) => r.kind === kOutConnect), 'the connect request');
    t.up(3);
    await expect(p).resolves.toBe(true);
    expect(t.node.nodes()).toEqual(['b@h']);
    expect(t.node.nodes('hidden')).toEqual([]);
  });

  it('send by { name, node }; a call to a remote pid and by { name, node } reject with noconnection at nodedown', async () => {
    t = await startThreadedDistNode(1);
    t.up(3);
    t.node.send({ name: 'srv', node: 'b@h' }, 'hello');
    const remote = t.peerPid(5);
    const byPid = t.node.call(remote, 'ping', 10_000);
    const byName = t.node.call({ name: 'srv', node: 'b@h' }, 'ping', 10_000);
    await until(() => t.outOps().length === 5, 'the regsend, the two monitors and the two call sends');
    expect(t.outOps().map((o) => o.op[0])).toEqual([kOpRegSend, kOpMonitor, kOpSend, kOpMonitorName, kOpRegSend]);
    expect(t.outOps()[0]!.op.slice(2)).toEqual(['srv', 'hello']);
    expect((t.outOps()[0]!.op[1] as Pid).node).toBe(0); // sent from this node (no sender process, as LocalNode's)
    t.down(3);
    await expect(byPid).rejects.toThrow(new CallExitError('noconnection'));
    await expect(byName).rejects.toBeInstanceOf(CallExitError);
    await expect(byName).rejects.toMatchObject({ reason: 'noconnection' });
  });

  it('spawn({ node }) sends a spawn request and resolves with the pid of the reply', async () => {
    t = await startThreadedDistNode(1);
    t.up(3);
    const target = { module: new URL('../dist/fixtures/echo-behaviour.ts', import.meta.url).href, export: 'Echo' };
    const p = t.node.spawn(target, [1], { node: 'b@h' });
    await until(() => t.outOps().length === 1, 'the spawn request');
    const req = t.outOps()[0]!.op;
    expect(req[0]).toBe(kOpSpawnRequest);
    expect(req.slice(3, 6)).toEqual(['root:test/dist/fixtures/echo-behaviour.ts', 'Echo', [1]]);
    const spawned = t.peerPid(44);
    t.io.deliver(kInMessage, 3, t.node.pid.id, t.ops.spawnReply(req[1] as Pid, req[2] as Ref, spawned, null, false));
    expect((await p).equals(spawned)).toBe(true);
  });
});
