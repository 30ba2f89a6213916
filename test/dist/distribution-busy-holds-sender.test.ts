import { afterEach, describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { kInBusy, kInNotBusy, kOutMessage } from '../../src/dist/io-protocol.ts';
import { startFakeDistNode, type FakeDistNode } from './support/fake-node.ts';

// A busy connection (busy_dist_port): the sender's op is still written — nothing is
// dropped — but the sender is held until the connection is not busy any more.

let t: FakeDistNode;
afterEach(async () => {
  await t.node.stop();
});

describe('Distribution busy connection', () => {
  it('does not hold a sender of a few small messages (a pinger)', async () => {
    t = startFakeDistNode();
    t.up(3);
    const remote = t.peerPid(8);
    const gateway = t.node.pid;
    const pinger = await t.node.spawn({
      handle(msg: any, state: number, ctx: Context) {
        ctx.send(remote, 'ping');
        ctx.send(gateway, { fwd: 'pinged' });
        return state;
      },
    }, [0]);
    t.io.deliver(kInBusy, 3, 0, new Uint8Array(0));
    t.node.send(pinger, 'go');
    expect(await t.waitFor((x) => x === 'pinged')).toBe('pinged');
    expect(t.dist.transport.busy.stats.holds).toBe(0);
    expect(t.dist.transport.busy.stats.sendsWhileBusy).toBe(1);
  });

  it('holds a sending actor while busy and resumes it after, losing nothing', async () => {
    t = startFakeDistNode();
    t.up(3);
    const remote = t.peerPid(8);
    const gateway = t.node.pid;
    const sender = await t.node.spawn({
      handle(msg: any, state: number, ctx: Context) {
        if (msg === 'go') {
          for (let i = 0; i < 5; i++) ctx.send(remote, new Uint8Array(100_000));
          ctx.send(ctx.self, 'go-on');
        } else if (msg === 'go-on') ctx.send(gateway, { fwd: 'done' });
        return state;
      },
    }, [0]);
    t.io.deliver(kInBusy, 3, 0, new Uint8Array(0));
    t.node.send(sender, 'go');
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    // Every op was written; past its allowance (256 KiB) the sender's slice ended and it is held (its 'go-on' waits).
    expect(t.io.written.filter((r) => r.kind === kOutMessage)).toHaveLength(5);
    expect(t.dist.transport.busy.stats.holds).toBe(1);
    expect(t.seen).not.toContainEqual({ fwd: 'done' });

    t.io.deliver(kInNotBusy, 3, 0, new Uint8Array(0));
    expect(await t.waitFor((x) => x === 'done')).toBe('done');
    expect(t.dist.transport.busy.stats.sendsWhileBusy).toBe(5);
    // node.stats() reports it (busy_dist_port is counted).
    expect(t.node.stats().dist).toMatchObject({ nodes: 1, opsOut: 5, busyEvents: 1, sendsWhileBusy: 5, holds: 1 });
  });
});
