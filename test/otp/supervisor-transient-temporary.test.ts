import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { Worker } from './fixtures/workers.ts';
import { recorder, sleep, waitFor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('Supervisor restart types', () => {
  it('transient: restarted after a crash, not after a normal or shutdown exit', async () => {
    node = new LocalNode();
    const { log } = recorder(node, 'report');
    const sup = (await Supervisor.start(node, { intensity: 10, children: [{ id: 't', restart: 'transient', start: { behaviour: Worker, args: ['t'] } }] }))!;
    let [c] = await Supervisor.whichChildren(node, sup);
    await expect(node.call(c!.pid!, 'crash')).rejects.toBeDefined();
    await waitFor(() => log.filter((m) => m.started === 't').length === 2);
    [c] = await Supervisor.whichChildren(node, sup);
    expect(await node.call(c!.pid!, 'stopNormal')).toBe('bye');
    await waitFor(async () => (await Supervisor.whichChildren(node, sup))[0]!.pid === null);
    await sleep(50);
    expect(log.filter((m) => m.started === 't').length).toBe(2);
    expect(await Supervisor.countChildren(node, sup)).toEqual({ specs: 1, active: 0, supervisors: 0, workers: 1 });
  });

  it('temporary: never restarted, and removed from the supervisor when it ends', async () => {
    node = new LocalNode();
    const { log } = recorder(node, 'report');
    const sup = (await Supervisor.start(node, {
      intensity: 10,
      children: [
        { id: 'tmp', restart: 'temporary', start: { behaviour: Worker, args: ['tmp'] } },
        { id: 'perm', start: { behaviour: Worker, args: ['perm'] } },
      ],
    }))!;
    const [tmp] = await Supervisor.whichChildren(node, sup);
    await expect(node.call(tmp!.pid!, 'crash')).rejects.toBeDefined();
    await waitFor(async () => (await Supervisor.whichChildren(node, sup)).length === 1);
    await sleep(50);
    expect(log.filter((m) => m.started === 'tmp').length).toBe(1);
    expect((await Supervisor.whichChildren(node, sup)).map((c) => c.id)).toEqual(['perm']);
  });

  it('permanent: restarted even after a normal exit', async () => {
    node = new LocalNode();
    const { log } = recorder(node, 'report');
    const sup = (await Supervisor.start(node, { intensity: 10, children: [{ id: 'p', start: { behaviour: Worker, args: ['p'] } }] }))!;
    const [c] = await Supervisor.whichChildren(node, sup);
    expect(await node.call(c!.pid!, 'stopNormal')).toBe('bye');
    await waitFor(() => log.filter((m) => m.started === 'p').length === 2);
  });
});
