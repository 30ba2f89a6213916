/**
 * gen_server conformance: sys inspection. Follows OTP's gen_server_SUITE
 * (erlang/otp lib/stdlib/test):
 *   call_format_status      Sys.getStatus shows formatStatus's view of the state, by pid
 *                           and by registered name
 *   crash_in_format_status  a formatStatus that throws: the status shows
 *                           { kind: 'format_status_crashed', reason } and the server goes on
 *   get_state               Sys.getState, by pid and by name, also while suspended
 *   replace_state           replaced (a value: OTP passes a fun), also while suspended
 * On 0 schedulers and on 2 (the server on scheduler 1, called from the embedding thread).
 */
import { expect, it } from 'vitest';
import { GenServer, Sys } from '../../../src/index.ts';
import { describeOnZeroAndTwo, kStartTimeoutMs, watch } from './support.ts';
import { FormatCrashServer, SuiteServer } from './fixtures/suite-servers.ts';

describeOnZeroAndTwo('gen_server sys', (kind) => {
  const start = (name?: string) => GenServer.start(kind.node, SuiteServer, [kind.node.pid], { spawn: kind.placeOn(1), name, timeoutMs: kStartTimeoutMs });

  it('call_format_status: the status shows formatStatus, by pid and by name', async () => {
    const { node } = kind;
    const name = `gstm_${kind.schedulers}`;
    const s = (await start(name))!;
    for (const target of [s, name]) {
      expect(await Sys.getStatus(node, target)).toEqual({
        pid: s,
        status: 'running',
        behaviour: 'suite-servers.ts#SuiteServer',
        state: { formatted: 'called format_status' },
        queued: 0,
        hibernated: false,
        parent: expect.anything(),
      });
    }
    expect(await GenServer.stop(node, s)).toBe('ok');
  });

  it('crash_in_format_status: the crash is shown as the state; the server goes on and stops', async () => {
    const { node } = kind;
    const s = (await GenServer.start(node, FormatCrashServer, [node.pid], { spawn: kind.placeOn(1), timeoutMs: kStartTimeoutMs }))!;
    const status = await Sys.getStatus(node, s);
    expect(status.state).toMatchObject({ kind: 'format_status_crashed', reason: { kind: 'error', name: 'Error', message: 'format_status crashed' } });
    const exited = await watch(kind, s);
    expect(await GenServer.call(node, s, 'stop')).toBe('ok');
    expect(await exited()).toBe('stopped');
  });

  it('get_state, replace_state: by pid and name, also while suspended', async () => {
    const { node } = kind;
    const name = `gsrv_${kind.schedulers}`;
    const s = (await start(name))!;
    expect(await Sys.getState(node, s)).toEqual({ report: node.pid });
    expect(await Sys.getState(node, name, 5000)).toEqual({ report: node.pid });
    expect(await Sys.replaceState(node, s, { report: node.pid, n: 1 })).toBe('ok');
    expect(await Sys.getState(node, s)).toEqual({ report: node.pid, n: 1 });
    expect(await Sys.suspend(node, s)).toBe('ok');
    expect(await Sys.getState(node, s)).toEqual({ report: node.pid, n: 1 });
    expect(await Sys.replaceState(node, s, { report: node.pid, n: 2 })).toBe('ok');
    expect(await Sys.resume(node, s)).toBe('ok');
    expect(await Sys.getState(node, name)).toEqual({ report: node.pid, n: 2 });
    expect(await GenServer.call(node, s, 'started_p')).toBe('ok');
    expect(await GenServer.stop(node, s)).toBe('ok');
  });
});
