import { describe, expect, it } from 'vitest';
import { Task, TaskExitError } from '../../../src/index.ts';
import { rejectionOf } from '../node-kinds.ts';
import type { NodeKind } from '../node-kinds.ts';
import { Adder } from '../fixtures/otp.ts';

const otp = new URL('../fixtures/otp.ts', import.meta.url).href;

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe('Task: async/await from an actor, run from the embedding thread', () => {
    it('an actor awaits two tasks and gets TaskExitError for a failing one', async () => {
      const { node, inbox } = kind;
      await node.spawn(Adder, [node.pid], kind.placeOn(1));
      expect(await inbox.next((m: any) => m.tasks !== undefined, 'the task results')).toEqual({ tasks: [3, 30] });
      expect(await inbox.next((m: any) => m.taskExit !== undefined, 'the failed task')).toMatchObject({
        taskExit: { code: 'ERR_SB_TASK_EXIT', reason: { kind: 'error', message: 'task failed' } },
      });
    });

    it('Task.run resolves with the result, or rejects with TaskExitError carrying the reason', async () => {
      const { node } = kind;
      expect(await Task.run(node, { module: otp, export: 'addLater' }, [2, 3, 5])).toBe(5);
      const err = await rejectionOf(Task.run(node, { module: otp, export: 'failLater' }, [20]));
      expect(err).toBeInstanceOf(TaskExitError);
      expect(err).toMatchObject({ code: 'ERR_SB_TASK_EXIT', reason: { kind: 'error', message: 'task failed' } });
    });

    it('Task.run of a task that fails at once still carries its reason (not noproc)', async () => {
      const { node } = kind;
      const err = await rejectionOf(Task.run(node, { module: otp, export: 'failLater' }, [0]));
      expect(err).toBeInstanceOf(TaskExitError);
      expect(err).toMatchObject({ code: 'ERR_SB_TASK_EXIT', reason: { kind: 'error', message: 'task failed' } });
    });
  });
}
