import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { Task } from '../../src/otp/task.ts';
import { TaskExitError } from '../../src/otp/task-errors.ts';
import { inActor } from './task-helpers.ts';
import { startNode } from '../../src/dist/start-node.ts';

const work = new URL('./fixtures/task-work.ts', import.meta.url).href;

describe('Task targets named by { module, export } (Erlang M, F, A)', () => {
  it('runs an exported function, generator function or behaviour, imported by the task', async () => {
    const node = new LocalNode();
    try {
      const { outcome } = await inActor(node, function* (ctx: Context) {
        const a = Task.async(ctx, { module: work, export: 'multiply' }, [6, 7]);
        const b = Task.async(ctx, { module: work, export: 'countdown' }, [3]);
        const c = Task.async(ctx, { module: work, export: 'SlowSum' }, [4, 0]);
        return [yield* Task.await(ctx, a), yield* Task.await(ctx, b), yield* Task.await(ctx, c)];
      });
      expect(outcome).toEqual({ ok: [42, [3, 2, 1], 10] });
    } finally {
      await node.stop();
    }
  });

  it('runs on a scheduler thread from the embedding thread; an unknown export ends the task with {kind:"undef"}', async () => {
    const node = await startNode({ schedulers: 2 });
    try {
      expect(await Task.run(node, { module: work, export: 'multiply' }, [3, 5])).toBe(15);
      expect(await Task.run(node, { module: work, export: 'countdown' }, [2])).toEqual([2, 1]);
      const err = await Task.run(node, { module: work, export: 'nope' }, []).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TaskExitError);
      expect((err as TaskExitError).reason).toMatchObject({ kind: 'undef', module: work, export: 'nope' });
    } finally {
      await node.stop();
    }
  });
});
