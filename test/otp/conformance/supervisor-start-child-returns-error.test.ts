/**
 * OTP conformance: a child whose start fails — by an error its init returns, or by a spawn
 * that throws (a name already registered) — is a start error, never an exit of its
 * supervisor (issue 17, point 1).
 *
 * Follows lib/stdlib/test/supervisor_SUITE.erl:
 *   sup_start_child_returns_error          startChild → { error }, nothing kept, siblings untouched
 *   child_adm ({error,{already_started,P}}) a name taken → { kind: 'already_started', name, pid }
 *   sup_start_fail                         the initial start fails: the supervisor does not
 *                                          start, `{ failedToStartChild: id, reason }`
 *   sup_start_restart_child_returns_error  restartChild → { error }, the spec kept, no pid
 *   one_for_one_escalation                 a restart that fails counts towards the intensity
 */
import { expect, it } from 'vitest';
import { StartFailedError, Supervisor, Sys } from '../../../src/index.ts';
import type { Pid } from '../../../src/index.ts';
import { Gate, Kid } from './fixtures/children.ts';
import { describeOnSchedulers, rejectionOf, started, stopped, watchDown, type ConformanceKind } from './support.ts';

function kid(kind: ConformanceKind, id: string, extra: Record<string, unknown> = {}) {
  return { id, start: { behaviour: Kid, args: [id, kind.node.pid], options: kind.placeOn(1) }, ...extra };
}

async function gate(kind: ConformanceKind, name: string): Promise<Pid> {
  return kind.node.spawn(Gate, [], { name, ...kind.placeOn(1) });
}

describeOnSchedulers('supervisor: a start that fails is a start error', (kind) => {
  it('sup_start_child_returns_error / child_adm: startChild answers the error (a taken name: already_started) and the supervisor keeps running', async () => {
    const { node, inbox } = kind;
    const sup = (await Supervisor.start(node, { intensity: 2, children: [kid(kind, 'a')] }, { spawn: kind.placeOn(0) }))!;
    const a = (await inbox.next(started('a'))).pid as Pid;
    const taken = kind.name('taken_1');
    const holder = await gate(kind, taken);

    expect(await Supervisor.startChild(node, sup, kid(kind, 'b', { name: taken }))).toEqual({ error: { kind: 'already_started', name: taken, pid: holder } });
    const bad = kid(kind, 'c');
    expect(await Supervisor.startChild(node, sup, { ...bad, start: { ...bad.start, args: ['c', node.pid, { stop: 'bad_init' }] } })).toEqual({ error: 'bad_init' });
    // Nothing kept of either; the sibling runs on, same process.
    expect((await Supervisor.whichChildren(node, sup)).map((c) => [c.id, c.pid])).toEqual([['a', a]]);
    expect(await Supervisor.countChildren(node, sup)).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
    expect(await node.call(a, 'ping')).toBe('pong');
    expect(await Supervisor.startChild(node, sup, kid(kind, 'a'))).toEqual({ error: { alreadyStarted: a } });
    node.exit(holder, 'kill');
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
  });

  it('sup_start_fail: a taken name in the initial children fails the start with failedToStartChild; the started ones are shut down', async () => {
    const { node, inbox } = kind;
    const taken = kind.name('taken_2');
    const holder = await gate(kind, taken);
    const err = await rejectionOf(Supervisor.start(node, { children: [kid(kind, 'a'), kid(kind, 'b', { name: taken })] }, { spawn: kind.placeOn(0) }));
    const reason = { kind: 'shutdown', reason: { failedToStartChild: 'b', reason: { kind: 'already_started', name: taken, pid: holder } } };
    expect(err).toBeInstanceOf(StartFailedError);
    expect(err).toMatchObject({ code: 'ERR_SB_START_FAILED', reason });
    expect(await inbox.next(stopped('a'))).toEqual({ stopped: 'a', reason: 'shutdown' });
    node.exit(holder, 'kill');
  });

  it('sup_start_restart_child_returns_error: restartChild answers the error and keeps the spec with no process', async () => {
    const { node, inbox } = kind;
    const name = kind.name('taken_3');
    const sup = (await Supervisor.start(node, { children: [kid(kind, 'c', { name })] }, { spawn: kind.placeOn(0) }))!;
    await inbox.next(started('c'));
    expect(await Supervisor.terminateChild(node, sup, 'c')).toBe('ok');
    const holder = await gate(kind, name);
    expect(await Supervisor.restartChild(node, sup, 'c')).toEqual({ error: { kind: 'already_started', name, pid: holder } });
    expect(await Supervisor.whichChildren(node, sup)).toEqual([{ id: 'c', pid: null, restarting: false, type: 'worker', restart: 'permanent' }]);
    // The holder's name is free once its DOWN arrives (a name is freed before monitors
    // fire); on 2 schedulers the kill is a signal to another thread, so wait for that.
    const holderDown = await watchDown(kind, holder);
    node.exit(holder, 'kill');
    expect(await holderDown()).toBe('killed');
    const again = (await Supervisor.restartChild(node, sup, 'c')) as { ok: Pid };
    expect((await inbox.next(started('c'))).pid).toEqual(again.ok);
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
  });

  it('one_for_one_escalation: restarts that fail (the name taken meanwhile) count towards the intensity; past it the supervisor exits', async () => {
    const { node, inbox } = kind;
    const name = kind.name('taken_4');
    const sup = (await Supervisor.start(node, { intensity: 3, period: 60, children: [kid(kind, 'a'), kid(kind, 'k', { name })] }, { spawn: kind.placeOn(0) }))!;
    await inbox.next(started('a'));
    const k = (await inbox.next(started('k'))).pid as Pid;
    const supDown = await watchDown(kind, sup, 0);
    // Hold the supervisor (system calls only) while k dies and its name is taken.
    await Sys.suspend(node, sup);
    const kDown = await watchDown(kind, k);
    node.exit(k, 'kill');
    expect(await kDown()).toBe('killed');
    const holder = await gate(kind, name);
    await Sys.resume(node, sup);
    // 1 + 3 retries, each refused: the 4th restart is past intensity 3.
    expect(await supDown()).toEqual({ kind: 'shutdown', reason: 'reached_max_restart_intensity' });
    expect(await inbox.next(stopped('a'))).toEqual({ stopped: 'a', reason: 'shutdown' });
    expect(node.whereis(name)).toEqual(holder);
    node.exit(holder, 'kill');
  });
});
