import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { Task } from '../../src/otp/task.ts';
import { TaskExitError, TaskTimeoutError } from '../../src/otp/task-errors.ts';
import { Failing, SlowSum } from './fixtures/task-work.ts';
import { startNode } from '../../src/threads/index.ts';

describe('Task.run from the embedding thread', () => {
  it('resolves with the result on a LocalNode (closures and module behaviours); typed errors for crash and timeout', async () => {
    const node = new LocalNode();
    try {
      expect(await Task.run(node, (a: number, b: number) => a + b, [2, 3])).toBe(5);
      expect(await Task.run(node, function* (ctx: Context, ms: number) {
        yield ctx.sleep(ms);
        return 'slept';
      }, [10])).toBe('slept');
      expect(await Task.run(node, SlowSum, [10, 0])).toBe(55);
      const crash = await Task.run(node, Failing, [0]).catch((e: unknown) => e);
      expect(crash).toBeInstanceOf(TaskExitError);
      expect((crash as TaskExitError).reason).toMatchObject({ kind: 'error', message: 'task failed' });
      const slow = await Task.run(node, SlowSum, [1, 60_000], 30).catch((e: unknown) => e);
      expect(slow).toBeInstanceOf(TaskTimeoutError);
      await node.idle();
      expect(await node.processes()).toEqual([]); // the timed-out task was killed
    } finally {
      await node.stop();
    }
  });

  it('runs a module-defined task on a scheduler thread of a ThreadedNode', async () => {
    const node = await startNode({ schedulers: 2 });
    try {
      expect(await Promise.all([Task.run(node, SlowSum, [100, 5]), Task.run(node, SlowSum, [10, 5])])).toEqual([5050, 55]);
      await expect(Task.run(node, Failing, [0])).rejects.toBeInstanceOf(TaskExitError);
    } finally {
      await node.stop();
    }
  });
});
