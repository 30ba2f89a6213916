import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Counter } from './fixtures/servers.ts';
import { inActor, recorder, waitFor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('GenServer: terminate', () => {
  it("runs on the parent's 'shutdown' when the server traps exits", async () => {
    node = new LocalNode();
    const rec = recorder(node);
    await inActor(node, function* (ctx: Context) {
      ctx.trapExit(true);
      const c = (yield* GenServer.startLink(ctx, Counter, [7, { report: rec.pid, trapExit: true }]))!;
      ctx.exit(c, 'shutdown');
      yield ctx.receive({ type: 'EXIT', from: c });
    });
    expect(rec.log).toEqual([{ terminated: 'shutdown', n: 7 }]);
  });

  it('does not run when the server does not trap exits and an exit signal ends it', async () => {
    node = new LocalNode();
    const rec = recorder(node);
    const c = (await GenServer.start(node, Counter, [7, { report: rec.pid }]))!;
    node.exit(c, 'shutdown');
    await waitFor(() => node.processInfo(c) === undefined);
    await new Promise((r) => setTimeout(r, 20));
    expect(rec.log).toEqual([]);
  });

  it('runs on a stop result and on a crash, with the reason', async () => {
    node = new LocalNode();
    const rec = recorder(node);
    const a = (await GenServer.start(node, Counter, [1, { report: rec.pid }]))!;
    expect(await GenServer.call(node, a, { stop: 'done' })).toBe('stopping');
    const b = (await GenServer.start(node, Counter, [2, { report: rec.pid }]))!;
    await expect(GenServer.call(node, b, 'crash')).rejects.toBeDefined();
    await waitFor(() => rec.log.length === 2);
    expect(rec.log[0]).toEqual({ terminated: 'done', n: 1 });
    expect(rec.log[1]).toMatchObject({ terminated: { kind: 'error', message: 'boom' }, n: 2 });
  });
});
