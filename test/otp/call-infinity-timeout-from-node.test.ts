import { afterEach, describe, expect, it } from 'vitest';
import { BadArgError } from '../../src/core/errors.ts';
import { LocalNode } from '../../src/core/local-node.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Sys } from '../../src/otp/sys.ts';
import { Task } from '../../src/otp/task.ts';
import { Counter } from './fixtures/servers.ts';
import { SlowSum } from './fixtures/task-work.ts';

let node: LocalNode;
afterEach(() => node?.stop());

// setTimeout clamps a delay it cannot hold (Infinity, > 2^31-1 ms) to 1 ms: a call that
// armed such a timer would fail with CallTimeoutError before any of these answers, each
// of which comes from a timer of the server or task (30 ms later), not from the test.
describe('OTP calls from a node: timeoutMs Infinity waits for ever', () => {
  it('GenServer.call, GenServer.start, Sys and Task.run take Infinity and arm no timer', async () => {
    node = new LocalNode();
    const c = (await GenServer.start(node, Counter, [7], { timeoutMs: Infinity }))!;
    const deferred = GenServer.call(node, c, { defer: 30 }, Infinity);
    expect(node.stats().gateway.pendingCalls).toBe(1);
    expect(await deferred).toBe(7);
    expect(await Sys.getState(node, c, Infinity)).toMatchObject({ n: 7 });
    expect(await Task.run(node, SlowSum, [3, 30], Infinity)).toBe(6);
    expect(node.stats().gateway.pendingCalls).toBe(0);
  });

  it('rejects a timeout that is neither positive milliseconds nor Infinity, sending nothing', async () => {
    node = new LocalNode();
    const c = (await GenServer.start(node, Counter, [0]))!;
    for (const bad of [0, -1, NaN, '5']) {
      const err = await GenServer.call(node, c, 'get', bad as number).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BadArgError);
      expect((err as BadArgError).message).toBe(`call: timeoutMs must be a positive number of milliseconds or Infinity, got ${String(bad)}`);
    }
    expect(node.stats().gateway.pendingCalls).toBe(0);
    expect(await GenServer.call(node, c, 'get')).toBe(0);
  });
});
