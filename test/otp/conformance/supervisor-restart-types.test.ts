/**
 * OTP conformance: restart types × exit reasons, one_for_one.
 *
 * Follows lib/stdlib/test/supervisor_SUITE.erl:
 *   permanent_normal / permanent_shutdown / permanent_abnormal   always restarted
 *   transient_normal / transient_shutdown / transient_abnormal   restarted only after an
 *        abnormal exit ('died', 'killed'); after 'normal', 'shutdown' or { shutdown, _ }
 *        (here `{ kind: 'shutdown', reason }`) kept with no process
 *   temporary_normal / temporary_shutdown / temporary_abnormal   never restarted, removed
 *   temporary_bystander   a temporary child shut down by a one_for_all / rest_for_one
 *        restart is not restarted (its spec is dropped), so it cannot push the supervisor
 *        past its intensity
 */
import { expect, it } from 'vitest';
import { Supervisor, Sys } from '../../../src/index.ts';
import type { Pid } from '../../../src/index.ts';
import { Kid } from './fixtures/children.ts';
import { describeOnSchedulers, eventually, started, watchDown, type ConformanceKind } from './support.ts';

type Restart = 'permanent' | 'transient' | 'temporary';

function kid(kind: ConformanceKind, id: string, restart: Restart) {
  return { id, restart, start: { behaviour: Kid, args: [id, kind.node.pid], options: kind.placeOn(1) } };
}

/** How the child ends, and the reason its DOWN carries. */
const reasons: readonly [string, unknown, unknown][] = [
  ['normal', 'normal', 'normal'],
  ['shutdown', 'shutdown', 'shutdown'],
  ['{shutdown, some_info}', { kind: 'shutdown', reason: 'some_info' }, { kind: 'shutdown', reason: 'some_info' }],
  ['abnormal', 'died', 'died'],
  ['kill', 'kill', 'killed'],
];

function restartedAfter(restart: Restart, downReason: unknown): boolean {
  if (restart === 'permanent') return true;
  if (restart === 'temporary') return false;
  return downReason === 'died' || downReason === 'killed';
}

describeOnSchedulers('supervisor restart types', (kind) => {
  for (const restart of ['permanent', 'transient', 'temporary'] as const) {
    it(`${restart}_normal / ${restart}_shutdown / ${restart}_abnormal: each exit reason`, async () => {
      const { node, inbox } = kind;
      const sup = (await Supervisor.start(node, { intensity: 20, period: 3600, children: [] }, { spawn: kind.placeOn(0) }))!;
      for (const [label, how, downReason] of reasons) {
        const at = `${restart}/${label}`;
        const first = ((await Supervisor.startChild(node, sup, kid(kind, 'child1', restart))) as { ok: Pid }).ok;
        await inbox.next(started('child1'));
        const down = await watchDown(kind, first);
        if (how === 'kill') node.exit(first, 'kill');
        else expect(await node.call(first, { exit: how })).toBe('ok');
        expect(await down(), at).toEqual(downReason);
        if (restartedAfter(restart, downReason)) {
          const again = (await inbox.next(started('child1'), `${at}: restarted`)).pid as Pid;
          expect(await Supervisor.whichChildren(node, sup), at).toEqual([{ id: 'child1', pid: again, restarting: false, type: 'worker', restart }]);
          expect(await Supervisor.countChildren(node, sup), at).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
        } else {
          // Wait until the supervisor has handled the EXIT (the old pid is no longer listed):
          // it restarts while it handles the EXIT, so what it shows then is final.
          const which = await eventually(() => Supervisor.whichChildren(node, sup), (w) => w.length === 0 || w[0]!.pid === null, `${at}: EXIT handled`);
          if (restart === 'temporary') {
            expect(which, at).toEqual([]);
            expect(await Supervisor.countChildren(node, sup), at).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
          } else {
            expect(which, at).toEqual([{ id: 'child1', pid: null, restarting: false, type: 'worker', restart }]);
            expect(await Supervisor.countChildren(node, sup), at).toEqual({ specs: 1, active: 0, supervisors: 0, workers: 1 });
          }
        }
        // Next round from a clean slate.
        if (restart === 'temporary') expect(await Supervisor.terminateChild(node, sup, 'child1')).toEqual({ error: 'not_found' });
        else {
          expect(await Supervisor.terminateChild(node, sup, 'child1')).toBe('ok');
          expect(await Supervisor.deleteChild(node, sup, 'child1')).toBe('ok');
        }
        inbox.clear();
      }
      expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
    });
  }

  for (const strategy of ['one_for_all', 'rest_for_one'] as const) {
    it(`temporary_bystander: ${strategy} drops the temporary child it shut down, and keeps running`, async () => {
      const { node, inbox } = kind;
      const sup = (await Supervisor.start(node, { strategy, intensity: 2, period: 300, children: [] }, { spawn: kind.placeOn(0) }))!;
      const c1 = ((await Supervisor.startChild(node, sup, kid(kind, 'child1', 'permanent'))) as { ok: Pid }).ok;
      await Supervisor.startChild(node, sup, kid(kind, 'child2', 'temporary'));
      await inbox.next(started('child1'));
      await inbox.next(started('child2'));
      expect(await node.call(c1, { exit: 'normal' })).toBe('ok');
      const again = (await inbox.next(started('child1'), 'child1 restarted')).pid as Pid;
      expect(await inbox.next((m: any) => m.stopped === 'child2', 'child2 shut down')).toEqual({ stopped: 'child2', reason: 'shutdown' });
      expect((await Supervisor.whichChildren(node, sup)).map((c) => [c.id, c.pid])).toEqual([['child1', again]]);
      expect(inbox.pending().filter(started('child2'))).toEqual([]);
      expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
    });
  }
});
