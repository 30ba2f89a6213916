import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { Pid } from '../../src/core/pid.ts';
import { recordExits } from './helpers.ts';
import { schedulerWithNode, spawnWatcher } from './router-helpers.ts';

describe("router: peer gone for node 1 with 'noconnection'", () => {
  const remote = new Pid(1, 7, 0);

  it('links and monitors to its pids are recorded, then fire: trapped EXIT and DOWN noconnection', () => {
    const { s, node } = schedulerWithNode();
    const { me, got, ref: refOf } = spawnWatcher(s, remote);
    const ref = refOf();
    expect(node.sent).toEqual([
      { op: 'link', to: remote, from: me },
      { op: 'monitor', to: remote, watcher: me, ref },
    ]);
    const info = s.processInfo(me)!;
    expect(info.links).toEqual([remote]);
    expect(info.monitors).toEqual([ref]);

    s.inbound.peerGone(2, 'noconnection'); // another node: nothing of ours points at it
    s.runUntilIdle();
    expect(got).toEqual([]);

    s.inbound.peerGone(1, 'noconnection');
    s.runUntilIdle();
    expect(got).toEqual([
      { type: 'EXIT', from: remote, reason: 'noconnection' },
      { type: 'DOWN', ref, pid: remote, reason: 'noconnection' },
    ]);
    expect(s.processInfo(me)!.links).toEqual([]);
    expect(s.processInfo(me)!.monitors).toEqual([]);
  });

  it('a non-trapping linked actor ends with noconnection', () => {
    const { s } = schedulerWithNode();
    const exits = recordExits(s);
    const me = s.spawn({
      handle(_m: unknown, st: unknown, ctx: Context) {
        ctx.link(remote);
        return st;
      },
    });
    s.send(me, 'go');
    s.runUntilIdle();
    expect(s.isAlive(me)).toBe(true);
    s.inbound.peerGone((p) => p.node === 1, 'noconnection');
    s.runUntilIdle();
    expect(s.isAlive(me)).toBe(false);
    expect(exits.get(me.toString())).toBe('noconnection');
  });

  it('monitors its pids held on local actors are dropped: no DOWN goes out for them', () => {
    const { s, node } = schedulerWithNode();
    const watched = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    const rref = s.makeRef();
    s.inbound.monitorIn(watched, remote, rref);
    expect(s.processInfo(watched)!.monitoredBy).toEqual([remote]);
    s.inbound.peerGone(1, 'noconnection');
    expect(s.processInfo(watched)!.monitoredBy).toEqual([]);
    s.exit(watched, 'kill');
    s.runUntilIdle();
    expect(node.sent).toEqual([]);
  });
});
