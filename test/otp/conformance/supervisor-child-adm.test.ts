/**
 * OTP conformance: child administration — what startChild, terminateChild, restartChild,
 * deleteChild, whichChildren and countChildren answer — and a supervision tree.
 *
 * Follows lib/stdlib/test/supervisor_SUITE.erl:
 *   child_adm     { error: { alreadyStarted: pid } } (OTP {already_started, Pid}),
 *                 'already_present', 'running', 'not_found'; terminateChild of a child not
 *                 running is 'ok'; a supervisor that does not exist: NoProcError (OTP exits
 *                 the caller with noproc)
 *   extra_return  (no {ok, Pid, Info} in Switchboard: a start answers { ok: pid }) — the
 *                 same administration sequence after terminate/restart/delete
 *   sup_start_map the full child spec read back (getChildSpec: OTP's get_childspec), with
 *                 the defaults: permanent, 5000 ms for a worker, 'infinity' for a
 *                 supervisor, worker; { error: 'not_found' } for an unknown id
 *   tree          a one_for_all top over two supervisors: a worker restarted in its own
 *                 supervisor only; a child whose restarts keep failing takes its supervisor
 *                 past its intensity, the top restarts the whole tree — without the
 *                 children that had been added with startChild
 */
import { expect, it } from 'vitest';
import { NoProcError, Supervisor, SupervisorFromSpec, Sys } from '../../../src/index.ts';
import type { Pid } from '../../../src/index.ts';
import { Gate, Kid, type KidOpts } from './fixtures/children.ts';
import { describeOnSchedulers, eventually, rejectionOf, started, watchDown, type ConformanceKind } from './support.ts';

function kid(kind: ConformanceKind, id: string, opts: KidOpts = {}) {
  return { id, shutdown: 1000, start: { behaviour: Kid, args: [id, kind.node.pid, opts], options: kind.placeOn(1) } };
}

