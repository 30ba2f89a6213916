import { afterEach, describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { LocalNode } from '../../src/core/local-node.ts';
import type { NodeStatsReport } from '../../src/core/node.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('LocalNode: stats() reports its one scheduler in the NodeStatsReport shape', () => {
  it("counts spawns, messages and actors (the gateway excluded), and pending calls", async () => {
    node = new LocalNode();
    const before: NodeStatsReport = node.stats();
    expect(before.schedulers).toHaveLength(1);
    expect(before.schedulers[0]).toMatchObject({ scheduler: 0, actors: 0, runQueue: expect.any(Number) });
    expect(before.gateway).toEqual({ pendingCalls: 0 });

    const mute = await node.spawn({ handle: (_m: unknown, st: unknown) => st });
    const echo = await node.spawn(function* (ctx: Context) {
      const m = (yield ctx.receive()) as { from: { pid: never; ref: never } };
      ctx.reply(m.from, 'pong');
    });
    node.send(mute, 'hello');
    const pending = node.call(mute, 'never answered', 60_000).catch(() => 'rejected');
    expect(node.stats().gateway.pendingCalls).toBe(1);
    expect(await node.call(echo, 'ping')).toBe('pong');
    await node.idle();
    const s = node.stats().schedulers[0]!;
    expect(s.actors).toBe(1); // mute; echo ended
    expect(s.spawns - before.schedulers[0]!.spawns).toBe(2);
    expect(s.exits - before.schedulers[0]!.exits).toBe(1);
    // hello + 2 call requests + the reply: delivered on this one scheduler.
    expect(s.messagesIn - before.schedulers[0]!.messagesIn).toBeGreaterThanOrEqual(4);
    expect(s.state).toBe('parked');
    await node.stop();
    expect(await pending).toBe('rejected');
    expect(node.stats().schedulers[0]).toMatchObject({ state: 'stopped', actors: 0 });
    expect(node.stats().gateway.pendingCalls).toBe(0);
  });
});
