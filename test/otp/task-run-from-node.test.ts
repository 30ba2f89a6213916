import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { Task } from '../../src/otp/task.ts';
import { TaskExitError, TaskTimeoutError } from '../../src/otp/task-errors.ts';
import { Failing, SlowSum } from './fixtures/task-work.ts';
import { startNode } from '../../src/dist/start-node.ts';

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
      expect(crash).toMatchObject({ code: 'ERR_SB_TASK_EXIT', reason: { kind: 'error', message: 'task failed' } });
      const slow = await Task.run(node, SlowSum, [1, 60_000], 30).catch((e: unknown) => e);
      expect(slow).toBeInstanceOf(TaskTimeoutError);
      expect(slow).toMatchObject({ code: 'ERR_SB_TASK_TIMEOUT', timeoutMs: 30, message: 'the task gave no result within 30 ms' });
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
      // A task that fails at once still reports its own reason, not 'noproc' (it runs only
      // once the call that waits for it monitors it). Three runs on two schedulers: at
      // least one runs where Failing's module is already imported, so it fails in its
      // first slice.
      for (let i = 0; i < 3; i++) {
        const crash = await Task.run(node, Failing, [0]).catch((e: unknown) => e);
        expect(crash).toBeInstanceOf(TaskExitError);
        expect(crash).toMatchObject({ code: 'ERR_SB_TASK_EXIT', reason: { kind: 'error', message: 'task failed' } });
      }
    } finally {
      await node.stop();
    }
  });
});
