/**
 * OTP conformance: DynamicSupervisor against OTP's simple_one_for_one.
 *
 * Follows lib/stdlib/test/supervisor_SUITE.erl:
 *   child_adm_simple   startChild(extraArgs) → { ok: pid }; terminateChild(pid) → 'ok', a
 *                      pid that is not (or no longer) a child → { error: 'not_found' }, and
 *                      the process is left alone. (There is no restartChild/deleteChild by
 *                      id, where OTP answers {error, simple_one_for_one}; countChildren
 *                      counts `specs` as children, as Elixir's DynamicSupervisor, where OTP
 *                      counts the one template.)
 *   simple_one_for_one              only the child that died is restarted, with its args;
 *                                   the third restart of intensity 2 ends the supervisor
 *   simple_one_for_one_escalation   a child that cannot restart escalates; the others are
 *                                   shut down
 *   sup_start_ignore_temporary_child_start_child_simple /
 *   sup_start_ignore_permanent_child_start_child_simple   ignore → { ok: null }, nothing kept
 *   sup_start_child_returns_error_simple   { error: reason }, nothing kept
 *   simple_one_for_one_shutdown     children are shut down together: the stop takes the
 *                                   template's shutdown time once, the late one is killed
 *   hanging_restart_loop_simple     a child whose restarts keep failing is listed
 *                                   restarting (not active); terminateChild(pid) forgets it
 *   count_children                  many children: counts and the list agree
 *   (issue 17, point 1) a spawn that throws (the template's name taken) is a start error
 */
import { expect, it } from 'vitest';
import { DynamicSupervisor, Sys } from '../../../src/index.ts';
import type { Pid } from '../../../src/index.ts';
import { Gate, Kid, Lingerer, SlowFailer, type KidOpts } from './fixtures/children.ts';
import { describeOnSchedulers, eventually, rejectionOf, started, watchDown, type ConformanceKind } from './support.ts';

type Restart = 'permanent' | 'transient' | 'temporary';

async function startDyn(kind: ConformanceKind, restart: Restart = 'permanent', intensity = 2, extra: Record<string, unknown> = {}): Promise<Pid> {
  return (await DynamicSupervisor.start(kind.node, {
    child: { id: 'child', restart, shutdown: 1000, start: { behaviour: Kid, options: kind.placeOn(1) }, ...extra },
    intensity,
    period: 3600,
  }, { spawn: kind.placeOn(0) }))!;
}

async function add(kind: ConformanceKind, sup: Pid, id: string, opts: KidOpts = {}): Promise<Pid> {
  const r = (await DynamicSupervisor.startChild(kind.node, sup, [id, kind.node.pid, opts])) as { ok: Pid };
  expect((await kind.inbox.next(started(id))).pid).toEqual(r.ok);
  return r.ok;
}

