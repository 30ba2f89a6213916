import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Task, TaskSupervisor } from '../../src/otp/task.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Failing, SlowSum } from './fixtures/task-work.ts';
import { inActor } from './task-helpers.ts';
import { until } from './code-helpers.ts';

describe('TaskSupervisor + Task.asyncNolink', () => {
  it('a crashing unlinked task does not take its caller down: await gives TaskExitError; results still arrive', async () => {
    const node = new LocalNode();
    try {
      const sup = await node.spawn(TaskSupervisor);
      const { outcome } = await inActor(node, function* (ctx: Context) {
        const bad = Task.asyncNolink(ctx, sup, Failing, [5]);
        const good = Task.asyncNolink(ctx, sup, SlowSum, [10, 5]);
        let err: unknown;
        try {
          yield* Task.await(ctx, bad);
        } catch (e) {
          err = e;
        }
        return { err: (err as { code?: string }).code, reason: (err as { reason?: unknown }).reason, good: yield* Task.await(ctx, good), links: ctx.processInfo(ctx.self)!.links.length };
      });
      expect(outcome).toEqual({ ok: { err: 'ERR_SB_TASK_EXIT', reason: expect.objectContaining({ kind: 'error', message: 'task failed' }), good: 55, links: 0 } });
      await until(async () => ((await Task.children(node, sup)) as Pid[]).length === 0, 'the supervisor to forget ended tasks');
    } finally {
      await node.stop();
    }
  });

  it('lists running tasks and shuts them down when it stops', async () => {
    const node = new LocalNode();
    try {
      const sup = (await GenServer.start(node, TaskSupervisor, [] as never))!;
      const started: { pid?: Pid } = {};
      const caller = await node.spawn(function* (ctx: Context) {
        const t = Task.asyncNolink(ctx, sup, SlowSum, [1, 60_000]);
        started.pid = t.pid;
        yield ctx.receive('never');
      });
      await until(() => started.pid !== undefined, 'the task to start');
      await until(async () => ((await Task.children(node, sup)) as Pid[]).length === 1, 'the task to be adopted');
      expect(((await Task.children(node, sup)) as Pid[])[0]).toEqual(started.pid);
      expect(await GenServer.stop(node, sup, 'shutdown')).toBe('ok');
      await until(() => !node.scheduler.isAlive(started.pid!), 'the task to be shut down');
      expect(node.scheduler.isAlive(sup)).toBe(false);
      expect(node.scheduler.isAlive(caller)).toBe(true);
    } finally {
      await node.stop();
    }
  });
});
