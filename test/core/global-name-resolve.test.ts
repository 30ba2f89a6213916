import { afterEach, describe, expect, it } from 'vitest';
import { isCall } from '../../src/core/call-protocol.ts';
import type { Context } from '../../src/core/context.ts';
import { NoProcError, NotRegisteredError } from '../../src/core/errors.ts';
import { setGlobalNameResolver } from '../../src/core/global-name.ts';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { callProcess } from '../../src/otp/call.ts';

// `{ global: name }` is resolved through the thread's resolver (core/global-name.ts) by
// send, monitor and call, from actors and from the node; a name the resolver does not
// know behaves as an unknown local name does.

let node: LocalNode;
afterEach(async () => {
  setGlobalNameResolver(null);
  await node?.stop();
});

describe('{ global: name } destinations', () => {
  it('send, call and monitor go to the pid the resolver names; unknown names fail as unknown local names', async () => {
    node = new LocalNode();
    const got: unknown[] = [];
    const server = await node.spawn({
      handle(m: unknown, st: null, ctx: Context) {
        if (isCall(m)) ctx.reply(m.from, { answer: m.msg });
        else got.push(m);
        return st;
      },
    });
    const table = new Map<string, Pid>([['svc', server]]);
    setGlobalNameResolver({ whereis: (n) => table.get(n) });

    // From the node.
    node.send({ global: 'svc' }, 'from node');
    expect(await node.call({ global: 'svc' }, 'q')).toEqual({ answer: 'q' });
    expect(() => node.send({ global: 'nobody' }, 'x')).toThrow(new NotRegisteredError('{ global: "nobody" }'));
    const e = await node.call({ global: 'nobody' }, 'x').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NoProcError);
    expect((e as NoProcError).message).toBe('no such process: { global: "nobody" }');

    // From an actor: send, a call, a monitor of a known and of an unknown name.
    const report: unknown[] = [];
    await node.spawn(function* (ctx: Context) {
      ctx.send({ global: 'svc' }, 'from actor');
      report.push(yield* callProcess(ctx, { global: 'svc' }, 'q2'));
      try {
        yield* callProcess(ctx, { global: 'nobody' }, 'x');
      } catch (err) {
        report.push((err as Error).constructor.name);
      }
      try {
        ctx.send({ global: 'nobody' }, 'x');
      } catch (err) {
        report.push((err as NotRegisteredError).code);
      }
      const unknown = ctx.monitor({ global: 'nobody' });
      report.push(yield ctx.receive({ type: 'DOWN', ref: unknown }));
      const known = ctx.monitor({ global: 'svc' });
      ctx.exit(server, 'kill');
      report.push(yield ctx.receive({ type: 'DOWN', ref: known }));
    });
    await node.idle();
    expect(got).toEqual(['from node', 'from actor']);
    expect(report[0]).toEqual({ answer: 'q2' });
    expect(report[1]).toBe('NoProcError');
    expect(report[2]).toBe('ERR_SB_NOT_REGISTERED');
    expect(report[3]).toMatchObject({ type: 'DOWN', reason: 'noproc' });
    expect(report[4]).toMatchObject({ type: 'DOWN', reason: 'killed', pid: server });
  });

  it('without a resolver every global name is unknown', async () => {
    node = new LocalNode();
    expect(() => node.send({ global: 'svc' }, 'x')).toThrow(NotRegisteredError);
    await expect(node.call({ global: 'svc' }, 'x')).rejects.toBeInstanceOf(NoProcError);
  });
});
