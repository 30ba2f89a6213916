import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Sys } from '../../src/otp/sys.ts';
import { Counter, Log } from './fixtures/servers.ts';
import { inActor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('sys: getState, getStatus, replaceState, suspend, resume', () => {
  it('reads and replaces the state; getStatus goes through formatStatus', async () => {
    node = new LocalNode();
    const c = (await GenServer.start(node, Counter, [5]))!;
    expect(await Sys.getState(node, c)).toEqual({ n: 5, report: null });
    const status = await Sys.getStatus(node, c);
    expect(status).toMatchObject({ status: 'running', state: { count: 5 }, queued: 0 });
    expect(status.pid.equals(c)).toBe(true);
    expect(await Sys.replaceState(node, c, { n: 50, report: null })).toBe('ok');
    expect(await GenServer.call(node, c, 'get')).toBe(50);
    const fromActor = await inActor(node, function* (ctx: Context) {
      return yield* Sys.getState(ctx, c);
    });
    expect(fromActor).toEqual({ n: 50, report: null });
  });

  it('a suspended server queues everything but system requests, and resume handles the queue in order', async () => {
    node = new LocalNode();
    const log = (await GenServer.start(node, Log, []))!;
    expect(await Sys.suspend(node, log)).toBe('ok');
    GenServer.cast(node, log, 'a');
    GenServer.cast(node, log, 'b');
    const pendingCall = GenServer.call(node, log, 'get');
    let answered = false;
    void pendingCall.then(() => (answered = true));
    GenServer.cast(node, log, 'c');
    // System requests are still answered while suspended; the casts are not handled.
    expect(await Sys.getState(node, log)).toEqual([]);
    const st = await Sys.getStatus(node, log);
    expect(st.status).toBe('suspended');
    expect(st.queued).toBe(4);
    expect(answered).toBe(false);
    expect(await Sys.resume(node, log)).toBe('ok');
    expect(await pendingCall).toEqual(['a', 'b']);
    expect(await GenServer.call(node, log, 'get')).toEqual(['a', 'b', 'c']);
  });
});
