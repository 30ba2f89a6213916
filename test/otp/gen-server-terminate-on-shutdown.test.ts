import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { CallExitError } from '../../src/core/errors.ts';
import type { Pid } from '../../src/core/pid.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Counter } from './fixtures/servers.ts';
import { inActor, recorder, waitFor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('GenServer: terminate', () => {
  it("runs on the parent's 'shutdown' when the server traps exits", async () => {
    node = new LocalNode();
    const rec = await recorder(node);
    await inActor(node, function* (ctx: Context) {
      ctx.trapExit(true);
      const c = (yield* GenServer.startLink(ctx, Counter, [7, { report: rec.pid, trapExit: true }]))!;
      ctx.exit(c, 'shutdown');
      yield ctx.receive({ type: 'EXIT', from: c });
    });
    await waitFor(() => rec.log.length > 0);
    expect(rec.log).toEqual([{ terminated: 'shutdown', n: 7 }]);
  });

  it('does not run when the server does not trap exits and an exit signal ends it', async () => {
    node = new LocalNode();
    // The server reports to the actor that monitors it. What terminate would send comes
    // from the server before its DOWN (signals between one pair keep their order), so
    // everything the actor has received once the DOWN is in is all terminate sent.
    const { server, got } = await inActor(node, function* (ctx: Context) {
      const c = (yield* GenServer.start(ctx, Counter, [7, { report: ctx.self }]))!;
      const ref = ctx.monitor(c);
      ctx.exit(c, 'shutdown');
      const seen: unknown[] = [];
      for (;;) {
        const m = (yield ctx.receive()) as { type?: unknown; ref?: unknown };
        seen.push(m);
        if (m.type === 'DOWN' && m.ref === ref) return { server: c as Pid, got: seen };
      }
    });
    expect(got).toEqual([expect.objectContaining({ type: 'DOWN', pid: server, reason: 'shutdown' })]);
    expect(await node.processInfo(server)).toBeUndefined();
  });

  it('runs on a stop result and on a crash, with the reason', async () => {
    node = new LocalNode();
    const rec = await recorder(node);
    const a = (await GenServer.start(node, Counter, [1, { report: rec.pid }]))!;
    expect(await GenServer.call(node, a, { stop: 'done' })).toBe('stopping');
    const b = (await GenServer.start(node, Counter, [2, { report: rec.pid }]))!;
    const err = await GenServer.call(node, b, 'crash').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CallExitError);
    expect(err).toMatchObject({ code: 'ERR_SB_CALL_EXIT', reason: { kind: 'error', name: 'Error', message: 'boom' } });
    await waitFor(() => rec.log.length === 2);
    expect(rec.log[0]).toEqual({ terminated: 'done', n: 1 });
    expect(rec.log[1]).toMatchObject({ terminated: { kind: 'error', message: 'boom' }, n: 2 });
  });
});
