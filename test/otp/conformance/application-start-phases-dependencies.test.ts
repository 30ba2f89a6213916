/**
 * OTP conformance: applications — start type, start phases, dependencies, failures.
 *
 * Follows lib/kernel/test/application_SUITE.erl (the cases that need no second node; the
 * distributed ones are ported by test/cluster/dist-app-*):
 *   start_phases        Mod:start(normal, _) then each start phase in order, with the
 *                       start type, once the top supervisor and its children run; a phase
 *                       that fails fails the start and the application is not running
 *   ensure_started      starting a running application: AlreadyStartedError (OTP
 *                       {error, {already_started, App}})
 *   ensure_all_started  dependencies are started first; when one in the chain fails, what
 *                       this call started is stopped again, what ran before keeps running
 *   otp_4227            a dependency whose top supervisor was killed is not running any
 *                       more: starting an application that needs it starts it anew (as
 *                       ensure_all_started; OTP's plain application:start answers
 *                       {error, {not_running, App}} since it starts no dependency)
 *   (stop)              Application.stop shuts the top down (children in reverse order),
 *                       then runs stop(); its dependencies keep running
 */
import { expect, it } from 'vitest';
import { AlreadyStartedError, Application, StartFailedError, defineApplication } from '../../../src/index.ts';
import type { Pid, StartType } from '../../../src/index.ts';
import { Kid } from './fixtures/children.ts';
import { describeOnSchedulers, eventually, rejectionOf, started, type ConformanceKind } from './support.ts';

function kid(kind: ConformanceKind, id: string, opts: Record<string, unknown> = {}) {
  return { id, start: { behaviour: Kid, args: [id, kind.node.pid, opts], options: kind.placeOn(1) } };
}

