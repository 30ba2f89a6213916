import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { Sys } from '../../src/otp/sys.ts';
import { Collector } from './fixtures/threaded.ts';
import { Worker } from './fixtures/workers.ts';
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

describe('Supervisor across two schedulers (ThreadedNode)', () => {
  it('a supervisor on scheduler 0 restarts its GenServer child placed on scheduler 1', async () => {
    const sup = (await Supervisor.start(node, {
      intensity: 5,
      children: [{ id: 'far', start: { behaviour: Worker, args: ['far'], options: { scheduler: 1 } } }],
    }, { spawn: { scheduler: 0 } }))!;
    expect(schedulerOf(sup)).toBe(0);
    const [child] = await Supervisor.whichChildren(node, sup);
    expect(schedulerOf(child!.pid!)).toBe(1);
    expect(await node.call(child!.pid!, 'ping')).toBe('pong from far');
    await expect(node.call(child!.pid!, 'crash')).rejects.toMatchObject({ code: 'ERR_SB_CALL_EXIT' });
    await waitFor(async () => (await reports()).filter((m) => m.started === 'far').length === 2, 20_000);
    const [again] = await Supervisor.whichChildren(node, sup);
    expect(again!.pid!.equals(child!.pid)).toBe(false);
    expect(schedulerOf(again!.pid!)).toBe(1);
    expect(await node.call(again!.pid!, 'ping')).toBe('pong from far');
    // Stopping the supervisor shuts the remote child down (its terminate runs on scheduler 1).
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
    await waitFor(async () => (await reports()).some((m) => m.stopped === 'far' && m.reason === 'shutdown'), 20_000);
  });
});