describeOnSchedulers('supervisor child administration', (kind) => {
  it('child_adm / extra_return: every answer of the administration calls', async () => {
    const { node, inbox } = kind;
    const child = kid(kind, 'child1');
    const sup = (await Supervisor.start(node, { intensity: 2, period: 3600, children: [child] }, { spawn: kind.placeOn(0) }))!;
    const cpid = (await inbox.next(started('child1'))).pid as Pid;
    const counts = (specs: number, active: number) => ({ specs, active, supervisors: 0, workers: specs });
    expect(await Supervisor.whichChildren(node, sup)).toEqual([{ id: 'child1', pid: cpid, restarting: false, type: 'worker', restart: 'permanent' }]);
    expect(await Supervisor.countChildren(node, sup)).toEqual(counts(1, 1));
    expect(await Supervisor.startChild(node, sup, child)).toEqual({ error: { alreadyStarted: cpid } });

    // Termination
    expect(await Supervisor.terminateChild(node, sup, 'hej')).toEqual({ error: 'not_found' });
    expect(await rejectionOf(Supervisor.terminateChild(node, kind.name('foo'), 'child1'))).toBeInstanceOf(NoProcError);
    const down = await watchDown(kind, cpid);
    expect(await Supervisor.terminateChild(node, sup, 'child1')).toBe('ok');
    expect(await down()).toBe('shutdown');
    expect(await Supervisor.whichChildren(node, sup)).toEqual([{ id: 'child1', pid: null, restarting: false, type: 'worker', restart: 'permanent' }]);
    expect(await Supervisor.countChildren(node, sup)).toEqual(counts(1, 0));
    expect(await Supervisor.terminateChild(node, sup, 'child1')).toBe('ok');
    expect(await Supervisor.startChild(node, sup, child)).toEqual({ error: 'already_present' });

    // Restart
    const r2 = (await Supervisor.restartChild(node, sup, 'child1')) as { ok: Pid };
    expect((await inbox.next(started('child1'))).pid).toEqual(r2.ok);
    expect((await Supervisor.whichChildren(node, sup)).map((c) => c.pid)).toEqual([r2.ok]);
    expect(await Supervisor.countChildren(node, sup)).toEqual(counts(1, 1));
    expect(await Supervisor.restartChild(node, sup, 'child1')).toEqual({ error: 'running' });
    expect(await Supervisor.restartChild(node, sup, 'child2')).toEqual({ error: 'not_found' });

    // Deletion
    expect(await Supervisor.deleteChild(node, sup, 'child1')).toEqual({ error: 'running' });
    expect(await Supervisor.deleteChild(node, sup, 'hej')).toEqual({ error: 'not_found' });
    expect(await rejectionOf(Supervisor.deleteChild(node, kind.name('foo'), 'child1'))).toBeInstanceOf(NoProcError);
    expect(await Supervisor.terminateChild(node, sup, 'child1')).toBe('ok');
    expect(await Supervisor.deleteChild(node, sup, 'child1')).toBe('ok');
    expect(await Supervisor.restartChild(node, sup, 'child1')).toEqual({ error: 'not_found' });
    expect(await Supervisor.whichChildren(node, sup)).toEqual([]);
    expect(await Supervisor.countChildren(node, sup)).toEqual(counts(0, 0));

    // Start
    expect(await rejectionOf(Supervisor.startChild(node, kind.name('foo'), child))).toBeInstanceOf(NoProcError);
    const r3 = (await Supervisor.startChild(node, sup, child)) as { ok: Pid };
    expect((await inbox.next(started('child1'))).pid).toEqual(r3.ok);
    expect(await Supervisor.countChildren(node, sup)).toEqual(counts(1, 1));
    expect(await rejectionOf(Supervisor.whichChildren(node, kind.name('foo')))).toBeInstanceOf(NoProcError);
    expect(await rejectionOf(Supervisor.countChildren(node, kind.name('foo')))).toBeInstanceOf(NoProcError);
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
  });

  it('sup_start_map: getChildSpec reads each full spec back, defaults filled in', async () => {
    const { node } = kind;
    const k = (id: string, extra: Record<string, unknown> = {}) => ({ id, start: { behaviour: Kid, args: [id, node.pid] }, ...extra });
    const sup = (await Supervisor.start(node, { children: [k('child1'), k('child2', { shutdown: 'brutal_kill' }), { id: 'child3', type: 'supervisor' as const, start: { behaviour: SupervisorFromSpec, args: [{ children: [] }] } }] }, { spawn: kind.placeOn(0) }))!;
    const kidRef = { module: Kid.module, export: 'Kid' };
    const base = { name: undefined, restart: 'permanent', type: 'worker' };
    expect(await Supervisor.getChildSpec(node, sup, 'child1')).toEqual({ ok: { ...base, id: 'child1', shutdown: 5000, start: { behaviour: kidRef, args: ['child1', node.pid], options: undefined } } });
    expect(await Supervisor.getChildSpec(node, sup, 'child2')).toEqual({ ok: { ...base, id: 'child2', shutdown: 'brutal_kill', start: { behaviour: kidRef, args: ['child2', node.pid], options: undefined } } });
    expect(await Supervisor.getChildSpec(node, sup, 'child3')).toMatchObject({ ok: { id: 'child3', restart: 'permanent', shutdown: 'infinity', type: 'supervisor', start: { behaviour: { module: SupervisorFromSpec.module, export: 'SupervisorFromSpec' } } } });
    expect(await Supervisor.getChildSpec(node, sup, 'child4')).toEqual({ error: 'not_found' });
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
  });

  it('tree: a worker restarts in its own supervisor; an escalation restarts the tree without the added children', async () => {
    const { node, inbox } = kind;
    const gate = kind.name('tree_gate');
    const sub = (id: string, children: unknown[]) => ({ id, type: 'supervisor' as const, start: { behaviour: SupervisorFromSpec, args: [{ intensity: 4, period: 3600, children }], options: kind.placeOn(1) } });
    const top = (await Supervisor.start(node, { strategy: 'one_for_all', intensity: 4, period: 3600, children: [] }, { spawn: kind.placeOn(0) }))!;
    const sup1 = ((await Supervisor.startChild(node, top, sub('supchild1', [kid(kind, 'child1'), kid(kind, 'child2')]))) as { ok: Pid }).ok;
    const sup2 = ((await Supervisor.startChild(node, top, sub('supchild2', []))) as { ok: Pid }).ok;
    expect(await Supervisor.countChildren(node, top)).toEqual({ specs: 2, active: 2, supervisors: 2, workers: 0 });
    const c1 = (await inbox.next(started('child1'))).pid as Pid;
    const c2 = (await inbox.next(started('child2'))).pid as Pid;
    expect(await Supervisor.countChildren(node, sup2)).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
    const c3 = ((await Supervisor.startChild(node, sup2, kid(kind, 'child3', { failIf: gate }))) as { ok: Pid }).ok;
    const c4 = ((await Supervisor.startChild(node, sup2, kid(kind, 'child4'))) as { ok: Pid }).ok;
    await inbox.next(started('child4'));
    expect(await Supervisor.countChildren(node, sup2)).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });

    // Only the process that died is restarted.
    expect(await node.call(c4, { exit: 'died' })).toBe('ok');
    const c4b = (await inbox.next(started('child4'))).pid as Pid;
    expect((await Supervisor.whichChildren(node, sup1)).map((c) => c.pid)).toEqual([c1, c2]);
    expect((await Supervisor.whichChildren(node, sup2)).map((c) => c.pid)).toEqual([c3, c4b]);

    // child3 cannot restart: sup2 goes past its intensity, the top restarts both supervisors.
    const sup2Down = await watchDown(kind, sup2);
    const holder = await node.spawn(Gate, [], { name: gate });
    await eventually(() => node.whereis(gate), (p) => p !== undefined, 'the gate registered');
    expect(await node.call(c3, { exit: 'died' })).toBe('ok');
    expect(await sup2Down()).toEqual({ kind: 'shutdown', reason: 'reached_max_restart_intensity' });
    const [n1, n2] = (await eventually(() => Supervisor.whichChildren(node, top), (w) => w.every((c) => c.pid !== null && !c.pid.equals(sup1) && !c.pid.equals(sup2)), 'the tree restarted')).map((c) => c.pid!);
    expect((await Supervisor.whichChildren(node, top)).map((c) => c.id)).toEqual(['supchild1', 'supchild2']);
    expect(await Supervisor.countChildren(node, top)).toEqual({ specs: 2, active: 2, supervisors: 2, workers: 0 });
    expect((await Supervisor.whichChildren(node, n1!)).map((c) => c.id)).toEqual(['child1', 'child2']);
    expect(await Supervisor.countChildren(node, n1!)).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
    expect(await Supervisor.whichChildren(node, n2!)).toEqual([]);
    node.exit(holder, 'kill');
    expect(await Sys.terminate(node, top, 'shutdown')).toBe('ok');
  });
});
