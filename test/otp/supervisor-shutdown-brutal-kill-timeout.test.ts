import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { Stubborn, Worker } from './fixtures/workers.ts';
import { inActor, recorder } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

/** Terminate child `id` from an actor that monitors it; returns the child's exit reason and the ms it took. */
function terminateWatched(sup: any, id: string) {
  return inActor(node, function* (ctx: Context) {
    const [c] = (yield* Supervisor.whichChildren(ctx, sup)).filter((x) => x.id === id);
    const ref = ctx.monitor(c!.pid!);
    const t0 = Date.now();
    const r = yield* Supervisor.terminateChild(ctx, sup, id);
    const down = (yield ctx.receive({ type: 'DOWN', ref })) as { reason: unknown };
    return { r, reason: down.reason, ms: Date.now() - t0 };
  });
}

describe('Supervisor shutdown protocol', () => {
  it("brutal_kill: the child is killed at once, its terminate does not run", async () => {
    node = new LocalNode();
    const { log } = await recorder(node, 'report');
    const sup = (await Supervisor.start(node, { children: [{ id: 'w', shutdown: 'brutal_kill', start: { behaviour: Worker, args: ['w'] } }] }))!;
    const out = await terminateWatched(sup, 'w');
    expect(out.r).toBe('ok');
    expect(out.reason).toBe('killed');
    expect(log.some((m) => m.stopped === 'w')).toBe(false);
  });

  it("a timeout: a child trapping exits gets 'shutdown' and runs terminate", async () => {
    node = new LocalNode();
    const { log } = await recorder(node, 'report');
    const sup = (await Supervisor.start(node, { children: [{ id: 'w', shutdown: 2000, start: { behaviour: Worker, args: ['w'] } }] }))!;
    const out = await terminateWatched(sup, 'w');
    expect(out.reason).toBe('shutdown');
    expect(log.find((m) => m.stopped === 'w')).toEqual({ stopped: 'w', reason: 'shutdown' });
  });

  it('a timeout: a child that ignores shutdown is killed once the timeout expires', async () => {
    node = new LocalNode();
    await recorder(node, 'report');
    const sup = (await Supervisor.start(node, { children: [{ id: 's', shutdown: 100, start: { behaviour: Stubborn, args: ['s'] } }] }))!;
    const out = await terminateWatched(sup, 's');
    expect(out.reason).toBe('killed');
    expect(out.ms).toBeGreaterThanOrEqual(90);
    expect(await Supervisor.countChildren(node, sup)).toMatchObject({ specs: 1, active: 0 });
  });
});
