/**
 * gen_statem conformance: start, stop, abnormal ends and sys, in both callback modes
 * (state functions and handleEvent: OTP's start / start_handle_event, stop /
 * stop_handle_event, abnormal / abnormal_handle_event, sys / sys_handle_event groups).
 * Follows OTP's gen_statem_SUITE (erlang/otp lib/stdlib/test):
 *   start1, start6   start, a cast and a call answered (do_func_test), stop
 *   start4           init { ignore } -> null
 *   start5a          init { stop: 'stopped' } -> StartFailedError, reason 'stopped'
 *   start5b          init { error: 'foobar' } -> StartFailedError, reason 'foobar'
 *   start8           a registered name: called by name; a second start with it fails
 *                    (NameTakenError: OTP's {error, {already_started, Pid}})
 *   loop_start_fail  five times each: a bad init return, a crash in init
 *   stop1            stop -> 'ok', the process is gone; stop again -> NoProcError
 *   stop2            stop with another reason and Infinity: that is the exit reason
 *   stop3            stop with an invalid timeout fails at once; the process lives on
 *   stop4            stop by registered name; again -> NoProcError
 *   abnormal1        a call answered in time; a call timing out -> CallTimeoutError
 *   abnormal2/3/4    a bad return value / a bad action / a bad time-out action: the
 *                    caller gets CallExitError and the machine exits with the reason
 *   sys1             suspended, a call waits (queued); resumed, it is answered
 *   get_state        { state, data }, also while suspended
 *   replace_state    replaced, also while suspended; a state named 'error' is a state
 *   hibernate        a hibernate action (from a call, a cast): the status says hibernated
 *                    until the next message; a status request does not wake it
 * On 0 schedulers and on 2 (the machine on scheduler 1, called from the embedding thread).
 */
import { describe, expect, it } from 'vitest';
import { BadArgError, CallExitError, CallTimeoutError, GenStatem, NameTakenError, NoProcError, StartFailedError, Sys } from '../../../src/index.ts';
import { eventually, failureOf } from '../../contract/node-kinds.ts';
import { describeOnZeroAndTwo, kStartTimeoutMs, watch } from './support.ts';
import { IdleHandleEvent, IdleStates } from './fixtures/statem-idle.ts';

const modes = [
  ['state functions', IdleStates],
  ['handleEvent', IdleHandleEvent],
] as const;

async function startFailure(p: Promise<unknown>): Promise<StartFailedError> {
  const e = await failureOf(() => p);
  expect(e).toBeInstanceOf(StartFailedError);
  expect((e as StartFailedError).code).toBe('ERR_SB_START_FAILED');
  return e as StartFailedError;
}

async function noProc(p: Promise<unknown>): Promise<void> {
  const e = await failureOf(() => p);
  expect(e).toBeInstanceOf(NoProcError);
  expect((e as NoProcError).code).toBe('ERR_SB_NOPROC');
}

