/**
 * gen_server conformance: what may follow a callback — continue, a timeout, hibernate.
 * Follows OTP's gen_server_SUITE (erlang/otp lib/stdlib/test):
 *   continue                   handleContinue runs right after the callback that asked
 *                              for it, before a message already queued: from init, a
 *                              call (replied or noreply), a cast, an info; a continue
 *                              may continue again; a continue may stop (exit 'normal')
 *   start_event_timeout        init's timeout: handleInfo('timeout') when nothing comes;
 *                              a call first cancels it (proved by a later probe timer
 *                              coming first)
 *   start_event_timeout_zero   init's timeout of 0 fires at once
 *   handle_event_timeout       a call result's timeout fires when nothing comes
 *   handle_event_timeout_zero  a timeout of 0 with a message already queued: the message
 *                              is handled and the timeout never fires
 *   hibernate                  hibernate from init, a call, a cast, an info: the status says
 *                              hibernated until the next message wakes it (a status request
 *                              does not); a hibernated server answers
 * On 0 schedulers and on 2 (the server on scheduler 1, called from the embedding thread).
 */
import { expect, it } from 'vitest';
import { GenServer, Sys } from '../../../src/index.ts';
import { describeOnZeroAndTwo, kStartTimeoutMs, reports, watch } from './support.ts';
import { SuiteServer } from './fixtures/suite-servers.ts';

const step = (m: any) => m?.continue !== undefined || m?.afterContinue !== undefined || m?.beforeContinue !== undefined;
const timing = (m: any) => m?.eventTimeout !== undefined || m?.probe !== undefined || m?.handledInfo !== undefined;

describeOnZeroAndTwo('gen_server continue/timeout/hibernate', (kind) => {
  const start = (arg?: unknown) => GenServer.start(kind.node, SuiteServer, [kind.node.pid, arg as never], { spawn: kind.placeOn(1), timeoutMs: kStartTimeoutMs });
  const isHibernated = async (s: any) => (await Sys.getStatus(kind.node, s)).hibernated;

  it('continue: from init, a call, a cast, an info; continue again; continue to stop', async () => {
    const { node, inbox } = kind;
    const pair = [{ continue: true }, { afterContinue: true }];
    const s = (await start('continue'))!;
    expect(await reports(inbox, 2, step)).toEqual(pair);
    expect(await GenServer.call(node, s, 'continue_reply')).toBe('ok');
    expect(await reports(inbox, 2, step)).toEqual(pair);
    expect(await GenServer.call(node, s, 'continue_noreply')).toBe('ok');
    expect(await reports(inbox, 2, step)).toEqual(pair);
    GenServer.cast(node, s, 'continue_noreply');
    expect(await reports(inbox, 2, step)).toEqual(pair);
    node.send(s, 'continue_noreply');
    expect(await reports(inbox, 2, step)).toEqual(pair);
    node.send(s, 'continue_continue');
    expect(await reports(inbox, 3, step)).toEqual([{ beforeContinue: true }, ...pair]);
    const exited = await watch(kind, s);
    node.send(s, 'continue_stop');
    expect(await exited()).toBe('normal');
  });

  it('start_event_timeout: it fires when nothing comes; a call first cancels it', async () => {
    const { node, inbox } = kind;
    const a = (await start({ timeout: 20 }))!;
    expect(await inbox.next(timing)).toEqual({ eventTimeout: true });
    expect(await GenServer.stop(node, a)).toBe('ok');
    // The probe is due after the timeout would have been: it comes first only if the
    // call cancelled the timeout (one process's timers fire in deadline order).
    // The timeout is long enough for the call to come first on a loaded machine.
    const b = (await start({ timeout: 800 }))!;
    expect(await GenServer.call(node, b, { probe: 900 })).toBe('pong');
    expect(await inbox.next(timing)).toEqual({ probe: true });
    expect(await GenServer.stop(node, b)).toBe('ok');
  });

  it('start_event_timeout_zero, handle_event_timeout: a timeout of 0 from init; a call result timeout', async () => {
    const { node, inbox } = kind;
    const s = (await start({ timeout: 0 }))!;
    expect(await inbox.next(timing)).toEqual({ eventTimeout: true });
    expect(await GenServer.call(node, s, { timeout: 10 })).toBe('ok');
    expect(await inbox.next(timing)).toEqual({ eventTimeout: true });
    expect(await GenServer.stop(node, s)).toBe('ok');
  });

  it('handle_event_timeout_zero: a message already queued is handled and the timeout of 0 never fires', async () => {
    const { node, inbox } = kind;
    const s = (await start())!;
    expect(await GenServer.call(node, s, { zeroQueued: 30 })).toBe('ok');
    expect(await reports(inbox, 2, timing)).toEqual([{ handledInfo: 'queued' }, { probe: true }]);
    expect(await GenServer.stop(node, s)).toBe('ok');
    expect(inbox.pending().filter(timing)).toEqual([]);
  });

  it('hibernate: from init, a call, a cast, an info; woken by the next message, not by a status request', async () => {
    const { node } = kind;
    const s = (await start({ hibernate: true }))!;
    expect(await isHibernated(s)).toBe(true);
    expect(await isHibernated(s)).toBe(true);
    expect(await GenServer.call(node, s, 'ping')).toBe('pong');
    expect(await isHibernated(s)).toBe(false);
    expect(await GenServer.call(node, s, 'hibernate')).toBe('hibernating');
    expect(await isHibernated(s)).toBe(true);
    expect(await GenServer.call(node, s, 'ping')).toBe('pong');
    GenServer.cast(node, s, 'hibernate');
    expect(await isHibernated(s)).toBe(true);
    GenServer.cast(node, s, { echo: 'wake up' });
    expect(await isHibernated(s)).toBe(false);
    node.send(s, 'hibernate');
    expect(await isHibernated(s)).toBe(true);
    expect(await GenServer.call(node, s, 'ping')).toBe('pong');
    expect(await GenServer.stop(node, s)).toBe('ok');
  });
});
