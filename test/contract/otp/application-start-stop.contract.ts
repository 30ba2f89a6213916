import { describe, expect, it } from 'vitest';
import { Application, defineApplication, getEnv, NotStartedError, Supervisor } from '../../../src/index.ts';
import type { Pid } from '../../../src/index.ts';
import { eventually, rejectionOf } from '../node-kinds.ts';
import type { NodeKind } from '../node-kinds.ts';
import { Worker } from '../fixtures/otp.ts';

// One definition serves every node kind: the report pid and placement come from the
// start arguments of each node's run (env), read by `start`.
defineApplication({ name: 'contract_base' });
defineApplication({
  name: 'contract_app',
  dependencies: ['contract_base'],
  env: { report: null, spread: 1 },
  start: () => {
    const report = getEnv('contract_app', 'report') as Pid;
    const spread = getEnv('contract_app', 'spread') as number;
    return {
      strategy: 'one_for_one',
      children: [
        { id: 'first', start: { behaviour: Worker, args: ['first', report, { self: 'contract_app_first', peer: 'contract_app_second' }], options: { scheduler: 0 } } },
        { id: 'second', start: { behaviour: Worker, args: ['second', report, { self: 'contract_app_second', peer: 'contract_app_first' }], options: { scheduler: 1 % spread } } },
      ],
    };
  },
});

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe('Application: started as a whole with its dependencies, stopped in reverse', () => {
    it('starts the top supervisor and its children; stop shuts them down last first and forgets the app', async () => {
      const { node, inbox } = kind;
      await Application.start(node, 'contract_app', { env: { report: node.pid, spread: Math.max(1, kind.schedulers) } });
      expect(Application.whichApplications(node).map((a) => a.name)).toEqual(['contract_base', 'contract_app']);
      const first = (await inbox.next((m: any) => m.started === 'first', 'first started')).pid;
      const second = (await inbox.next((m: any) => m.started === 'second', 'second started')).pid;
      const top = Application.whichApplications(node)[1]!.top!;
      expect((await Supervisor.whichChildren(node, top)).map((c) => [c.id, c.pid])).toEqual([['first', first], ['second', second]]);
      expect(await node.call(second, 'ping')).toBe('pong from second');

      await Application.stop(node, 'contract_app');
      // Last started, first stopped: second went while first was up, first after second
      // was gone (the reports come from two processes: their arrival order proves nothing).
      expect(await inbox.next((m: any) => m.stopped === 'second', 'second stopped')).toEqual({ stopped: 'second', reason: 'shutdown', peerAlive: true });
      expect(await inbox.next((m: any) => m.stopped === 'first', 'first stopped')).toEqual({ stopped: 'first', reason: 'shutdown', peerAlive: false });
      await eventually(() => node.processInfo(top), (i) => i === undefined, 'the top supervisor gone');
      expect(Application.whichApplications(node).map((a) => a.name)).toEqual(['contract_base']);
      const again = await rejectionOf(Application.stop(node, 'contract_app'));
      expect(again).toBeInstanceOf(NotStartedError);
      expect(again).toMatchObject({ code: 'ERR_SB_NOT_STARTED', message: 'application "contract_app" is not started on this node' });
      await Application.stop(node, 'contract_base');
    });
  });
}
