import { afterEach, describe, expect, it } from 'vitest';
import { Ref } from '../../src/core/pid.ts';
import { kOpSpawnReply } from '../../src/codec/dist-ops.ts';
import { kInMessage, kOutDisconnect, kOutMessage } from '../../src/dist/io-protocol.ts';
import { startFakeDistNode, watcher, type FakeDistNode } from './support/fake-node.ts';

// Ops another node sends are served here: messages, registered-name sends, links and
// spawn requests; bytes that are not an op close that connection.

let t: FakeDistNode;
afterEach(async () => {
  await t.node.stop();
});

describe('Distribution inbound ops', () => {
  it('delivers a send and a registered-name send', async () => {
    t = startFakeDistNode();
    t.up(3);
    const w = await t.node.spawn(watcher(t.node.pid));
    await t.node.register('w', w);
    t.io.deliver(kInMessage, 3, w.id, t.ops.send(w, { n: 1 }));
    expect(await t.waitFor((x) => x?.n === 1)).toEqual({ n: 1 });
    t.io.deliver(kInMessage, 3, 0, t.ops.regSend(t.peerPid(2), 'w', { n: 2 }));
    expect(await t.waitFor((x) => x?.n === 2)).toEqual({ n: 2 });
    t.io.deliver(kInMessage, 3, 0, t.ops.regSend(t.peerPid(2), 'nobody', { n: 3 }));
    t.node.send(w, { n: 4 });
    await t.waitFor((x) => x?.n === 4);
    expect(t.seen.filter((x: any) => x?.fwd?.n === 3)).toEqual([]);
  });

  it('answers a link from a remote pid to a dead local pid with an exit noproc', async () => {
    t = startFakeDistNode();
    t.up(3);
    const w = await t.node.spawn(watcher(t.node.pid));
    t.node.exit(w, 'kill');
    await t.node.idle();
    const from = t.peerPid(11);
    t.io.deliver(kInMessage, 3, w.id, t.ops.link(w, from));
    await Promise.resolve();
    const out = t.io.written.filter((r) => r.kind === kOutMessage).map((r) => t.decode(r.payload));
    expect(out).toHaveLength(1);
    expect(out[0]![0]).toBe(3); // kOpExit
    expect((out[0]![1] as any).equals(from)).toBe(true);
    expect(out[0]![3]).toBe('noproc');
  });

  it('serves a spawn request relative to the code root and replies with the pid', async () => {
    t = startFakeDistNode();
    t.up(3);
    const requester = t.peerPid(21);
    const ref = new Ref(t.peerPid(0).node, 0, 77);
    t.io.deliver(kInMessage, 3, requester.id, t.ops.spawnRequest(requester, ref, 'root:test/dist/fixtures/echo-behaviour.ts', 'Echo', [], false));
    await Promise.resolve();
    const reply = t.io.written.filter((r) => r.kind === kOutMessage).map((r) => t.decode(r.payload))[0]!;
    expect(reply[0]).toBe(kOpSpawnReply);
    expect((reply[2] as Ref).equals(ref)).toBe(true);
    expect(reply[4]).toBe(null);
    const pid = reply[3] as any;
    expect(pid.node).toBe(0);
    t.node.send(pid, { echo: 'x', to: t.node.pid });
    for (let i = 0; i < 2000 && !t.seen.some((x: any) => x?.echoed === 'x'); i++) await new Promise((r) => setTimeout(r, 1));
    expect(t.seen).toContainEqual({ echoed: 'x' });
  });

  it('refuses a spawn request naming a file outside the code root', async () => {
    t = startFakeDistNode();
    t.up(3);
    const requester = t.peerPid(21);
    const ref = new Ref(t.peerPid(0).node, 0, 78);
    t.io.deliver(kInMessage, 3, requester.id, t.ops.spawnRequest(requester, ref, 'file:///etc/passwd', 'X', [], false));
    await Promise.resolve();
    const reply = t.io.written.filter((r) => r.kind === kOutMessage).map((r) => t.decode(r.payload))[0]!;
    expect(reply[3]).toBe(null);
    expect(reply[4]).toEqual({ name: 'BadArgError', message: 'spawn request: module file:///etc/passwd is not relative to the code root nor a package name', code: 'ERR_SB_BADARG' });
  });

  it('closes the connection that sends bytes that are not an op', async () => {
    t = startFakeDistNode();
    t.up(3);
    t.io.deliver(kInMessage, 3, 0, new Uint8Array([1, 2, 3]));
    expect(t.dist.badOps).toBe(1);
    expect(t.io.written.filter((r) => r.kind === kOutDisconnect).map((r) => r.conn)).toEqual([3]);
  });
});
