import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { Task } from '../../src/otp/task.ts';
import { Failing } from './fixtures/task-work.ts';
import { inActor } from './task-helpers.ts';
import { until } from './code-helpers.ts';

describe('a task that crashes', () => {
  it('takes its caller down through the link (as in Elixir) when the caller does not trap exits', async () => {
    const node = new LocalNode();
    try {
      const exits = new Map<string, unknown>();
      node.scheduler.onExit = (pid, reason) => exits.set(String(pid), reason);
      const { outcome, pid } = await inActor(node, function* (ctx: Context) {
        const t = Task.async(ctx, Failing, [5]);
        return yield* Task.await(ctx, t);
      });
      await until(() => exits.has(String(pid)), 'the caller to exit');
      expect(outcome.ok).toBeUndefined();
      expect(exits.get(String(pid))).toMatchObject({ kind: 'error', message: 'task failed' });
    } finally {
      await node.stop();
    }
  });

  it('gives a trapping caller TaskExitError carrying the reason', async () => {
    const node = new LocalNode();
    try {
      const { outcome } = await inActor(node, function* (ctx: Context) {
        const t = Task.async(ctx, Failing, [5]);
        return yield* Task.await(ctx, t);
      }, { trapExit: true });
      expect(outcome.error).toMatchObject({ name: 'TaskExitError', code: 'ERR_SB_TASK_EXIT', reason: { kind: 'error', message: 'task failed' } });
    } finally {
      await node.stop();
    }
  });
});
