import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { NoProcError } from '../../src/core/errors.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Counter } from './fixtures/servers.ts';
import { inActor, rejectionOf, waitFor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('GenServer: call to a dead or unregistered server', () => {
  it('fails with NoProcError (ERR_SB_NOPROC), from an actor and from the node', async () => {
    node = new LocalNode();
    const c = (await GenServer.start(node, Counter, [0]))!;
    node.exit(c, 'kill');
    await waitFor(async () => (await node.processInfo(c)) === undefined);
    const errs = await inActor(node, function* (ctx) {
      const out: unknown[] = [];
      try {
        yield* GenServer.call(ctx, c, 'get');
      } catch (e) {
        out.push(e);
      }
      try {
        yield* GenServer.call(ctx, 'not_registered', 'get');
      } catch (e) {
        out.push(e);
      }
      return out;
    });
    const fromNode = [await rejectionOf(GenServer.call(node, c, 'get')), await rejectionOf(GenServer.call(node, 'not_registered', 'get'))];
    // The same error from an actor and from the embedding thread: dead pid, unknown name.
    for (const got of [errs, fromNode]) {
      expect(got).toHaveLength(2);
      for (const e of got) expect(e).toBeInstanceOf(NoProcError);
      expect(got).toMatchObject([
        { code: 'ERR_SB_NOPROC', message: `no such process: ${String(c)}` },
        { code: 'ERR_SB_NOPROC', message: 'no such process: not_registered' },
      ]);
    }
  });
});
