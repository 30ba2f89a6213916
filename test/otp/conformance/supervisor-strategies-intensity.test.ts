/**
 * OTP conformance: restart strategies, restart intensity and escalation, retried restarts.
 *
 * Follows lib/stdlib/test/supervisor_SUITE.erl:
 *   one_for_one / one_for_all / rest_for_one   who is restarted (and shut down first), and
 *        the restart frequency: intensity 2 → the third restart takes the supervisor down
 *        with { shutdown, reached_max_restart_intensity } (here `{ kind: 'shutdown', reason:
 *        'reached_max_restart_intensity' }`), its children shut down first
 *   one_for_all_escalation / rest_for_one_escalation   a restart that keeps failing
 *        escalates: the supervisor exits past its intensity, the others shut down
 *   one_for_all_other_child_fails_restart   child2 fails to restart once: child1, already
 *        restarted, is shut down again and both are started anew
 *   rest_for_one_other_child_fails_restart  the same under rest_for_one: the retry starts
 *        from child2; child1 is not restarted again
 *   hanging_restart_loop   while a failed restart waits for its retry the supervisor
 *        answers calls: whichChildren shows it restarting, restartChild / deleteChild answer
 *        'restarting', startChild 'already_present', terminateChild ends the loop
 *   multiple_restarts   restarts spread wider than the period never reach the intensity
 */
import { expect, it } from 'vitest';
import { Supervisor, Sys } from '../../../src/index.ts';
import type { Pid } from '../../../src/index.ts';
import { Gate, Kid, SlowFailer, type KidOpts } from './fixtures/children.ts';
import { describeOnSchedulers, eventually, started, watchDown, type ConformanceKind } from './support.ts';

/** A { stopped } report of `id` shut down by its supervisor (not one of its crashes). */
const shutDown = (id: string) => (m: any): boolean => m?.stopped === id && m.reason === 'shutdown';

const kMaxed = { kind: 'shutdown', reason: 'reached_max_restart_intensity' };

function kid(kind: ConformanceKind, id: string, opts: KidOpts = {}) {
  return { id, start: { behaviour: Kid, args: [id, kind.node.pid, opts], options: kind.placeOn(1) } };
}

async function startSup(kind: ConformanceKind, strategy: 'one_for_one' | 'one_for_all' | 'rest_for_one', intensity: number, ids: string[], opts: Record<string, KidOpts> = {}, period = 3600): Promise<{ sup: Pid; pids: Map<string, Pid> }> {
  const sup = (await Supervisor.start(kind.node, { strategy, intensity, period, children: ids.map((id) => kid(kind, id, opts[id])) }, { spawn: kind.placeOn(0) }))!;
  const pids = new Map<string, Pid>();
  for (const id of ids) pids.set(id, (await kind.inbox.next(started(id))).pid);
  return { sup, pids };
}

async function crash(kind: ConformanceKind, pid: Pid): Promise<void> {
  expect(await kind.node.call(pid, { exit: 'died' })).toBe('ok');
}

async function pidsOf(kind: ConformanceKind, sup: Pid): Promise<(Pid | null)[]> {
  return (await Supervisor.whichChildren(kind.node, sup)).map((c) => c.pid);
}

