import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { CallTimeoutError } from '../../src/core/errors.ts';
import { TIMEOUT } from '../../src/core/reason.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Counter } from './fixtures/servers.ts';
import { inActor, rejectionOf } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('GenServer: call timeout', () => {
  it('fails with CallTimeoutError, and the late reply never lands in the caller mailbox', async () => {
    node = new LocalNode();
    const c = (await GenServer.start(node, Counter, [3]))!;
    const out = await inActor(node, function* (ctx) {
      let err: unknown = null;
      try {
        // The server answers after 150 ms (a deferred reply); we wait 30 ms.
        yield* GenServer.call(ctx, c, { defer: 150 }, 30);
      } catch (e) {
        err = e;
      }
      // Wait well past the late reply, accepting any message at all.
      const late = yield ctx.receive(undefined, 400);
      // The server is alive and still answers.
      const n = yield* GenServer.call(ctx, c, 'get');
      return { err, late, n, queued: ctx.processInfo(ctx.self)!.messageQueueLen };
    });
    expect(out.err).toBeInstanceOf(CallTimeoutError);
    expect(out.err).toMatchObject({ code: 'ERR_SB_CALL_TIMEOUT', timeoutMs: 30, message: 'call timed out after 30 ms' });
    expect(out.late).toBe(TIMEOUT);
    expect(out.n).toBe(3);
    expect(out.queued).toBe(0);
    expect(node.scheduler.counters.messagesDropped).toBeGreaterThanOrEqual(1);
  });

  it('from the embedding thread: rejects with CallTimeoutError', async () => {
    node = new LocalNode();
    const c = (await GenServer.start(node, Counter, [3]))!;
    const err = await rejectionOf(GenServer.call(node, c, { defer: 150 }, 30));
    expect(err).toBeInstanceOf(CallTimeoutError);
    expect(err).toMatchObject({ code: 'ERR_SB_CALL_TIMEOUT', timeoutMs: 30, message: 'call timed out after 30 ms' });
  });
});
