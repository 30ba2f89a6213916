import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { NotRunningError } from '../../src/core/errors.ts';
import { LocalNode } from '../../src/core/local-node.ts';

describe('LocalNode: stop', () => {
  it('runs the hooks while calls work, then rejects pending calls and refuses every operation with NotRunningError', async () => {
    const node = new LocalNode();
    const mute = await node.spawn({ handle: (_m: unknown, st: unknown) => st });
    const echo = await node.spawn({
      handle(m: { from: never }, st: unknown, ctx: Context) {
        ctx.reply(m.from, 'pong');
        return st;
      },
    });
    const pending = node.call(mute, 'never answered', 60_000).catch((e: unknown) => e);
    let inHook: unknown;
    node.onStop(async () => {
      inHook = [node.running, await node.call(echo, 'ping')];
    });
    await node.stop();
    expect(inHook).toEqual([false, 'pong']);
    const err = await pending;
    expect(err).toBeInstanceOf(NotRunningError);
    expect((err as NotRunningError).message).toBe('the node stopped before the call was answered');
    expect(node.running).toBe(false);
    expect(node.stats().schedulers[0]!.state).toBe('stopped');

    await expect(node.spawn({ handle: (_m: unknown, st: unknown) => st })).rejects.toBeInstanceOf(NotRunningError);
    await expect(node.call(echo, 'ping')).rejects.toBeInstanceOf(NotRunningError);
    await expect(node.register('x', echo)).rejects.toBeInstanceOf(NotRunningError);
    await expect(node.processInfo(echo)).rejects.toBeInstanceOf(NotRunningError);
    await expect(node.processes()).rejects.toBeInstanceOf(NotRunningError);
    await expect(node.applyOnSchedulers({ module: 'x', export: 'y' })).rejects.toBeInstanceOf(NotRunningError);
    expect(() => node.send(echo, 'x')).toThrow(NotRunningError);
    expect(() => node.exit(echo, 'kill')).toThrow(NotRunningError);
    expect(() => node.whereis('x')).toThrow(NotRunningError);
    expect(() => node.unregister('x')).toThrow(NotRunningError);
    expect(() => node.registered()).toThrow(NotRunningError);
    // stop is idempotent.
    await node.stop();
  });
});
