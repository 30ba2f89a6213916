/**
 * gen_server conformance: start, stop and crash. Follows OTP's gen_server_SUITE
 * (erlang/otp lib/stdlib/test):
 *   start            anonymous start, called, stopped by a stop result (the exit reason
 *                    'stopped'); init { ignore } -> null; { error: 'foobar' } and
 *                    { stop: 'stopped' } fail the start with their reason; a registered
 *                    name: called by name, a second start with it fails (NameTakenError,
 *                    OTP's {error, {already_started, Pid}}); after the stop a call is noproc.
 *                    (init timing out: test/otp/gen-server-start-from-node-outcomes.test.ts)
 *   loop_start_fail  five times each: a bad init return, a crash in init
 *   stop1            stop -> 'ok', the process is gone; again -> NoProcError
 *   stop2            stop with another reason and Infinity: that is the exit reason
 *   stop3            an invalid timeout fails at once; the server lives on
 *   stop4            stop by registered name; again -> NoProcError
 *   crash            a crash in handleCall: the caller gets CallExitError with the crash
 *                    reason, terminate runs with it, the server exits with it
 * On 0 schedulers and on 2 (the server on scheduler 1, called from the embedding thread).
 */
import { expect, it } from 'vitest';
import { BadArgError, CallExitError, GenServer, NameTakenError, NoProcError, StartFailedError } from '../../../src/index.ts';
import { failureOf } from '../../contract/node-kinds.ts';
import { describeOnZeroAndTwo, kStartTimeoutMs, watch } from './support.ts';
import { SuiteServer } from './fixtures/suite-servers.ts';

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

describeOnZeroAndTwo('gen_server start/stop', (kind) => {
  const start = (arg?: unknown, name?: string) => GenServer.start(kind.node, SuiteServer, [kind.node.pid, arg as never], { spawn: kind.placeOn(1), name, timeoutMs: kStartTimeoutMs });

  it('start: anonymous, called, stopped by a stop result; then noproc', async () => {
    const { node, inbox } = kind;
    const s = (await start())!;
    const exited = await watch(kind, s);
    expect(await GenServer.call(node, s, 'started_p')).toBe('ok');
    expect(await GenServer.call(node, s, 'stop')).toBe('ok');
    expect(await exited()).toBe('stopped');
    expect(await inbox.next((m) => m?.terminated !== undefined)).toEqual({ terminated: 'stopped' });
    await noProc(GenServer.call(node, s, 'started_p'));
  });

  it('start: ignore -> null; { error } and { stop } fail the start with their reason', async () => {
    expect(await start('ignore')).toBeNull();
    const e = await startFailure(start({ error: 'foobar' }));
    expect(e.reason).toBe('foobar');
    expect(e.message).toBe('the process failed to start: foobar');
    expect((await startFailure(start('stop'))).reason).toBe('stopped');
  });

  it('start: a registered name; a second start with it fails with NameTakenError; stop4 by name', async () => {
    const { node } = kind;
    const name = `my_test_name_${kind.schedulers}`;
    const s = (await start(undefined, name))!;
    expect(await GenServer.call(node, name, 'started_p')).toBe('ok');
    const e = await failureOf(() => start(undefined, name));
    expect(e).toBeInstanceOf(NameTakenError);
    expect(e).toMatchObject({ code: 'ERR_SB_NAME_TAKEN', registeredName: name, message: `name already registered: ${name}` });
    expect(node.whereis(name)).toEqual(s);
    expect(await GenServer.stop(node, name)).toBe('ok');
    expect(node.whereis(name)).toBeUndefined();
    await noProc(GenServer.stop(node, name));
  });

  it('loop_start_fail: a bad init return and a crash in init fail the start, five times each', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await startFailure(start('bad'))).reason).toEqual({ kind: 'bad_return_value', callback: 'init', value: '4711' });
      expect((await startFailure(start('crash'))).reason).toMatchObject({ kind: 'error', name: 'Error', message: 'bailout' });
    }
  });

  it('stop1, stop2, stop3: stop then noproc; another reason; an invalid timeout leaves the server running', async () => {
    const { node, inbox } = kind;
    const a = (await start())!;
    expect(await GenServer.stop(node, a)).toBe('ok');
    expect(await node.processInfo(a)).toBeUndefined();
    expect(await inbox.next((m) => m?.terminated !== undefined)).toEqual({ terminated: 'normal' });
    await noProc(GenServer.stop(node, a));

    const b = (await start())!;
    const exited = await watch(kind, b);
    expect(await GenServer.stop(node, b, 'other_reason', Infinity)).toBe('ok');
    expect(await exited()).toBe('other_reason');
    expect(await inbox.next((m) => m?.terminated !== undefined)).toEqual({ terminated: 'other_reason' });

    const c = (await start())!;
    const bad = await failureOf(() => GenServer.stop(node, c, 'other_reason', 'invalid_timeout' as never));
    expect(bad).toBeInstanceOf(BadArgError);
    expect((bad as BadArgError).message).toBe('GenServer.stop: timeoutMs must be a positive number of milliseconds or Infinity, got invalid_timeout');
    expect(await GenServer.call(node, c, 'started_p')).toBe('ok');
    expect(await GenServer.stop(node, c)).toBe('ok');
  });

  it('crash: the caller gets CallExitError with the crash, terminate runs with it, the server exits with it', async () => {
    const { node, inbox } = kind;
    const s = (await start())!;
    const exited = await watch(kind, s);
    const e = await failureOf(() => GenServer.call(node, s, 'crash'));
    expect(e).toBeInstanceOf(CallExitError);
    const reason = (e as CallExitError).reason;
    expect(reason).toMatchObject({ kind: 'error', name: 'Error', message: 'crashed' });
    expect(await inbox.next((m) => m?.terminated !== undefined)).toEqual({ terminated: reason });
    expect(await exited()).toEqual(reason);
  });
});
