import { afterEach, describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { BadArgError, CallExitError, CallTimeoutError, NoProcError, UnsendableError } from '../../src/core/errors.ts';
import { LocalNode } from '../../src/core/local-node.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('LocalNode: call failures', () => {
  it('NoProcError for an unknown name or a dead pid, CallExitError when the callee exits first, BadArgError for a bad destination', async () => {
    node = new LocalNode();
    const err1 = await node.call('nobody', 'x').catch((e: unknown) => e);
    expect(err1).toBeInstanceOf(NoProcError);
    expect((err1 as NoProcError).message).toBe('no such process: nobody');
    const dead = await node.spawn(function* () {});
    await node.idle();
    expect(await node.processInfo(dead)).toBeUndefined();
    expect(await node.call(dead, 'x').catch((e: unknown) => e)).toBeInstanceOf(NoProcError);
    const quitter = await node.spawn(function* (ctx: Context) {
      yield ctx.receive();
      ctx.exit('bye');
    });
    const err2 = await node.call(quitter, 'x').catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(CallExitError);
    expect((err2 as CallExitError).reason).toBe('bye');
    const err3 = await node.call(42 as never, 'x').catch((e: unknown) => e);
    expect(err3).toBeInstanceOf(BadArgError);
    expect((err3 as BadArgError).message).toBe('call: destination must be a pid, a registered name, { name, node } or { global }');
    expect(node.stats().gateway.pendingCalls).toBe(0);
  });

  it('an unsendable request rejects and leaves no monitor; a timeout drops the late reply instead of emitting it', async () => {
    node = new LocalNode();
    const held: { from?: never } = {};
    const slow = await node.spawn({
      handle(m: { from: never }, st: unknown) {
        held.from = m.from;
        return st;
      },
    });
    await expect(node.call(slow, () => 1)).rejects.toBeInstanceOf(UnsendableError);
    expect((await node.processInfo(slow))!.monitoredBy).toEqual([]);

    const emitted: unknown[] = [];
    node.on('message', (m) => emitted.push(m));
    const err = await node.call(slow, 'late', 20).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallTimeoutError);
    expect((await node.processInfo(slow))!.monitoredBy).toEqual([]);
    // Answer now, after the timeout, then send a marker: the marker is emitted, the reply is not.
    const marker = new Promise((r) => node.once('message', r));
    await node.spawn(function* (ctx: Context, from: never, gateway: never) {
      ctx.reply(from, 'too late');
      ctx.send(gateway, 'marker');
    }, [held.from, node.pid]);
    expect(await marker).toBe('marker');
    expect(emitted).toEqual(['marker']);
  });
});
