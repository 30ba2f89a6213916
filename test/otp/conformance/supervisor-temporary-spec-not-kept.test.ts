/**
 * OTP conformance: what a supervisor keeps of a child that is not running — an ignored
 * start, an exit, by restart type, for every strategy (issue 17, point 2).
 *
 * Follows lib/stdlib/test/supervisor_SUITE.erl:
 *   sup_start_ignore_child                        ignored permanent child: kept, no pid,
 *                                                 counted as a spec, not active
 *   sup_start_ignore_temporary_child              ignored temporary child in init's list:
 *                                                 not kept
 *   sup_start_ignore_temporary_child_start_child  the same through startChild ({ ok: null })
 *   do_not_save_child_specs_for_temporary_children
 *       one_for_one / one_for_all / rest_for_one × kill / normal / abnormal / terminateChild:
 *       permanent → restarted (startChild gets alreadyStarted), or kept (already_present,
 *       restartChild works) after terminateChild; transient → restarted after kill or an
 *       abnormal exit, kept after normal and terminateChild; temporary → never kept
 *       (startChild with the same spec starts it again)
 */
import { expect, it } from 'vitest';
import { Supervisor, Sys } from '../../../src/index.ts';
import type { Pid } from '../../../src/index.ts';
import { Kid } from './fixtures/children.ts';
import { describeOnSchedulers, started, watchDown, type ConformanceKind } from './support.ts';

type Restart = 'permanent' | 'transient' | 'temporary';

function kid(kind: ConformanceKind, id: string, restart: Restart, opts?: { ignore?: boolean }) {
  return { id, restart, start: { behaviour: Kid, args: opts === undefined ? [id, kind.node.pid] : [id, kind.node.pid, opts], options: kind.placeOn(1) } };
}

type How = 'kill' | 'normal' | 'abnormal' | 'terminateChild';

/** End child `id` (running as `pid`) the OTP test's way, and wait until it is gone. */
async function end(kind: ConformanceKind, sup: Pid, id: string, pid: Pid, how: How): Promise<void> {
  if (how === 'terminateChild') {
    expect(await Supervisor.terminateChild(kind.node, sup, id)).toBe('ok');
    return;
  }
  const down = await watchDown(kind, pid);
  if (how === 'kill') kind.node.exit(pid, 'kill');
  else expect(await kind.node.call(pid, { exit: how === 'normal' ? 'normal' : 'died' })).toBe('ok');
  expect(await down()).toBe(how === 'kill' ? 'killed' : how === 'normal' ? 'normal' : 'died');
}

describeOnSchedulers('supervisor: specs kept for children not running', (kind) => {
  it('sup_start_ignore_child: an ignored permanent child is kept with no process', async () => {
    const { node, inbox } = kind;
    const sup = (await Supervisor.start(node, { children: [] }, { spawn: kind.placeOn(0) }))!;
    expect(await Supervisor.startChild(node, sup, kid(kind, 'child1', 'permanent', { ignore: true }))).toEqual({ ok: null });
    const r = (await Supervisor.startChild(node, sup, kid(kind, 'child2', 'permanent'))) as { ok: Pid };
    await inbox.next(started('child2'));
    // Listed in start order (OTP lists the newest first).
    expect((await Supervisor.whichChildren(node, sup)).map((c) => [c.id, c.pid])).toEqual([['child1', null], ['child2', r.ok]]);
    expect(await Supervisor.countChildren(node, sup)).toEqual({ specs: 2, active: 1, supervisors: 0, workers: 2 });
    expect(await Supervisor.startChild(node, sup, kid(kind, 'child1', 'permanent', { ignore: true }))).toEqual({ error: 'already_present' });
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
  });

  it('sup_start_ignore_temporary_child: an ignored temporary child of the initial list is not kept', async () => {
    const { node, inbox } = kind;
    const sup = (await Supervisor.start(node, { children: [kid(kind, 'child1', 'temporary', { ignore: true }), kid(kind, 'child2', 'temporary')] }, { spawn: kind.placeOn(0) }))!;
    const c2 = (await inbox.next(started('child2'))).pid as Pid;
    expect((await Supervisor.whichChildren(node, sup)).map((c) => [c.id, c.pid])).toEqual([['child2', c2]]);
    expect(await Supervisor.countChildren(node, sup)).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
  });

  it('sup_start_ignore_temporary_child_start_child: startChild of an ignored temporary child answers { ok: null } and keeps nothing', async () => {
    const { node, inbox } = kind;
    const sup = (await Supervisor.start(node, { children: [] }, { spawn: kind.placeOn(0) }))!;
    expect(await Supervisor.startChild(node, sup, kid(kind, 'child1', 'temporary', { ignore: true }))).toEqual({ ok: null });
    const r = (await Supervisor.startChild(node, sup, kid(kind, 'child2', 'temporary'))) as { ok: Pid };
    await inbox.next(started('child2'));
    expect((await Supervisor.whichChildren(node, sup)).map((c) => [c.id, c.pid])).toEqual([['child2', r.ok]]);
    expect(await Supervisor.countChildren(node, sup)).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
    // Not already_present: the id is free again.
    expect(await Supervisor.startChild(node, sup, kid(kind, 'child1', 'temporary', { ignore: true }))).toEqual({ ok: null });
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
  });

  /** What OTP's permanent_child_spec_saved / transient_... / temporary_child_spec_not_saved expect. */
  function expected(restart: Restart, how: How): 'restarted' | 'already_present' | 'not_kept' {
    if (restart === 'temporary') return 'not_kept';
    if (how === 'terminateChild') return 'already_present';
    if (restart === 'transient' && how === 'normal') return 'already_present';
    return 'restarted';
  }

  for (const strategy of ['one_for_one', 'one_for_all', 'rest_for_one'] as const) {
    it(`do_not_save_child_specs_for_temporary_children: ${strategy} × permanent / transient / temporary × kill / normal / abnormal / terminateChild`, async () => {
      const { node, inbox } = kind;
      for (const restart of ['permanent', 'transient', 'temporary'] as const) {
        for (const how of ['kill', 'normal', 'abnormal', 'terminateChild'] as const) {
          const at = `${strategy}/${restart}/${how}`;
          const sup = (await Supervisor.start(node, { strategy, intensity: 10, period: 3600, children: [] }, { spawn: kind.placeOn(0) }))!;
          const spec = kid(kind, 'child', restart);
          const first = ((await Supervisor.startChild(node, sup, spec)) as { ok: Pid }).ok;
          await inbox.next(started('child'));
          await end(kind, sup, 'child', first, how);
          const want = expected(restart, how);
          if (want === 'restarted') {
            const again = (await inbox.next(started('child'), `${at}: restarted`)).pid as Pid;
            expect(again, at).not.toEqual(first);
            expect(await Supervisor.startChild(node, sup, spec), at).toEqual({ error: { alreadyStarted: again } });
          } else if (want === 'already_present') {
            // The EXIT was handled before this call (a supervisor serves its mailbox in order).
            expect(await Supervisor.startChild(node, sup, spec), at).toEqual({ error: 'already_present' });
            const r = (await Supervisor.restartChild(node, sup, 'child')) as { ok: Pid };
            expect((await inbox.next(started('child'), `${at}: restartChild`)).pid, at).toEqual(r.ok);
          } else {
            expect(await Supervisor.whichChildren(node, sup), at).toEqual([]);
            const r = (await Supervisor.startChild(node, sup, spec)) as { ok: Pid };
            expect((await inbox.next(started('child'), `${at}: started again`)).pid, at).toEqual(r.ok);
          }
          expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
          inbox.clear();
        }
      }
    });
  }
});
