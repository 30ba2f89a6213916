import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { CallExitError } from '../../src/core/errors.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { InnerSup, Worker } from './fixtures/workers.ts';
import { inActor, recorder, waitFor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('Supervisor restart intensity and escalation', () => {
  it('a child crashing past the intensity makes the inner supervisor exit, and the outer one restarts it', async () => {
    node = new LocalNode();
    const { log } = await recorder(node, 'report');
    const inner = { strategy: 'one_for_one' as const, intensity: 2, period: 5, children: [{ id: 'w', start: { behaviour: Worker, args: ['w'] } }] };
    const outer = (await Supervisor.start(node, {
      intensity: 3,
      period: 5,
      children: [{ id: 'inner', type: 'supervisor' as const, start: { behaviour: InnerSup, args: [inner] } }],
    }))!;
    const [innerInfo] = await Supervisor.whichChildren(node, outer);
    const innerPid = innerInfo!.pid!;
    // Watch the inner supervisor die, from an actor.
    const innerDown = inActor(node, function* (ctx: Context) {
      const ref = ctx.monitor(innerPid);
      return ((yield ctx.receive({ type: 'DOWN', ref })) as { reason: unknown }).reason;
    });
    // Crash the worker 3 times: 2 restarts are allowed, the 3rd exceeds the intensity.
    for (let i = 0; i < 3; i++) {
      const [w] = await Supervisor.whichChildren(node, innerPid);
      const err = await node.call(w!.pid!, 'crash').then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(CallExitError);
      expect(err).toMatchObject({ code: 'ERR_SB_CALL_EXIT', reason: { kind: 'error', name: 'Error', message: 'w crashed' } });
      if (i < 2) await waitFor(() => log.filter((m) => m.started === 'w').length === i + 2);
    }
    expect(await innerDown).toEqual({ kind: 'shutdown', reason: 'reached_max_restart_intensity' });
    // The outer supervisor started a new inner supervisor, which started a fresh worker.
    await waitFor(async () => {
      const [c] = await Supervisor.whichChildren(node, outer);
      return c!.pid !== null && !c!.pid.equals(innerPid);
    });
    const [again] = await Supervisor.whichChildren(node, outer);
    const [w] = await Supervisor.whichChildren(node, again!.pid!);
    expect(await node.call(w!.pid!, 'ping')).toBe('pong from w');
    expect(log.filter((m) => m.started === 'w').length).toBe(4);
  });

  it('intensity 0: the first crash takes the supervisor down', async () => {
    node = new LocalNode();
    await recorder(node, 'report');
    const result = await inActor(node, function* (ctx: Context) {
      ctx.trapExit(true);
      const sup = (yield* Supervisor.startLink(ctx, { intensity: 0, children: [{ id: 'w', start: { behaviour: Worker, args: ['w'] } }] }))!;
      const [w] = yield* Supervisor.whichChildren(ctx, sup);
      ctx.exit(w!.pid!, 'kill');
      const exit = (yield ctx.receive({ type: 'EXIT', from: sup })) as { reason: unknown };
      return exit.reason;
    });
    expect(result).toEqual({ kind: 'shutdown', reason: 'reached_max_restart_intensity' });
  });
});
