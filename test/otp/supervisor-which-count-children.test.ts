import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { InnerSup, Worker } from './fixtures/workers.ts';
import { inActor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('Supervisor whichChildren / countChildren', () => {
  it('lists children in start order with pid, type and restart, and counts them', async () => {
    node = new LocalNode();
    const sup = (await Supervisor.start(node, {
      children: [
        { id: 'w1', start: { behaviour: Worker, args: ['w1'] } },
        { id: 'sub', type: 'supervisor', start: { behaviour: InnerSup, args: [{ children: [] }] } },
        { id: 'w2', restart: 'transient', start: { behaviour: Worker, args: ['w2'] } },
      ],
    }))!;
    const kids = await Supervisor.whichChildren(node, sup);
    expect(kids.map((k) => [k.id, k.type, k.restart])).toEqual([
      ['w1', 'worker', 'permanent'],
      ['sub', 'supervisor', 'permanent'],
      ['w2', 'worker', 'transient'],
    ]);
    for (const k of kids) expect(await node.processInfo(k.pid!)).toBeDefined();
    expect(await Supervisor.countChildren(node, sup)).toEqual({ specs: 3, active: 3, supervisors: 1, workers: 2 });
    // The same from an actor, with yield*.
    const fromActor = await inActor(node, function* (ctx: Context) {
      const c = yield* Supervisor.countChildren(ctx, sup);
      const w = yield* Supervisor.whichChildren(ctx, sup);
      return { c, ids: w.map((x) => x.id) };
    });
    expect(fromActor).toEqual({ c: { specs: 3, active: 3, supervisors: 1, workers: 2 }, ids: ['w1', 'sub', 'w2'] });
  });
});
