import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { isCall, isReply, type CallRequest } from '../../src/core/call-protocol.ts';
import { makeScheduler } from './helpers.ts';

describe('context: call requests and replies', () => {
  it('ctx.reply answers a $call with a $reply carrying the call ref', () => {
    const { s } = makeScheduler();
    const server = s.spawn({
      handle(m: CallRequest<number>, st: unknown, ctx: Context) {
        if (isCall(m)) ctx.reply(m.from, m.msg * 2);
        return st;
      },
    });
    const got: unknown[] = [];
    s.spawn(function* (ctx: Context) {
      const ref = ctx.makeRef();
      ctx.send(server, { type: '$call', from: { pid: ctx.self, ref }, msg: 21 });
      const r: unknown = yield ctx.receive((m: unknown) => isReply(m) && m.ref === ref);
      got.push(r);
      got.push(ref);
    });
    s.runUntilIdle();
    expect(got[0]).toEqual({ type: '$reply', ref: got[1], value: 42 });
  });
});