describeOnSchedulers('applications', (kind) => {
  const s = kind.schedulers;
  const log: unknown[] = [];
  const top = (k: ConformanceKind, ids: string[], opts: Record<string, Record<string, unknown>> = {}) => ({ children: ids.map((id) => kid(k, id, opts[id])) });
  const whichNames = (): string[] => Application.whichApplications(kind.node).map((a) => a.name);
  const running = (name: string): boolean => whichNames().includes(name);

  // start_phases: two phases, each sees the start type and the running tree.
  const phased = defineApplication({
    name: `phased_s${s}`,
    start: (t: StartType) => {
      log.push({ start: t });
      return top(kind, ['p1', 'p2']);
    },
    startPhases: [
      { name: 'init', run: ({ startType, top: t }) => void log.push({ phase: 'init', startType, top: t !== null }) },
      { name: 'go', run: ({ startType }) => void log.push({ phase: 'go', startType }) },
    ],
    stop: () => void log.push({ stop: 'phased' }),
  });
  const failingPhase = defineApplication({
    name: `failing_phase_s${s}`,
    start: () => top(kind, ['f1']),
    startPhases: [{ name: 'boom', run: () => { throw new Error('phase boom failed'); } }],
  });
  // ensure_all_started: chain -> [x10 -> x9, bad]; bad's top cannot start.
  defineApplication({ name: `x9_s${s}`, start: () => top(kind, ['x9']) });
  defineApplication({ name: `x10_s${s}`, dependencies: [`x9_s${s}`], start: () => top(kind, ['x10']) });
  defineApplication({ name: `bad_s${s}`, start: () => top(kind, ['bad'], { bad: { stop: 'no_way' } }) });
  defineApplication({ name: `chain_s${s}`, dependencies: [`x10_s${s}`, `bad_s${s}`], start: () => top(kind, ['chain']) });
  // otp_4227
  let d9Stops = 0;
  defineApplication({ name: `d9_s${s}`, start: () => top(kind, ['d9']), stop: () => void d9Stops++ });
  defineApplication({ name: `d10_s${s}`, dependencies: [`d9_s${s}`], start: () => top(kind, ['d10']) });

  it('start_phases: start(normal), then the phases in order with the start type, on the running tree; stop()', async () => {
    log.length = 0;
    await Application.start(kind.node, phased);
    expect(log).toEqual([{ start: 'normal' }, { phase: 'init', startType: 'normal', top: true }, { phase: 'go', startType: 'normal' }]);
    await kind.inbox.next(started('p1'));
    await kind.inbox.next(started('p2'));
    expect(running(phased.name)).toBe(true);
    const again = await rejectionOf(Application.start(kind.node, phased));
    expect(again).toBeInstanceOf(AlreadyStartedError);
    expect(again).toMatchObject({ code: 'ERR_SB_ALREADY_STARTED', message: `application "${phased.name}" is already started on this node` });
    await Application.stop(kind.node, phased);
    // Top shut down (children in reverse), then stop().
    expect(await kind.inbox.next((m: any) => m.stopped === 'p2')).toEqual({ stopped: 'p2', reason: 'shutdown' });
    expect(await kind.inbox.next((m: any) => m.stopped === 'p1')).toEqual({ stopped: 'p1', reason: 'shutdown' });
    expect(log.at(-1)).toEqual({ stop: 'phased' });
    expect(running(phased.name)).toBe(false);
  });

  it('start_phases: a phase that fails fails the start; the application is not running and its tree is gone', async () => {
    const err = await rejectionOf(Application.start(kind.node, failingPhase));
    expect(err).toMatchObject({ message: 'phase boom failed' });
    expect(running(failingPhase.name)).toBe(false);
    expect(await kind.inbox.next((m: any) => m.stopped === 'f1')).toEqual({ stopped: 'f1', reason: 'shutdown' });
    // Not half-started: it can be started again (and fails the same way).
    expect(await rejectionOf(Application.start(kind.node, failingPhase))).toMatchObject({ message: 'phase boom failed' });
  });

  it('ensure_all_started: a failure in the chain stops what this call started; what ran before keeps running', async () => {
    const { node } = kind;
    // Nothing running: none of the chain is left running.
    const e1 = await rejectionOf(Application.start(node, `chain_s${s}`));
    expect(e1).toBeInstanceOf(StartFailedError);
    expect(e1).toMatchObject({ reason: { kind: 'shutdown', reason: { failedToStartChild: 'bad', reason: 'no_way' } } });
    for (const n of ['x9', 'x10', 'bad', 'chain']) expect(running(`${n}_s${s}`), n).toBe(false);
    // x9 running before: it stays, x10 (started by this call) is stopped again.
    await Application.start(node, `x9_s${s}`);
    const e2 = await rejectionOf(Application.start(node, `chain_s${s}`));
    expect(e2).toBeInstanceOf(StartFailedError);
    expect(running(`x9_s${s}`)).toBe(true);
    for (const n of ['x10', 'bad', 'chain']) expect(running(`${n}_s${s}`), n).toBe(false);
    await Application.stop(node, `x9_s${s}`);
  });

  it('otp_4227: a dependency whose top was killed is not running; starting a dependent starts it anew', async () => {
    const { node, inbox } = kind;
    await Application.start(node, `d9_s${s}`);
    await inbox.next(started('d9'));
    const top9 = Application.whichApplications(node).find((a) => a.name === `d9_s${s}`)!.top as Pid;
    node.exit(top9, 'kill');
    await eventually(() => node.processInfo(top9), (i) => i === undefined, 'the top gone');
    await Application.start(node, `d10_s${s}`);
    expect(d9Stops).toBe(1); // the ended instance's stop() ran
    const again = Application.whichApplications(node).find((a) => a.name === `d9_s${s}`)!;
    expect(again.top).not.toEqual(top9);
    expect(await node.processInfo(again.top!)).toBeDefined();
    expect(whichNames().filter((n) => n.startsWith('d'))).toEqual([`d9_s${s}`, `d10_s${s}`]);
    // Stopping the dependent leaves the dependency running (as in OTP).
    await Application.stop(node, `d10_s${s}`);
    await eventually(() => running(`d10_s${s}`), (r) => !r, 'd10 stopped');
    expect(running(`d9_s${s}`)).toBe(true);
    await Application.stop(node, `d9_s${s}`);
  });
});
