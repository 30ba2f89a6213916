import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { StartFailedError } from '../../src/otp/errors.ts';
import { Counter } from './fixtures/servers.ts';
import { inActor, waitFor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('GenServer: init results', () => {
  it('{ stop } fails the start with the reason; the linked starter is not killed', async () => {
    node = new LocalNode();
    const out = await inActor(node, function* (ctx: Context) {
      try {
        yield* GenServer.startLink(ctx, Counter, [0, { init: 'stop' }]);
        return null;
      } catch (e) {
        // Still alive and not trapping exits: the failed child unlinked before exiting.
        return { e, alive: ctx.isAlive(ctx.self) };
      }
    });
    expect(out!.e).toBeInstanceOf(StartFailedError);
    expect((out!.e as StartFailedError).reason).toBe('no_thanks');
    await expect(GenServer.start(node, Counter, [0, { init: 'stop' }])).rejects.toMatchObject({ reason: 'no_thanks' });
  });

  it('{ ignore } starts nothing and returns null', async () => {
    node = new LocalNode();
    const before = (await node.processes()).length;
    const r = await inActor(node, function* (ctx: Context) {
      return yield* GenServer.startLink(ctx, Counter, [0, { init: 'ignore' }]);
    });
    expect(r).toBeNull();
    expect(await GenServer.start(node, Counter, [0, { init: 'ignore' }])).toBeNull();
    expect((await node.processes()).length).toBe(before);
  });

  it('a throw in init fails the start with the error as reason', async () => {
    node = new LocalNode();
    const r = await inActor(node, function* (ctx: Context) {
      ctx.trapExit(true);
      try {
        yield* GenServer.startLink(ctx, Counter, [0, { init: 'throw' }]);
        return null;
      } catch (e) {
        return { reason: (e as StartFailedError).reason, queued: ctx.processInfo(ctx.self)!.messageQueueLen };
      }
    });
    expect(r).toMatchObject({ reason: { kind: 'error', message: 'init blew up' }, queued: 0 });
  });

  it('a start from a node that gets no answer in time fails with reason timeout and kills the process', async () => {
    node = new LocalNode();
    const before = (await node.processes()).length;
    // A plain handler never answers the start protocol: it stands for an init that never ends.
    const mute = { handle: (_m: unknown, st: unknown) => st };
    const err = await GenServer.start(node, mute, [], { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartFailedError);
    expect((err as StartFailedError).reason).toBe('timeout');
    // The child was killed before the starter answered; the starter ends right after.
    await waitFor(async () => (await node.processes()).length === before);
  });
});
