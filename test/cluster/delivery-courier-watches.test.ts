/**
 * The courier's watches: one monitor per distinct target however many deliveries go to
 * it (kept while idle, so a stream costs no monitor per message), and at most
 * kIdleWatches idle ones — the oldest demonitored first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Delivery, isDelivery, kIdleWatches } from '../../src/cluster/delivery/index.ts';
import { inActor } from '../otp/helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

const ackHandler = {
  handle(m: unknown, st: null, ctx: Context) {
    if (isDelivery(m)) Delivery.ack(ctx, m);
    return st;
  },
};

describe('Delivery: the courier watches targets', () => {
  it('100 deliveries to one target: one monitor, kept after they are done', async () => {
    node = new LocalNode();
    const target = await node.spawn(ackHandler);
    const out = await inActor(node, function* (ctx) {
      for (let i = 0; i < 100; i++) yield* Delivery.deliver(ctx, target, i);
      const courier = ctx.processInfo(ctx.self)!.links[0]!;
      return { monitors: ctx.processInfo(courier)!.monitors.length, watchedBy: ctx.processInfo(target)!.monitoredBy.length };
    });
    // The courier's monitors: the target, and its sender.
    expect(out).toEqual({ monitors: 2, watchedBy: 1 });
  });

  it(`${kIdleWatches + 6} distinct targets: at most ${kIdleWatches} idle watches stay, the oldest dropped`, async () => {
    node = new LocalNode();
    const targets: Pid[] = [];
    for (let i = 0; i < kIdleWatches + 6; i++) targets.push(await node.spawn(ackHandler));
    const out = await inActor(node, function* (ctx) {
      for (const t of targets) yield* Delivery.deliver(ctx, t, 'x');
      const courier = ctx.processInfo(ctx.self)!.links[0]!;
      return {
        monitors: ctx.processInfo(courier)!.monitors.length,
        watched: targets.map((t) => ctx.processInfo(t)!.monitoredBy.length),
      };
    });
    expect(out.monitors).toBe(kIdleWatches + 1);
    expect(out.watched.slice(0, 6)).toEqual(Array(6).fill(0));
    expect(out.watched.slice(6)).toEqual(Array(kIdleWatches).fill(1));
  });
});
