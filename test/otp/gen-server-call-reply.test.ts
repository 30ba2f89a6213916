import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { CallExitError } from '../../src/core/errors.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Counter } from './fixtures/servers.ts';
import { inActor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('GenServer: call and reply', () => {
  it('answers calls from the embedding thread (node.call) and from an actor (yield* GenServer.call)', async () => {
    node = new LocalNode();
    const pid = (await GenServer.start(node, Counter, [10]))!;
    expect(await node.call(pid, 'get')).toBe(10);
    expect(await GenServer.call(node, pid, { add: 5 })).toBe(15);
    const got = await inActor(node, function* (ctx) {
      const a = yield* GenServer.call(ctx, pid, { add: 1 });
      const b = yield* GenServer.call(ctx, pid, 'get');
      return [a, b];
    });
    expect(got).toEqual([16, 16]);
  });

  it('a wrong message type is a compile error for a typed server pid', async () => {
    node = new LocalNode();
    const pid = (await GenServer.start(node, Counter, [0]))!;
    // @ts-expect-error — 'nope' is not a CounterCall
    const err = await GenServer.call(node, pid, 'nope', 1000).catch((e: unknown) => e);
    // At run time the server crashes on it (its handler uses `in` on the string).
    expect(err).toBeInstanceOf(CallExitError);
    expect(err).toMatchObject({
      code: 'ERR_SB_CALL_EXIT',
      reason: { kind: 'error', name: 'TypeError', message: "Cannot use 'in' operator to search for 'add' in nope" },
    });
    // @ts-expect-error — { add: 'x' } has the wrong field type
    void (() => GenServer.call(node, pid, { add: 'x' }));
    // @ts-expect-error — 'get' is a call, not a cast
    GenServer.cast(node, pid, 'get');
  });
});
