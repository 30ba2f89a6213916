import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { Pid } from '../../src/core/pid.ts';
import { schedulerWithNode } from './router-helpers.ts';

describe('router: a send to a pid of another node', () => {
  const remote = new Pid(1, 7, 0);

  it('reaches the node transport, from an actor and from outside, costing as a local send', () => {
    const { s, node } = schedulerWithNode();
    const me = s.spawn({
      handle(m: unknown, st: unknown, ctx: Context) {
        ctx.send(remote, { hello: m });
        return st;
      },
    });
    s.send(me, 'a');
    s.runUntilIdle();
    s.send(remote, 'from outside');
    expect(node.sent).toEqual([
      { op: 'send', to: remote, msg: { hello: 'a' } },
      { op: 'send', to: remote, msg: 'from outside' },
    ]);
    expect(s.processInfo(me)!.messagesOut).toBe(1);
    expect(s.counters.messagesOut).toBe(3); // 'a' to me, then the two sends out
    expect(s.counters.messagesDropped).toBe(0);
  });

  it('by a registered name and by a timer reaches it too', () => {
    const { s, node, time } = schedulerWithNode();
    s.registry.add('far', remote);
    s.send('far', 1);
    s.sendAfter(10, remote, 2);
    s.runUntilIdle();
    expect(node.sent).toEqual([{ op: 'send', to: remote, msg: 1 }]);
    time.advance(10);
    s.runUntilIdle();
    expect(node.sent).toEqual([
      { op: 'send', to: remote, msg: 1 },
      { op: 'send', to: remote, msg: 2 },
    ]);
  });

  it('a local pid never reaches it', () => {
    const { s, node } = schedulerWithNode();
    const got: unknown[] = [];
    const local = s.spawn({ handle: (m: unknown, st: unknown) => (got.push(m), st) });
    s.send(local, 'here');
    s.runUntilIdle();
    expect(got).toEqual(['here']);
    expect(node.sent).toEqual([]);
  });
});
