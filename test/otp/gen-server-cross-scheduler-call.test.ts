import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Sys } from '../../src/otp/sys.ts';
import { Counter } from './fixtures/servers.ts';
import { Caller, Collector } from './fixtures/threaded.ts';
import { waitFor } from './helpers.ts';
import { startNode } from '../../src/dist/start-node.ts';

let node: Node;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
  await GenServer.start(node, Collector, [], { name: 'report', spawn: { scheduler: 0 } });
});
afterAll(() => node.stop());

/** The scheduler a pid lives on (pid ids are slot * endpoints + scheduler index; endpoints = 3 here). */
const schedulerOf = (pid: Pid): number => pid.id % 3;
const reports = async () => (await node.call('report', 'get')) as any[];

describe('GenServer across two schedulers (ThreadedNode)', () => {
  it('a GenServer on scheduler 1 answers the embedding thread and an actor on scheduler 0', async () => {
    const c = (await GenServer.start(node, Counter, [0], { spawn: { scheduler: 1 } }))!;
    expect(schedulerOf(c)).toBe(1);
    expect(await GenServer.call(node, c, { add: 5 })).toBe(5);
    const caller = await node.spawn(Caller, [c, 100], { scheduler: 0 });
    expect(schedulerOf(caller)).toBe(0);
    await waitFor(async () => (await reports()).some((m) => m.callerDone === true), 20_000);
    const done = (await reports()).find((m) => m.callerDone === true);
    expect(done.last).toBe(105);
    expect(await Sys.getState(node, c)).toEqual({ n: 105, report: null });
  });
});
