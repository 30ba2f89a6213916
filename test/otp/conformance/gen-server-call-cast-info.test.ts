/**
 * gen_server conformance: calls, casts and other messages. Follows OTP's
 * gen_server_SUITE (erlang/otp lib/stdlib/test):
 *   call        a call answered; a deferred reply (noreply, answered later from a timer)
 *               in time; one not in time fails with CallTimeoutError, the server goes on;
 *               a call to a dead server -> NoProcError
 *   cast        a cast handled (and so a cast to a registered name); a cast to a dead pid
 *               or to a name nobody holds never fails; a cast stop result stops the server
 *   info        any other message goes to handleInfo
 * On 0 schedulers and on 2 (the server on scheduler 1, called from the embedding thread).
 */
import { expect, it } from 'vitest';
import { CallTimeoutError, GenServer, NoProcError } from '../../../src/index.ts';
import { failureOf } from '../../contract/node-kinds.ts';
import { describeOnZeroAndTwo, kStartTimeoutMs, watch } from './support.ts';
import { SuiteServer } from './fixtures/suite-servers.ts';

describeOnZeroAndTwo('gen_server call/cast/info', (kind) => {
  const start = (name?: string) => GenServer.start(kind.node, SuiteServer, [kind.node.pid], { spawn: kind.placeOn(1), name, timeoutMs: kStartTimeoutMs });

  it('call: answered, deferred in time, timed out (the server goes on), noproc after the stop', async () => {
    const { node } = kind;
    const s = (await start())!;
    expect(await GenServer.call(node, s, 'started_p')).toBe('ok');
    expect(await GenServer.call(node, s, { delayed: 1 }, 2000)).toBe('delayed');
    const e = await failureOf(() => GenServer.call(node, s, { delayed: 2000 }, 20));
    expect(e).toBeInstanceOf(CallTimeoutError);
    expect(e).toMatchObject({ code: 'ERR_SB_CALL_TIMEOUT', timeoutMs: 20, message: 'call timed out after 20 ms' });
    expect(await GenServer.call(node, s, 'started_p')).toBe('ok');
    expect(await GenServer.stop(node, s)).toBe('ok');
    const gone = await failureOf(() => GenServer.call(node, s, 'started_p'));
    expect(gone).toBeInstanceOf(NoProcError);
    expect((gone as NoProcError).code).toBe('ERR_SB_NOPROC');
  });

  it('cast: handled, by pid and by name; to a dead pid or an unknown name it never fails; a cast stop', async () => {
    const { node, inbox } = kind;
    const name = `cast_server_${kind.schedulers}`;
    const s = (await start(name))!;
    GenServer.cast(node, s, { echo: 1 });
    GenServer.cast(node, name, { echo: 2 });
    expect(await inbox.next((m) => m?.handledCast === 1)).toEqual({ handledCast: 1 });
    expect(await inbox.next((m) => m?.handledCast === 2)).toEqual({ handledCast: 2 });
    const exited = await watch(kind, s);
    GenServer.cast(node, s, 'stop');
    expect(await exited()).toBe('stopped');
    expect(() => GenServer.cast(node, s, { echo: 3 })).not.toThrow();
    expect(() => GenServer.cast(node, name, { echo: 3 })).not.toThrow();
    expect(() => GenServer.cast(node, 'nobody_has_this_name', { echo: 3 })).not.toThrow();
  });

  it('info: any other message goes to handleInfo', async () => {
    const { node, inbox } = kind;
    const s = (await start())!;
    node.send(s, { echo: 'hello' });
    expect(await inbox.next((m) => m?.handledInfo !== undefined)).toEqual({ handledInfo: 'hello' });
    expect(await GenServer.stop(node, s)).toBe('ok');
  });
});
