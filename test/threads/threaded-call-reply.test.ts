import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallExitError, CallTimeoutError, NoProcError } from '../../src/core/errors.ts';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Collector, Echo, Mortal, Slow } from './fixtures/node-actors.ts';

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
});
afterAll(() => node.stop());

async function expectTimeout(call: Promise<unknown>, timeoutMs: number): Promise<void> {
  const err = await call.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CallTimeoutError);
  expect(err).toMatchObject({ code: 'ERR_SB_CALL_TIMEOUT', timeoutMs, message: `call timed out after ${timeoutMs} ms` });
}

describe('call from the embedding thread', () => {
  it('resolves with the value the actor passed to ctx.reply, on every scheduler', async () => {
    const a = await node.spawn(Echo, [], { scheduler: 0 });
    const b = await node.spawn(Echo, [], { scheduler: 1 });
    expect(await node.call(a, { q: 1 })).toEqual({ echo: { q: 1 }, self: a });
    expect(await node.call(b, [1, 2, 3])).toEqual({ echo: [1, 2, 3], self: b });
    // Many calls in flight at once, each answered by its own reply.
    const many = await Promise.all(Array.from({ length: 200 }, (_, i) => node.call(i % 2 ? a : b, i)));
    expect(many.map((r) => (r as { echo: number }).echo)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('rejects with CallTimeoutError when no reply comes in time, and drops the late reply', async () => {
    const slow = await node.spawn(Slow, [], { scheduler: 1 });
    await expectTimeout(node.call(slow, { after: 100, value: 'late' }, 10), 10);
    expect(node.stats().gateway.pendingCalls).toBe(0);
    // The late reply arrives meanwhile and must not answer this next call.
    expect(await node.call(slow, { after: 0, value: 'fresh' }, 5000)).toBe('fresh');
    const c = await node.spawn(Collector, []);
    await expectTimeout(node.call(c, 'unanswered', 20), 20);
  });

  it('rejects with NoProcError for a dead pid, and CallExitError when the callee exits first', async () => {
    const m = await node.spawn(Mortal, [], { scheduler: 1 });
    expect(await node.call(m, { die: 'bye' })).toBe('dying');
    const noproc = await node.call(m, 'anything', 2000).catch((e: unknown) => e);
    expect(noproc).toBeInstanceOf(NoProcError);
    expect(noproc).toMatchObject({ code: 'ERR_SB_NOPROC', message: `no such process: ${String(m)}` });
    const m2 = await node.spawn(Mortal, [], { scheduler: 0 });
    // A call the callee never answers, and a DOWN that ends it.
    const pending = node.call(m2, 'ignored', 5000);
    node.exit(m2, 'boom');
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallExitError);
    expect(err).toMatchObject({ code: 'ERR_SB_CALL_EXIT', reason: 'boom', message: 'the called process exited: boom' });
  });
});
