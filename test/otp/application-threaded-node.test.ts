import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import { Application, defineApplication } from '../../src/otp/application.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
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

const reports = async () => (await node.call('report', 'get')) as any[];

defineApplication({ name: 'base' });
defineApplication({
  name: 'spread',
  dependencies: ['base'],
  start: () => ({
    strategy: 'one_for_one',
    children: [
      { id: 'w0', start: { behaviour: Worker, args: ['w0'], options: { scheduler: 0 } } },
      { id: 'w1', start: { behaviour: Worker, args: ['w1'], options: { scheduler: 1 } } },
    ],
  }),
});

describe('Application on a ThreadedNode (2 schedulers)', () => {
  it('starts the top supervisor on a worker thread with children on both schedulers, and stops it in reverse', async () => {
    await Application.start(node, 'spread');
    expect(Application.whichApplications(node).map((a) => a.name)).toEqual(['base', 'spread']);
    const top = Application.whichApplications(node)[1]!.top!;
    const kids = await Supervisor.whichChildren(node, top);
    expect(kids.map((k) => [k.id, k.pid!.id % 3])).toEqual([['w0', 0], ['w1', 1]]);
    expect((await reports()).map((m) => m.started)).toEqual(['w0', 'w1']);
    await Application.stop(node, 'spread');
    await waitFor(async () => (await reports()).filter((m) => m.stopped !== undefined).length === 2, 20_000);
    expect((await reports()).filter((m) => m.stopped !== undefined)).toEqual([
      { stopped: 'w1', reason: 'shutdown' },
      { stopped: 'w0', reason: 'shutdown' },
    ]);
    expect(await node.processInfo(top)).toBeUndefined();
    expect(Application.whichApplications(node).map((a) => a.name)).toEqual(['base']);
  });
});
