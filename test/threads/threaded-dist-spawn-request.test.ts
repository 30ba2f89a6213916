import { afterEach, describe, expect, it } from 'vitest';
import { Pid, Ref } from '../../src/core/pid.ts';
import { kOpSpawnReply, kOpSpawnRequest } from '../../src/codec/dist-ops.ts';
import { kInMessage } from '../../src/dist/io-protocol.ts';
import { DistProbe } from './fixtures/dist-actors.ts';
import { startThreadedDistNode, until, type ThreadedDistNode } from './fixtures/dist-node.ts';

// Spawn requests on a ThreadedNode: one from another node is served by spawning on a
// scheduler thread; one from an actor on a scheduler thread goes out with the ref that
// actor got, and the reply reaches it as a message.

let t: ThreadedDistNode;
afterEach(async () => {
  await t.node.stop();
});

describe('distributed ThreadedNode: spawn requests', () => {
  it('serves a spawn request from another node with a pid on a scheduler thread', async () => {
    t = await startThreadedDistNode(2);
    t.up(3);
    const requester = t.peerPid(21);
    const ref = new Ref(requester.node, 0, 77);
    t.io.deliver(kInMessage, 3, requester.id, t.ops.spawnRequest(requester, ref, 'root:test/dist/fixtures/echo-behaviour.ts', 'Echo', [], false));
    await until(() => t.outOps().length === 1, 'the spawn reply');
    const { stream, op } = t.outOps()[0]!;
    expect(stream).toBe(21);
    expect(op[0]).toBe(kOpSpawnReply);
    expect((op[1] as Pid).equals(requester)).toBe(true);
    expect((op[2] as Ref).equals(ref)).toBe(true);
    expect(op[4]).toBe(null);
    const pid = op[3] as Pid;
    expect(pid.node).toBe(0);
    const endpoints = t.node.schedulers + 1;
    expect(pid.id % endpoints).toBeLessThan(t.node.schedulers); // a scheduler's, not the gateway's
    t.node.send(pid, { echo: 'x', to: t.node.pid });
    await t.waitFor((x) => x?.echoed === 'x');
  });

  it('an actor on scheduler 1 requests a spawn on b@h and gets the reply with its own ref', async () => {
    t = await startThreadedDistNode(2);
    t.up(3);
    const probe = await t.node.spawn(DistProbe, [t.node.pid], { scheduler: 1 });
    t.node.send(probe, { cmd: 'spawnRequest', node: 'b@h', target: { module: new URL('../dist/fixtures/echo-behaviour.ts', import.meta.url).href, export: 'Echo' } });
    const { requested } = await t.waitFor((x) => x?.requested instanceof Ref);
    await until(() => t.outOps().length === 1, 'the spawn request op');
    const req = t.outOps()[0]!.op;
    expect(req[0]).toBe(kOpSpawnRequest);
    expect((req[1] as Pid).equals(probe)).toBe(true);
    expect((req[2] as Ref).equals(requested)).toBe(true);
    expect(req[3]).toBe('root:test/dist/fixtures/echo-behaviour.ts');

    const spawned = t.peerPid(40);
    t.io.deliver(kInMessage, 3, probe.id, t.ops.spawnReply(probe, req[2] as Ref, spawned, null, false));
    const reply = (await t.waitFor((x) => x?.fwd?.type === 'spawn_reply')).fwd;
    expect(reply.ok).toBe(true);
    expect((reply.ref as Ref).equals(requested)).toBe(true);
    expect((reply.pid as Pid).equals(spawned)).toBe(true);
  });
});