describeOnSchedulers('supervisor strategies and intensity', (kind) => {
  it('one_for_one: only the child that died is restarted; the third restart of intensity 2 takes the supervisor down', async () => {
    const { node, inbox } = kind;
    const { sup, pids } = await startSup(kind, 'one_for_one', 2, ['child1', 'child2']);
    const supDown = await watchDown(kind, sup, 0);
    await crash(kind, pids.get('child1')!);
    const c1 = (await inbox.next(started('child1'))).pid as Pid;
    expect(await pidsOf(kind, sup)).toEqual([c1, pids.get('child2')]);
    expect(await Supervisor.countChildren(node, sup)).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
    await crash(kind, pids.get('child2')!);
    const c2 = (await inbox.next(started('child2'))).pid as Pid;
    await crash(kind, c2);
    expect(await supDown()).toEqual(kMaxed);
    expect(await inbox.next(shutDown('child1'))).toEqual({ stopped: 'child1', reason: 'shutdown' });
  });

  it('one_for_all: every child is shut down and started again; the third restart takes the supervisor down', async () => {
    const { node, inbox } = kind;
    const { sup, pids } = await startSup(kind, 'one_for_all', 2, ['child1', 'child2']);
    const supDown = await watchDown(kind, sup, 0);
    await crash(kind, pids.get('child1')!);
    expect(await inbox.next(shutDown('child2'))).toEqual({ stopped: 'child2', reason: 'shutdown' });
    const c1 = (await inbox.next(started('child1'))).pid as Pid;
    const c2 = (await inbox.next(started('child2'))).pid as Pid;
    expect(await pidsOf(kind, sup)).toEqual([c1, c2]);
    expect([c1, c2]).not.toContainEqual(pids.get('child2'));
    expect(await Supervisor.countChildren(node, sup)).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
    await crash(kind, c1);
    const c1b = (await inbox.next(started('child1'))).pid as Pid;
    await crash(kind, c1b);
    expect(await supDown()).toEqual(kMaxed);
  });

  it('rest_for_one: the children started after it are shut down and restarted, the ones before are kept', async () => {
    const { node, inbox } = kind;
    const { sup, pids } = await startSup(kind, 'rest_for_one', 2, ['child1', 'child2', 'child3']);
    const supDown = await watchDown(kind, sup, 0);
    await crash(kind, pids.get('child2')!);
    expect(await inbox.next(shutDown('child3'))).toEqual({ stopped: 'child3', reason: 'shutdown' });
    const c2 = (await inbox.next(started('child2'))).pid as Pid;
    const c3 = (await inbox.next(started('child3'))).pid as Pid;
    expect(await pidsOf(kind, sup)).toEqual([pids.get('child1'), c2, c3]);
    expect(await Supervisor.countChildren(node, sup)).toEqual({ specs: 3, active: 3, supervisors: 0, workers: 3 });
    await crash(kind, c3);
    await inbox.next(started('child3'));
    await crash(kind, c2);
    expect(await supDown()).toEqual(kMaxed);
  });

  for (const strategy of ['one_for_all', 'rest_for_one'] as const) {
    it(`${strategy}_escalation: a child that fails every restart takes the supervisor down past its intensity`, async () => {
      const { node, inbox } = kind;
      const gate = kind.name(`gate_${strategy}`);
      const { sup, pids } = await startSup(kind, strategy, 4, ['child1', 'child2'], { child2: { failIf: gate } });
      const supDown = await watchDown(kind, sup, 0);
      const holder = await node.spawn(Gate, [], { name: gate });
      await eventually(() => node.whereis(gate), (p) => p !== undefined, 'the gate registered');
      await crash(kind, pids.get('child1')!);
      expect(await supDown()).toEqual(kMaxed);
      // Each round started child1 again (then child2 refused); all shut down at the end.
      expect(inbox.pending().filter(started('child2'))).toEqual([]);
      node.exit(holder, 'kill');
    });
  }

  it('one_for_all_other_child_fails_restart: the already restarted child1 is shut down again, then both start', async () => {
    const { node, inbox } = kind;
    const gate = kind.name('gate_ofa_once');
    const { sup, pids } = await startSup(kind, 'one_for_all', 3, ['child1', 'child2'], { child2: { failOnceIf: gate } });
    await node.spawn(Gate, [], { name: gate });
    await eventually(() => node.whereis(gate), (p) => p !== undefined, 'the gate registered');
    await crash(kind, pids.get('child1')!);
    const c1a = (await inbox.next(started('child1'))).pid as Pid;
    await inbox.next((m: any) => m.refused === 'child2', 'child2 refused once');
    expect(await inbox.next(shutDown('child1'))).toEqual({ stopped: 'child1', reason: 'shutdown' });
    const c1b = (await inbox.next(started('child1'))).pid as Pid;
    const c2 = (await inbox.next(started('child2'))).pid as Pid;
    expect(c1b).not.toEqual(c1a);
    expect(await pidsOf(kind, sup)).toEqual([c1b, c2]);
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
  });

  it('rest_for_one_other_child_fails_restart: the retry starts from child2; child1 is not restarted again', async () => {
    const { node, inbox } = kind;
    const gate = kind.name('gate_rfo_once');
    const { sup, pids } = await startSup(kind, 'rest_for_one', 3, ['child1', 'child2'], { child2: { failOnceIf: gate } });
    await node.spawn(Gate, [], { name: gate });
    await eventually(() => node.whereis(gate), (p) => p !== undefined, 'the gate registered');
    await crash(kind, pids.get('child1')!);
    const c1 = (await inbox.next(started('child1'))).pid as Pid;
    await inbox.next((m: any) => m.refused === 'child2', 'child2 refused once');
    const c2 = (await inbox.next(started('child2'))).pid as Pid;
    expect(await pidsOf(kind, sup)).toEqual([c1, c2]);
    expect(inbox.pending().filter(started('child1'))).toEqual([]);
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
  });

  it('hanging_restart_loop: a child whose restarts keep failing is shown restarting, and calls are answered meanwhile', async () => {
    const { node, inbox } = kind;
    const gate = kind.name('gate_hang');
    const spec = { id: 'child1', shutdown: 'brutal_kill' as const, start: { behaviour: SlowFailer, args: ['child1', node.pid, gate, 100], options: kind.placeOn(1) } };
    const sup = (await Supervisor.start(node, { intensity: 8, period: 10, children: [] }, { spawn: kind.placeOn(0) }))!;
    const first = ((await Supervisor.startChild(node, sup, spec)) as { ok: Pid }).ok;
    await inbox.next(started('child1'));
    const holder = await node.spawn(Gate, [], { name: gate });
    node.exit(first, 'kill');
    await inbox.next((m: any) => m.refusing === 'child1', 'a restart refusing');
    await eventually(() => Supervisor.whichChildren(node, sup), (w) => w[0]!.restarting, 'child1 restarting');
    expect(await Supervisor.whichChildren(node, sup)).toEqual([{ id: 'child1', pid: null, restarting: true, type: 'worker', restart: 'permanent' }]);
    expect(await Supervisor.countChildren(node, sup)).toEqual({ specs: 1, active: 0, supervisors: 0, workers: 1 });
    expect(await Supervisor.startChild(node, sup, spec)).toEqual({ error: 'already_present' });
    expect(await Supervisor.restartChild(node, sup, 'child1')).toEqual({ error: 'restarting' });
    expect(await Supervisor.deleteChild(node, sup, 'child1')).toEqual({ error: 'restarting' });
    expect(await Supervisor.terminateChild(node, sup, 'child1')).toBe('ok');
    expect(await Supervisor.whichChildren(node, sup)).toEqual([{ id: 'child1', pid: null, restarting: false, type: 'worker', restart: 'permanent' }]);
    node.exit(holder, 'kill');
    await eventually(() => node.whereis(gate), (p) => p === undefined, 'the gate gone');
    const again = (await Supervisor.restartChild(node, sup, 'child1')) as { ok: Pid };
    expect((await inbox.next(started('child1'))).pid).toEqual(again.ok);
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
  });

  it('multiple_restarts: restarts further apart than the period never reach the intensity', async () => {
    const { node, inbox } = kind;
    // intensity 1 in 0.2 s: one restart at a time is fine when each falls out of the window.
    const { sup, pids } = await startSup(kind, 'one_for_one', 1, ['child1'], {}, 0.2);
    let pid = pids.get('child1')!;
    for (let i = 0; i < 3; i++) {
      await crash(kind, pid);
      pid = (await inbox.next(started('child1'))).pid as Pid;
      // The window is time: let the last restart age out of it (the subject of this case).
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(await node.call(pid, 'ping')).toBe('pong');
    expect(await Supervisor.terminateChild(node, sup, 'child1')).toBe('ok');
    expect(await Supervisor.deleteChild(node, sup, 'child1')).toBe('ok');
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
  });
});
