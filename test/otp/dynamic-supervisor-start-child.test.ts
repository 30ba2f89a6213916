import { afterEach, describe, expect, it } from 'vitest';
import { CallExitError } from '../../src/core/errors.ts';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { DynamicSupervisor } from '../../src/otp/dynamic-supervisor.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Sys } from '../../src/otp/sys.ts';
import { Counter } from './fixtures/servers.ts';
import { Worker } from './fixtures/workers.ts';
import { recorder, waitFor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

/** Call `pid` with 'crash': the Worker throws, so the call fails with CallExitError. */
async function expectCrash(pid: Pid, id: string): Promise<void> {
  const err = await node.call(pid, 'crash').then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CallExitError);
  expect(err).toMatchObject({ code: 'ERR_SB_CALL_EXIT', reason: { kind: 'error', name: 'Error', message: `${id} crashed` } });
}

describe('DynamicSupervisor', () => {
  it('starts many children from one template with extra args, restarts a crashed one with the same args', async () => {
    node = new LocalNode();
    const { log } = await recorder(node, 'report');
    const sup = (await DynamicSupervisor.start(node, { child: { id: 'w', start: { behaviour: Worker } }, intensity: 5 }))!;
    const pids: Pid[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await DynamicSupervisor.startChild(node, sup, [`w${i}`]);
      pids.push((r as { ok: Pid }).ok);
    }
    expect(await DynamicSupervisor.countChildren(node, sup)).toEqual({ specs: 200, active: 200, supervisors: 0, workers: 200 });
    expect(await node.call(pids[123]!, 'ping')).toBe('pong from w123');
    await expectCrash(pids[7]!, 'w7');
    await waitFor(() => log.filter((m) => m.started === 'w7').length === 2);
    const kids = await DynamicSupervisor.whichChildren(node, sup);
    expect(kids).toHaveLength(200);
    const w7 = kids.find((k) => k.args[0] === 'w7')!;
    expect(w7.pid.equals(pids[7])).toBe(false);
    expect(await node.call(w7.pid, 'ping')).toBe('pong from w7');
  });

  it('terminateChild stops one child; a temporary template is not restarted; maxChildren bounds it; stop shuts all down', async () => {
    node = new LocalNode();
    const { log } = await recorder(node, 'report');
    const sup = (await DynamicSupervisor.start(node, { child: { id: 'w', restart: 'temporary', start: { behaviour: Worker } }, maxChildren: 3 }))!;
    const a = ((await DynamicSupervisor.startChild(node, sup, ['a'])) as { ok: Pid }).ok;
    await DynamicSupervisor.startChild(node, sup, ['b']);
    await DynamicSupervisor.startChild(node, sup, ['c']);
    expect(await DynamicSupervisor.startChild(node, sup, ['d'])).toEqual({ error: 'max_children' });
    expect(await DynamicSupervisor.terminateChild(node, sup, a)).toBe('ok');
    expect(log).toContainEqual({ stopped: 'a', reason: 'shutdown' });
    expect(await DynamicSupervisor.terminateChild(node, sup, a)).toEqual({ error: 'not_found' });
    const [b] = await DynamicSupervisor.whichChildren(node, sup);
    await expectCrash(b!.pid, 'b');
    // The supervisor restarts a child while it handles the child's EXIT and answers no
    // call in between: a count that no longer includes b means that EXIT was handled, and
    // a temporary child was not started again.
    await waitFor(async () => (await DynamicSupervisor.countChildren(node, sup)).active === 1);
    expect(log.filter((m) => m.started === 'b')).toHaveLength(1);
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
    expect(log).toContainEqual({ stopped: 'c', reason: 'shutdown' });
    expect(await node.processInfo(sup)).toBeUndefined();
  });

  it('passes template args first, then the extra args; a GenServer child is typed as usual', async () => {
    node = new LocalNode();
    const sup = (await DynamicSupervisor.start(node, { child: { id: 'c', start: { behaviour: Counter, args: [] } } }))!;
    const r = (await DynamicSupervisor.startChild(node, sup, [41])) as { ok: Pid };
    expect(await GenServer.call(node, r.ok, { add: 1 })).toBe(42);
  });
});
