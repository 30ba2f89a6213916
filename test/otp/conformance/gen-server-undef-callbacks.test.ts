/**
 * gen_server conformance: callbacks left out. Follows OTP's gen_server_SUITE
 * (erlang/otp lib/stdlib/test, group undef_callbacks, with data/oc_server.erl):
 *   undef_handle_call      a call to a server without handleCall: the caller gets
 *                          CallExitError and the server exits, both with
 *                          { kind: 'bad_call', ... } (OTP: an undef exit)
 *   undef_handle_cast      a cast: the server exits with { kind: 'bad_cast', ... }
 *   undef_handle_info      another message is dropped; the server goes on (OTP also logs
 *                          a warning)
 *   undef_handle_continue  a continue asked for without handleContinue: the server exits
 *                          with { kind: 'bad_continue', ... }
 *   undef_init             defineGenServer without init throws BadArgError at once (OTP:
 *                          the start returns {error, undef})
 *   undef_code_change      Sys.changeCode without codeChange keeps the state: 'ok' (OTP:
 *                          {error, {'EXIT', undef}})
 *   undef_terminate1/2     no terminate: stop 'normal' / stop { error: 'test' } end the
 *                          server with that reason
 *   undef_in_terminate     terminate calls a missing function: the stop fails with
 *                          CallExitError carrying the TypeError; that is the exit reason
 * On 0 schedulers and on 2 (the server on scheduler 1, called from the embedding thread).
 */
import { expect, it } from 'vitest';
import { BadArgError, CallExitError, GenServer, Sys, defineGenServer } from '../../../src/index.ts';
import { failureOf } from '../../contract/node-kinds.ts';
import { describeOnZeroAndTwo, kStartTimeoutMs, watch } from './support.ts';
import { BadTerminateServer, BareServer, NoContinueServer } from './fixtures/suite-servers.ts';

describeOnZeroAndTwo('gen_server undefined callbacks', (kind) => {
  const bare = () => GenServer.start(kind.node, BareServer, [kind.node.pid], { spawn: kind.placeOn(1), timeoutMs: kStartTimeoutMs });

  it('undef_handle_call: the caller and the exit get { kind: "bad_call" }', async () => {
    const s = (await bare())!;
    const exited = await watch(kind, s);
    const e = await failureOf(() => GenServer.call(kind.node, s, 'hi'));
    const reason = { kind: 'bad_call', message: 'handleCall is not defined' };
    expect(e).toBeInstanceOf(CallExitError);
    expect((e as CallExitError).reason).toEqual(reason);
    expect(await exited()).toEqual(reason);
  });

  it('undef_handle_cast: the server exits with { kind: "bad_cast" }', async () => {
    const s = (await bare())!;
    const exited = await watch(kind, s);
    GenServer.cast(kind.node, s, 'hi');
    expect(await exited()).toEqual({ kind: 'bad_cast', message: 'handleCast is not defined' });
  });

  it('undef_handle_info: another message is dropped and the server goes on', async () => {
    const s = (await bare())!;
    kind.node.send(s, 'hej');
    expect(await Sys.getState(kind.node, s)).toEqual({ report: kind.node.pid });
    expect(await kind.node.processInfo(s)).toBeDefined();
    expect(await GenServer.stop(kind.node, s)).toBe('ok');
  });

  it('undef_handle_continue: the server exits with { kind: "bad_continue" }', async () => {
    const s = (await GenServer.start(kind.node, NoContinueServer, [kind.node.pid], { spawn: kind.placeOn(1), timeoutMs: kStartTimeoutMs }))!;
    const exited = await watch(kind, s);
    GenServer.cast(kind.node, s, 'go');
    expect(await exited()).toEqual({ kind: 'bad_continue', message: 'handleContinue is not defined' });
  });

  it('undef_init: defineGenServer without init throws BadArgError', () => {
    const e = (() => {
      try {
        defineGenServer(import.meta.url, {} as never);
      } catch (x) {
        return x;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(BadArgError);
    expect(e).toMatchObject({ code: 'ERR_SB_BADARG', message: 'defineGenServer: impl.init must be a function' });
  });

  it('undef_code_change: Sys.changeCode without codeChange keeps the state', async () => {
    const s = (await bare())!;
    expect(await Sys.suspend(kind.node, s)).toBe('ok');
    expect(await Sys.changeCode(kind.node, s, 'old_vsn', 'extra')).toBe('ok');
    expect(await Sys.resume(kind.node, s)).toBe('ok');
    expect(await Sys.getState(kind.node, s)).toEqual({ report: kind.node.pid });
    expect(await GenServer.stop(kind.node, s)).toBe('ok');
  });

  it('undef_terminate1, undef_terminate2: without terminate, a stop ends the server with its reason', async () => {
    const a = (await bare())!;
    const aExit = await watch(kind, a);
    expect(await GenServer.stop(kind.node, a)).toBe('ok');
    expect(await aExit()).toBe('normal');
    const b = (await bare())!;
    const bExit = await watch(kind, b);
    expect(await GenServer.stop(kind.node, b, { error: 'test' }, Infinity)).toBe('ok');
    expect(await bExit()).toEqual({ error: 'test' });
  });

  it('undef_in_terminate: the stop fails with the crash of terminate, the exit reason', async () => {
    const s = (await GenServer.start(kind.node, BadTerminateServer, [kind.node.pid], { spawn: kind.placeOn(1), timeoutMs: kStartTimeoutMs }))!;
    const exited = await watch(kind, s);
    const e = await failureOf(() => GenServer.stop(kind.node, s));
    expect(e).toBeInstanceOf(CallExitError);
    const reason = (e as CallExitError).reason;
    expect(reason).toMatchObject({ kind: 'error', name: 'TypeError', message: 'st.undefinedFunction is not a function' });
    expect(await exited()).toEqual(reason);
  });
});
