import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { Task } from '../../src/otp/task.ts';
import { TaskTimeoutError } from '../../src/otp/task-errors.ts';
import { SlowSum } from './fixtures/task-work.ts';
import { inActor } from './task-helpers.ts';

describe('Task.await timeout', () => {
  it('throws TaskTimeoutError; the task keeps running; its late result never lands in the mailbox', async () => {
    const node = new LocalNode();
    try {
      const { outcome } = await inActor(node, function* (ctx: Context) {
        const t = Task.async(ctx, SlowSum, [10, 600]);
        let err: unknown;
        try {
          yield* Task.await(ctx, t, 20);
        } catch (e) {
          err = e;
        }
        const aliveAfterTimeout = ctx.isAlive(t.pid);
        yield ctx.sleep(1200); // the task finishes and sends its result meanwhile
        return {
          timeout: err instanceof TaskTimeoutError && (err as TaskTimeoutError).code === 'ERR_SB_TASK_TIMEOUT',
          aliveAfterTimeout,
          aliveLater: ctx.isAlive(t.pid),
          queue: ctx.processInfo(ctx.self)!.messageQueueLen,
        };
      });
      expect(outcome).toEqual({ ok: { timeout: true, aliveAfterTimeout: true, aliveLater: false, queue: 0 } });
    } finally {
      await node.stop();
    }
  });
});