describeOnSchedulers('DynamicSupervisor as simple_one_for_one', (kind) => {
  it('child_adm_simple: startChild, whichChildren, countChildren, terminateChild by pid', async () => {
    const { node } = kind;
    const sup = await startDyn(kind);
    expect(await DynamicSupervisor.whichChildren(node, sup)).toEqual([]);
    expect(await DynamicSupervisor.countChildren(node, sup)).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
    expect(await rejectionOf(DynamicSupervisor.startChild(node, kind.name('foo'), []))).toMatchObject({ code: 'ERR_SB_NOPROC' });
    const c1 = await add(kind, sup, 'c1');
    const c2 = await add(kind, sup, 'c2');
    expect(await DynamicSupervisor.whichChildren(node, sup)).toEqual([
      { pid: c1, args: ['c1', node.pid, {}], restarting: false },
      { pid: c2, args: ['c2', node.pid, {}], restarting: false },
    ]);
    expect(await DynamicSupervisor.countChildren(node, sup)).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
    const down = await watchDown(kind, c1);
    expect(await DynamicSupervisor.terminateChild(node, sup, c1)).toBe('ok');
    expect(await down()).toBe('shutdown');
    expect(await DynamicSupervisor.countChildren(node, sup)).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
    expect(await DynamicSupervisor.terminateChild(node, sup, c1)).toEqual({ error: 'not_found' });
    const stranger = await node.spawn(Gate, [], kind.placeOn(1));
    expect(await DynamicSupervisor.terminateChild(node, sup, stranger)).toEqual({ error: 'not_found' });
    expect(await node.processInfo(stranger)).toBeDefined();
    node.exit(stranger, 'kill');
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
  });

  it('simple_one_for_one: only the child that died restarts, with its args; the third restart of intensity 2 ends the supervisor', async () => {
    const { node, inbox } = kind;
    const sup = await startDyn(kind);
    const supDown = await watchDown(kind, sup, 0);
    const c1 = await add(kind, sup, 'c1');
    const c2 = await add(kind, sup, 'c2');
    expect(await node.call(c1, { exit: 'died' })).toBe('ok');
    const c1b = (await inbox.next(started('c1'))).pid as Pid;
    const which = await DynamicSupervisor.whichChildren(node, sup);
    expect(which.map((c) => c.pid)).toEqual([c2, c1b]);
    expect(which[1]!.args).toEqual(['c1', node.pid, {}]);
    expect(await DynamicSupervisor.countChildren(node, sup)).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
    expect(await node.call(c2, { exit: 'died' })).toBe('ok');
    const c2b = (await inbox.next(started('c2'))).pid as Pid;
    expect(await node.call(c2b, { exit: 'died' })).toBe('ok');
    expect(await supDown()).toEqual({ kind: 'shutdown', reason: 'reached_max_restart_intensity' });
    expect(await inbox.next((m: any) => m.stopped === 'c1' && m.reason === 'shutdown')).toBeDefined();
  });

  it('simple_one_for_one_escalation: a child that cannot restart escalates, the others are shut down', async () => {
    const { node, inbox } = kind;
    const gate = kind.name('dyn_gate');
    const sup = await startDyn(kind, 'permanent', 4);
    const supDown = await watchDown(kind, sup, 0);
    const c1 = await add(kind, sup, 'c1', { failIf: gate });
    await add(kind, sup, 'c2');
    const holder = await node.spawn(Gate, [], { name: gate });
    await eventually(() => node.whereis(gate), (p) => p !== undefined, 'the gate registered');
    expect(await node.call(c1, { exit: 'died' })).toBe('ok');
    expect(await supDown()).toEqual({ kind: 'shutdown', reason: 'reached_max_restart_intensity' });
    expect(await inbox.next((m: any) => m.stopped === 'c2')).toEqual({ stopped: 'c2', reason: 'shutdown' });
    node.exit(holder, 'kill');
  });

  for (const restart of ['temporary', 'permanent'] as const) {
    it(`sup_start_ignore_${restart}_child_start_child_simple: ignore answers { ok: null } and keeps nothing`, async () => {
      const { node } = kind;
      const sup = await startDyn(kind, restart);
      expect(await DynamicSupervisor.startChild(node, sup, ['c1', node.pid, { ignore: true }])).toEqual({ ok: null });
      const c2 = await add(kind, sup, 'c2');
      expect((await DynamicSupervisor.whichChildren(node, sup)).map((c) => c.pid)).toEqual([c2]);
      expect(await DynamicSupervisor.countChildren(node, sup)).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
      // Regression in OTP: the supervisor still stops cleanly.
      const down = await watchDown(kind, sup, 0);
      expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
      expect(await down()).toBe('shutdown');
    });
  }

  it('sup_start_child_returns_error_simple: the error is the answer, nothing kept; a taken name is already_started', async () => {
    const { node } = kind;
    const sup = await startDyn(kind);
    expect(await DynamicSupervisor.startChild(node, sup, ['c1', node.pid, { stop: 'reason' }])).toEqual({ error: 'reason' });
    expect(await DynamicSupervisor.whichChildren(node, sup)).toEqual([]);
    const name = kind.name('dyn_named');
    const named = await startDyn(kind, 'permanent', 2, { name });
    const first = await add(kind, named, 'n1');
    expect(await DynamicSupervisor.startChild(node, named, ['n2', node.pid])).toEqual({ error: { kind: 'already_started', name, pid: first } });
    expect((await DynamicSupervisor.whichChildren(node, named)).map((c) => c.pid)).toEqual([first]);
    expect(await Sys.terminate(node, named, 'shutdown')).toBe('ok');
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
  });

  it('simple_one_for_one_shutdown: children are shut down together, within one shutdown time; the late one is killed', async () => {
    const { node, inbox } = kind;
    const sup = (await DynamicSupervisor.start(node, { child: { id: 'l', shutdown: 400, start: { behaviour: Lingerer, options: kind.placeOn(1) } } }, { spawn: kind.placeOn(0) }))!;
    const pids: Pid[] = [];
    for (const [id, ms] of [['l1', 150], ['l2', 150], ['l3', Infinity]] as const) {
      pids.push(((await DynamicSupervisor.startChild(node, sup, [id, node.pid, ms])) as { ok: Pid }).ok);
      await inbox.next(started(id));
    }
    const downs = await Promise.all(pids.map((p) => watchDown(kind, p)));
    const t0 = Date.now();
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(400 + 150 + 2000); // one shutdown time (+ slack), not one per child
    expect(await Promise.all(downs.map((d) => d()))).toEqual(['shutdown', 'shutdown', 'killed']);
  });

  it('hanging_restart_loop_simple: a child whose restarts keep failing is listed restarting; terminateChild(pid) forgets it', async () => {
    const { node, inbox } = kind;
    const gate = kind.name('dyn_hang');
    const sup = (await DynamicSupervisor.start(node, { child: { id: 'h', shutdown: 'brutal_kill', start: { behaviour: SlowFailer, args: ['h', node.pid, gate, 100], options: kind.placeOn(1) } }, intensity: 8, period: 10 }, { spawn: kind.placeOn(0) }))!;
    const first = ((await DynamicSupervisor.startChild(node, sup, [])) as { ok: Pid }).ok;
    await inbox.next(started('h'));
    const holder = await node.spawn(Gate, [], { name: gate });
    await eventually(() => node.whereis(gate), (p) => p !== undefined, 'the gate registered');
    node.exit(first, 'kill');
    await eventually(() => DynamicSupervisor.whichChildren(node, sup), (w) => w.length === 1 && w[0]!.restarting, 'h restarting');
    expect(await DynamicSupervisor.whichChildren(node, sup)).toEqual([{ pid: first, args: [], restarting: true }]);
    expect(await DynamicSupervisor.countChildren(node, sup)).toEqual({ specs: 1, active: 0, supervisors: 0, workers: 1 });
    expect(await DynamicSupervisor.terminateChild(node, sup, first)).toBe('ok');
    expect(await DynamicSupervisor.whichChildren(node, sup)).toEqual([]);
    node.exit(holder, 'kill');
    await eventually(() => node.whereis(gate), (p) => p === undefined, 'the gate gone');
    const again = ((await DynamicSupervisor.startChild(node, sup, [])) as { ok: Pid }).ok;
    expect((await inbox.next(started('h'))).pid).toEqual(again);
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
  });

  it('count_children: many temporary children; counts and the list agree, and drop as they are killed', async () => {
    const { node } = kind;
    const sup = await startDyn(kind, 'temporary');
    const n = 200;
    const pids: Pid[] = [];
    for (let i = 0; i < n; i++) pids.push(((await DynamicSupervisor.startChild(node, sup, [`m${i}`, node.pid])) as { ok: Pid }).ok);
    expect((await DynamicSupervisor.whichChildren(node, sup)).map((c) => c.pid)).toEqual(pids);
    expect(await DynamicSupervisor.countChildren(node, sup)).toEqual({ specs: n, active: n, supervisors: 0, workers: n });
    for (const p of pids) node.exit(p, 'kill');
    await eventually(() => DynamicSupervisor.countChildren(node, sup), (c) => c.active === 0, 'every child gone');
    expect(await DynamicSupervisor.countChildren(node, sup)).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
  });
});