describeOnZeroAndTwo('gen_statem start/stop', (kind) => {
  for (const [mode, Machine] of modes) describe(mode, () => {
    const start = (arg?: unknown, name?: string) => GenStatem.start(kind.node, Machine, [kind.node.pid, arg as never], { spawn: kind.placeOn(1), name, timeoutMs: kStartTimeoutMs });

    it('start1/start6: started, a cast and a call answered, stopped', async () => {
      const { node, inbox } = kind;
      const sm = (await start())!;
      GenStatem.cast(node, sm, { echo: 'cast seen' });
      expect(await inbox.next((m) => m === 'cast seen')).toBe('cast seen');
      expect(await GenStatem.call(node, sm, 'hi')).toBe('hi');
      expect(await GenStatem.stop(node, sm)).toBe('ok');
      expect(await node.processInfo(sm)).toBeUndefined();
      expect(await inbox.next((m) => m?.terminated !== undefined)).toEqual({ terminated: 'normal' });
    });

    it('start4, start5a, start5b: ignore -> null; { stop } and { error } fail the start with their reason', async () => {
      expect(await start('ignore')).toBeNull();
      expect((await startFailure(start('stop'))).reason).toBe('stopped');
      const e = await startFailure(start({ error: 'foobar' }));
      expect(e.reason).toBe('foobar');
      expect(e.message).toBe('the process failed to start: foobar');
    });

    it('start8: registered, called by name; a second start under the name fails with NameTakenError', async () => {
      const { node } = kind;
      const name = `my_stm_${kind.schedulers}_${mode.length}`;
      const sm = (await start(undefined, name))!;
      expect(node.whereis(name)).toEqual(sm);
      expect(await GenStatem.call(node, name, 'hi')).toBe('hi');
      const e = await failureOf(() => start(undefined, name));
      expect(e).toBeInstanceOf(NameTakenError);
      expect(e).toMatchObject({ code: 'ERR_SB_NAME_TAKEN', registeredName: name });
      // stop4: by name, then again -> noproc.
      expect(await GenStatem.stop(node, name)).toBe('ok');
      expect(node.whereis(name)).toBeUndefined();
      await noProc(GenStatem.stop(node, name));
    });

    it('loop_start_fail: a bad init return and a crash in init fail the start, five times each', async () => {
      for (let i = 0; i < 5; i++) {
        expect((await startFailure(start('bad'))).reason).toEqual({ kind: 'bad_return_value', callback: 'init', value: '4711' });
        expect((await startFailure(start('crash'))).reason).toMatchObject({ kind: 'error', name: 'Error', message: 'bailout' });
      }
    });

    it('stop1, stop2, stop3: stop, stop again (noproc); another reason; an invalid timeout', async () => {
      const { node, inbox } = kind;
      const a = (await start())!;
      expect(await GenStatem.stop(node, a)).toBe('ok');
      expect(await node.processInfo(a)).toBeUndefined();
      await noProc(GenStatem.stop(node, a));

      const b = (await start())!;
      const exited = await watch(kind, b);
      expect(await GenStatem.stop(node, b, 'other_reason', Infinity)).toBe('ok');
      expect(await exited()).toBe('other_reason');

      const c = (await start())!;
      const bad = await failureOf(() => GenStatem.stop(node, c, 'other_reason', 'invalid_timeout' as never));
      expect(bad).toBeInstanceOf(BadArgError);
      expect((bad as BadArgError).message).toBe('GenStatem.stop: timeoutMs must be a positive number of milliseconds or Infinity, got invalid_timeout');
      expect(await GenStatem.call(node, c, 'hi')).toBe('hi');
      expect(await GenStatem.stop(node, c)).toBe('ok');
      inbox.clear();
    });

    it('abnormal1: a call answered in time; one not answered in time fails with CallTimeoutError', async () => {
      const { node } = kind;
      const sm = (await start())!;
      expect(await GenStatem.call(node, sm, { delayed: 5 }, 2000)).toBe('delayed');
      const e = await failureOf(() => GenStatem.call(node, sm, { delayed: 2000 }, 20));
      expect(e).toBeInstanceOf(CallTimeoutError);
      expect(e).toMatchObject({ code: 'ERR_SB_CALL_TIMEOUT', message: 'call timed out after 20 ms' });
      expect(await GenStatem.stop(node, sm)).toBe('ok');
    });

    const bad = [
      ['abnormal2', 'badreturn', { kind: 'bad_return_value', callback: 'states.idle', value: '"badreturn"' }],
      ['abnormal3', 'badaction', { kind: 'bad_return_value', callback: 'action', value: '"badaction"' }],
      ['abnormal4', 'badtimeout', { kind: 'bad_return_value', callback: 'action', value: '{"type":"timeout","ms":"ouch","content":4711}' }],
    ] as const;
    for (const [otpCase, req, reason] of bad) {
      it(`${otpCase}: ${req} -> the caller gets CallExitError and the machine exits with the reason`, async () => {
        const { node, inbox } = kind;
        const sm = (await start())!;
        const exited = await watch(kind, sm);
        const e = await failureOf(() => GenStatem.call(node, sm, req));
        expect(e).toBeInstanceOf(CallExitError);
        expect((e as CallExitError).reason).toEqual(reason);
        expect(await exited()).toEqual(reason);
        expect(await inbox.next((m) => m?.terminated !== undefined)).toEqual({ terminated: reason });
      });
    }

    it('sys1, get_state, replace_state: a suspended machine queues a call and answers sys; resumed, it answers', async () => {
      const { node } = kind;
      const sm = (await start({ data: 'self' }))!;
      expect(await Sys.getState(node, sm)).toEqual({ state: 'idle', data: { report: node.pid, value: 'self' } });
      expect(await Sys.suspend(node, sm)).toBe('ok');
      const waiting = GenStatem.call(node, sm, 'hi');
      await eventually(() => Sys.getStatus(node, sm), (s) => s.queued === 1, 'the call queued');
      expect(await Sys.getState(node, sm)).toEqual({ state: 'idle', data: { report: node.pid, value: 'self' } });
      expect(await Sys.replaceState(node, sm, { state: 'idle', data: { report: node.pid, value: 'replaced' } })).toBe('ok');
      expect(await Sys.resume(node, sm)).toBe('ok');
      expect(await waiting).toBe('hi');
      expect(await Sys.getState(node, sm)).toEqual({ state: 'idle', data: { report: node.pid, value: 'replaced' } });
      // A state named 'error' is a state, not an error return.
      expect(await Sys.replaceState(node, sm, { state: 'error', data: 'd' })).toBe('ok');
      expect(await Sys.getState(node, sm)).toEqual({ state: 'error', data: 'd' });
      const e = await failureOf(() => Sys.replaceState(node, sm, 'not a { state, data }'));
      expect(e).toBeInstanceOf(CallExitError);
    });

    it('hibernate: from a call and a cast; woken by the next message, not by a status request', async () => {
      const { node } = kind;
      const sm = (await start())!;
      const hibernated = async () => (await Sys.getStatus(node, sm)).hibernated;
      expect(await hibernated()).toBe(false);
      expect(await GenStatem.call(node, sm, 'hibernate')).toBe('hibernating');
      expect(await hibernated()).toBe(true);
      expect(await hibernated()).toBe(true);
      expect(await GenStatem.call(node, sm, 'hi')).toBe('hi');
      expect(await hibernated()).toBe(false);
      GenStatem.cast(node, sm, 'hibernate');
      expect(await hibernated()).toBe(true);
      expect(await GenStatem.call(node, sm, 'hi')).toBe('hi');
      expect(await GenStatem.stop(node, sm)).toBe('ok');
    });
  });
});
