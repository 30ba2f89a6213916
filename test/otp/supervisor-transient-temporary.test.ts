import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { CallExitError } from '../../src/core/errors.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { Worker } from './fixtures/workers.ts';
import { recorder, waitFor } from './helpers.ts';

// How "never restarted" is proven without sleeping: the supervisor restarts a child while
// it handles that child's EXIT (src/otp/supervisor.ts, childExited → restart), and it
// answers no call in between. So once a call answered by the supervisor shows the child
// with no process (transient) or gone (temporary), the EXIT was handled and no restart
// came of it; nothing else could start the child again.

let node: LocalNode;
afterEach(() => node?.stop());

/** Call `pid` with 'crash': the Worker throws, so the call fails with CallExitError. */
async function expectCrash(pid: Pid, id: string): Promise<void> {
  const err = await node.call(pid, 'crash').then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CallExitError);
  expect(err).toMatchObject({ code: 'ERR_SB_CALL_EXIT', reason: { kind: 'error', name: 'Error', message: `${id} crashed` } });
}

describe('Supervisor restart types', () => {
  it('transient: restarted after a crash, not after a normal or shutdown exit', async () => {
    node = new LocalNode();
    const { log } = await recorder(node, 'report');
    const sup = (await Supervisor.start(node, { intensity: 10, children: [{ id: 't', restart: 'transient', start: { behaviour: Worker, args: ['t'] } }] }))!;
    let [c] = await Supervisor.whichChildren(node, sup);
    await expectCrash(c!.pid!, 't');
    await waitFor(() => log.filter((m) => m.started === 't').length === 2);
    [c] = await Supervisor.whichChildren(node, sup);
    expect(await node.call(c!.pid!, 'stopNormal')).toBe('bye');
    // Handled the normal EXIT (see the top of the file): no process, and no restart.
    await waitFor(async () => (await Supervisor.whichChildren(node, sup))[0]!.pid === null);
    expect(await Supervisor.countChildren(node, sup)).toEqual({ specs: 1, active: 0, supervisors: 0, workers: 1 });
    expect(log.filter((m) => m.started === 't').length).toBe(2);
  });

  it('temporary: never restarted, and removed from the supervisor when it ends', async () => {
    node = new LocalNode();
    const { log } = await recorder(node, 'report');
    const sup = (await Supervisor.start(node, {
      intensity: 10,
      children: [
        { id: 'tmp', restart: 'temporary', start: { behaviour: Worker, args: ['tmp'] } },
        { id: 'perm', start: { behaviour: Worker, args: ['perm'] } },
      ],
    }))!;
    const [tmp] = await Supervisor.whichChildren(node, sup);
    await expectCrash(tmp!.pid!, 'tmp');
    // Handled the crash EXIT (see the top of the file): the spec is gone, nothing restarted.
    await waitFor(async () => (await Supervisor.whichChildren(node, sup)).length === 1);
    expect((await Supervisor.whichChildren(node, sup)).map((c) => c.id)).toEqual(['perm']);
    expect(log.filter((m) => m.started === 'tmp').length).toBe(1);
  });

  it('permanent: restarted even after a normal exit', async () => {
    node = new LocalNode();
    const { log } = await recorder(node, 'report');
    const sup = (await Supervisor.start(node, { intensity: 10, children: [{ id: 'p', start: { behaviour: Worker, args: ['p'] } }] }))!;
    const [c] = await Supervisor.whichChildren(node, sup);
    expect(await node.call(c!.pid!, 'stopNormal')).toBe('bye');
    await waitFor(() => log.filter((m) => m.started === 'p').length === 2);
    const [again] = await Supervisor.whichChildren(node, sup);
    expect(again!.pid).not.toBeNull();
    expect(again!.pid!.equals(c!.pid!)).toBe(false);
  });
});
