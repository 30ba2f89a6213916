import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { CallExitError } from '../../src/core/errors.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Counter } from './fixtures/servers.ts';
import { inActor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('GenServer: a crash while handling a call', () => {
  it('gives the caller a CallExitError carrying the reason, not a hang', async () => {
    node = new LocalNode();
    const c = (await GenServer.start(node, Counter, [0]))!;
    const err = await inActor(node, function* (ctx) {
      try {
        yield* GenServer.call(ctx, c, 'crash', 60_000);
        return null;
      } catch (e) {
        return e;
      }
    });
    expect(err).toBeInstanceOf(CallExitError);
    expect((err as CallExitError).code).toBe('ERR_SB_CALL_EXIT');
    expect((err as CallExitError).reason).toMatchObject({ kind: 'error', message: 'boom' });
    const c2 = (await GenServer.start(node, Counter, [0]))!;
    await expect(GenServer.call(node, c2, 'crash', 60_000)).rejects.toMatchObject({ code: 'ERR_SB_CALL_EXIT', reason: { message: 'boom' } });
  });
});
