import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { Pid, Ref } from '../../src/core/pid.ts';
import { recordExits } from './helpers.ts';
import { schedulerWithNode } from './router-helpers.ts';

describe('router: inbound signals from another node', () => {
  const remote = new Pid(1, 7, 0);
  const idle = { handle: (_m: unknown, st: unknown) => st };

  it("a link or monitor from there to a dead local pid is answered 'noproc' through the transport", () => {
    const { s, node } = schedulerWithNode();
    const dead = s.spawn(idle);
    s.exit(dead, 'kill');
    s.runUntilIdle();
    const ref = new Ref(1, 0, 5);
    s.inbound.linkIn(dead, remote);
    s.inbound.monitorIn(dead, remote, ref);
    expect(node.sent).toEqual([
      { op: 'exit', to: remote, from: dead, reason: 'noproc', viaLink: true },
      { op: 'down', to: remote, ref, pid: dead, reason: 'noproc' },
    ]);
  });

  it('a local actor linked and monitored from there sends its exit and DOWN there when it ends', () => {
    const { s, node } = schedulerWithNode();
    const a = s.spawn(idle);
    const ref = new Ref(1, 0, 9);
    s.inbound.linkIn(a, remote);
    s.inbound.monitorIn(a, remote, ref);
    s.exit(a, 'boom');
    s.runUntilIdle();
    expect(node.sent).toEqual([
      { op: 'exit', to: remote, from: a, reason: 'boom', viaLink: true },
      { op: 'down', to: remote, ref, pid: a, reason: 'boom' },
    ]);
  });

  it('an exit signal through a link acts only while the link exists; a DOWN after demonitor is dropped', () => {
    const { s, node } = schedulerWithNode();
    const exits = recordExits(s);
    const got: unknown[] = [];
    let ref: Ref | undefined;
    const me = s.spawn({
      handle(m: unknown, st: unknown, ctx: Context) {
        if (m === 'watch') ref = ctx.monitor(remote);
        else if (m === 'unwatch') ctx.demonitor(ref!);
        else got.push(m);
        return st;
      },
    });
    s.inbound.exitIn(me, remote, 'boom', true); // not linked: ignored
    s.send(me, 'watch');
    s.send(me, 'unwatch');
    s.runUntilIdle();
    s.inbound.downIn(me, ref!, remote, 'late');
    s.runUntilIdle();
    expect(s.isAlive(me)).toBe(true);
    expect(got).toEqual([]);
    expect(node.sent).toEqual([
      { op: 'monitor', to: remote, watcher: me, ref },
      { op: 'demonitor', to: remote, ref },
    ]);
    s.inbound.linkIn(me, remote);
    s.inbound.exitIn(me, remote, 'boom', true);
    s.runUntilIdle();
    expect(exits.get(me.toString())).toBe('boom');
  });

  it('deliverTo a local pid queues the message; to a dead one drops it', () => {
    const { s } = schedulerWithNode();
    const got: unknown[] = [];
    const me = s.spawn({ handle: (m: unknown, st: unknown) => (got.push(m), st) });
    expect(s.inbound.deliverTo(me, 'hi', 8)).toBe(true);
    expect(s.inbound.deliverTo(new Pid(0, 99, 0), 'lost', 8)).toBe(false);
    s.runUntilIdle();
    expect(got).toEqual(['hi']);
    expect(s.counters.messagesDropped).toBe(1);
  });
});
