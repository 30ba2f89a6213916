import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { Task } from '../../src/otp/task.ts';
import { SlowSum } from './fixtures/task-work.ts';
import { inActor } from './task-helpers.ts';

describe('Task.yield and Task.shutdown', () => {
  it('yield returns null while the task runs (it can be awaited again), then {ok}', async () => {
    const node = new LocalNode();
    try {
      const { outcome } = await inActor(node, function* (ctx: Context) {
        const t = Task.async(ctx, SlowSum, [4, 500]);
        const first = yield* Task.yield(ctx, t, 5);
        const second = yield* Task.yield(ctx, t, 10_000);
        return { first, second };
      });
      expect(outcome).toEqual({ ok: { first: null, second: { ok: 10 } } });
    } finally {
      await node.stop();
    }
  });

  it('shutdown stops a running task (null) without taking the caller down, or returns {ok} when it had finished', async () => {
    const node = new LocalNode();
    try {
      const { outcome } = await inActor(node, function* (ctx: Context) {
        const long = Task.async(ctx, SlowSum, [3, 60_000]);
        const stopped = yield* Task.shutdown(ctx, long, 1000);
        const brutal = Task.async(ctx, SlowSum, [3, 60_000]);
        const killed = yield* Task.shutdown(ctx, brutal, 'brutal_kill');
        const quick = Task.async(ctx, SlowSum, [3, 0]);
        yield ctx.sleep(50);
        const done = yield* Task.shutdown(ctx, quick);
        return { stopped, killed, done, longAlive: ctx.isAlive(long.pid), brutalAlive: ctx.isAlive(brutal.pid), queue: ctx.processInfo(ctx.self)!.messageQueueLen };
      });
      expect(outcome).toEqual({ ok: { stopped: null, killed: null, done: { ok: 6 }, longAlive: false, brutalAlive: false, queue: 0 } });
    } finally {
      await node.stop();
    }
  });
});
