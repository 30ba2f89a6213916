/**
 * The local call fast path (src/core/local-call.ts) on one deterministic scheduler: the
 * server's pending-call markers replace the monitor, so every way a call ends must leave
 * no marker, no monitor and no stray message behind, and a server that ends while calls
 * are pending must give each waiting caller its exit reason.
 */
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { CallExitError, CallTimeoutError } from '../../src/core/errors.ts';
import type { Pid } from '../../src/core/pid.ts';
import type { CallRequest } from '../../src/core/call-protocol.ts';
import { hasLocalCallers } from '../../src/core/local-call.ts';
import { callProcess } from '../../src/otp/call.ts';
import { makeScheduler } from './helpers.ts';

/** A handler server: 'hold' keeps the call (answered by 'release'), { quit } exits without replying. */
function holdingServer() {
  const held: CallRequest[] = [];
  const impl = {
    handle(m: unknown, st: undefined, ctx: Context) {
      const r = m as CallRequest<unknown>;
      if (r.type !== '$call') {
        if (m === 'release') for (const h of held.splice(0)) ctx.reply(h.from, 'late');
        if (typeof m === 'object' && m !== null && 'replyThenQuit' in m) {
          for (const h of held.splice(0)) ctx.reply(h.from, 'answered');
          ctx.exit((m as { replyThenQuit: unknown }).replyThenQuit);
        }
        return st;
      }
      if (r.msg === 'ping') ctx.reply(r.from, 'pong');
      else if (r.msg === 'hold') held.push(r);
      else if (typeof r.msg === 'object' && r.msg !== null && 'quit' in r.msg) ctx.exit((r.msg as { quit: unknown }).quit);
      return st;
    },
  };
  return { impl, held };
}

function caller(results: unknown[], server: Pid, msg: unknown, timeoutMs: number) {
  return function* (ctx: Context) {
    try {
      results.push({ ok: yield* callProcess(ctx, server, msg, timeoutMs) });
    } catch (e) {
      results.push({ err: e });
    }
    // Anything still queued for this actor after the call (a late reply, a DOWN) shows here.
    results.push({ queued: ctx.processInfo(ctx.self)!.messageQueueLen, monitors: ctx.processInfo(ctx.self)!.monitors.length });
  };
}

const serverActor = (s: ReturnType<typeof makeScheduler>['s'], pid: Pid) => (s as unknown as { lookup(p: Pid): never }).lookup(pid);

describe('local call: pending-call markers instead of a monitor', () => {
  it('a reply ends the call with no marker, monitor or message left, and no monitor on the server', () => {
    const { s } = makeScheduler();
    const { impl } = holdingServer();
    const server = s.spawn(impl);
    const out: unknown[] = [];
    s.spawn(caller(out, server, 'ping', 5000));
    s.runUntilIdle();
    expect(out).toEqual([{ ok: 'pong' }, { queued: 0, monitors: 0 }]);
    expect(s.processInfo(server)!.monitoredBy).toEqual([]);
    expect(hasLocalCallers(serverActor(s, server))).toBe(false);
  });

  it('the server exiting while calls are pending gives every caller CallExitError with its reason', () => {
    const { s } = makeScheduler();
    const { impl } = holdingServer();
    const server = s.spawn(impl);
    const out: unknown[][] = [[], [], []];
    s.spawn(caller(out[0]!, server, 'hold', 5000));
    s.spawn(caller(out[1]!, server, 'hold', 5000));
    s.runUntilIdle();
    s.spawn(caller(out[2]!, server, { quit: { kind: 'quit', n: 7 } }, 5000));
    s.runUntilIdle();
    for (const o of out) {
      expect(o).toHaveLength(2);
      const err = (o[0] as { err: unknown }).err;
      expect(err).toBeInstanceOf(CallExitError);
      expect(err).toMatchObject({ code: 'ERR_SB_CALL_EXIT', reason: { kind: 'quit', n: 7 } });
      expect(o[1]).toEqual({ queued: 0, monitors: 0 });
    }
  });

  it('a reply and the DOWN both queued (the server replied, then ended): the reply wins and the DOWN is removed', () => {
    const { s } = makeScheduler();
    const { impl, held } = holdingServer();
    const server = s.spawn(impl);
    const out: unknown[] = [];
    s.spawn(caller(out, server, 'hold', 5000));
    s.runUntilIdle();
    expect(held).toHaveLength(1);
    // Reply and exit in one handler run: the caller sees both before it runs again.
    s.send(server, { replyThenQuit: 'bye' });
    s.runUntilIdle();
    expect(out).toEqual([{ ok: 'answered' }, { queued: 0, monitors: 0 }]);
  });

  it('a timeout removes the marker, and the late reply is dropped, never delivered', () => {
    const { s, time } = makeScheduler();
    const { impl } = holdingServer();
    const server = s.spawn(impl);
    const out: unknown[] = [];
    const client = s.spawn(function* (ctx: Context) {
      try {
        yield* callProcess(ctx, server, 'hold', 30);
      } catch (e) {
        out.push(e);
      }
      out.push(yield ctx.receive(undefined, 1000));
    });
    s.runUntilIdle();
    time.advance(30);
    s.runUntilIdle();
    expect(out).toHaveLength(1);
    expect(out[0]).toBeInstanceOf(CallTimeoutError);
    expect(out[0]).toMatchObject({ code: 'ERR_SB_CALL_TIMEOUT', timeoutMs: 30, message: 'call timed out after 30 ms' });
    expect(hasLocalCallers(serverActor(s, server))).toBe(false);
    const dropped = s.counters.messagesDropped;
    s.send(server, 'release');
    s.runUntilIdle();
    expect(s.counters.messagesDropped).toBe(dropped + 1);
    expect(s.processInfo(client)!.messageQueueLen).toBe(0);
    // The server ending now sends the caller nothing: it no longer waits.
    s.exit(server, 'shutdown');
    s.runUntilIdle();
    expect(s.processInfo(client)!.messageQueueLen).toBe(0);
  });

  it('markers of callers that died while waiting are swept, so a long-lived server stays bounded', () => {
    const { s } = makeScheduler();
    const { impl, held } = holdingServer();
    const server = s.spawn(impl);
    for (let i = 0; i < 500; i++) {
      const c = s.spawn(caller([], server, 'hold', 5000));
      s.runUntilIdle();
      s.exit(c, 'kill');
      s.runUntilIdle();
    }
    expect(held).toHaveLength(500);
    const markers = serverActor(s, server) as unknown as { ext: { callers: { list: unknown[] } } };
    expect(markers.ext.callers.list.length).toBeLessThanOrEqual(2 * 64);
  });
});
