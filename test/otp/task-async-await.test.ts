import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { Task } from '../../src/otp/task.ts';
import { SlowSum } from './fixtures/task-work.ts';
import { inActor } from './task-helpers.ts';

describe('Task.async / Task.await', () => {
  it('runs generator, plain-function and module-behaviour targets in their own processes and returns their results', async () => {
    const node = new LocalNode();
    try {
      const { outcome } = await inActor(node, function* (ctx: Context) {
        const a = Task.async(ctx, function* (c: Context, ms: number) {
          yield c.sleep(ms);
          return { from: String(c.self) };
        }, [10]);
        const b = Task.async(ctx, (x: number, y: number) => x * y, [6, 7]);
        const c = Task.async(ctx, SlowSum, [100, 5]);
        const self = String(ctx.self);
        const ra = yield* Task.await(ctx, a);
        const rb = yield* Task.await(ctx, b);
        const rc = yield* Task.await(ctx, c);
        // Every task was its own process, linked to its caller; nothing is left in the mailbox.
        return { ra, rb, rc, distinct: ra.from !== self && ra.from === String(a.pid), links: ctx.processInfo(ctx.self)!.links.length, queue: ctx.processInfo(ctx.self)!.messageQueueLen };
      });
      expect(outcome).toEqual({ ok: { ra: { from: expect.any(String) }, rb: 42, rc: 5050, distinct: true, links: 0, queue: 0 } });
    } finally {
      await node.stop();
    }
  });

  it('awaits many tasks running concurrently', async () => {
    const node = new LocalNode();
    try {
      const { outcome } = await inActor(node, function* (ctx: Context) {
        const tasks = Array.from({ length: 50 }, (_, i) => Task.async(ctx, SlowSum, [i, 20 - (i % 20)]));
        const out: number[] = [];
        for (const t of tasks) out.push((yield* Task.await(ctx, t, 10_000)) as number);
        return out;
      });
      expect(outcome).toEqual({ ok: Array.from({ length: 50 }, (_, i) => (i * (i + 1)) / 2) });
    } finally {
      await node.stop();
    }
  });
});
