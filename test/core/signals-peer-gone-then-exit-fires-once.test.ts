// One EXIT per link and one DOWN per monitor, even when a peer-gone fired them first: a
// guest of a dead home (threads/migration.ts) is still a live local actor here, so the
// peer-gone path fires its watchers' link and monitor, and its own exit a moment later
// must not fire them again (Erlang: a monitor delivers exactly one DOWN).
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Scheduler } from '../../src/core/scheduler.ts';

/** A target, and a watcher that traps exits, links to it and monitors it; `got` is what the watcher receives. */
function watched(): { s: Scheduler; target: Pid; watcher: Pid; got: unknown[] } {
  const s = new Scheduler();
  const target = s.spawn({ handle: (_m: unknown, st: unknown) => st });
  const got: unknown[] = [];
  const watcher = s.spawn({
    handle(m: unknown, st: unknown, ctx: Context) {
      if (m === 'watch') {
        ctx.trapExit(true);
        ctx.link(target);
        ctx.monitor(target);
      } else got.push(m);
      return st;
    },
  });
  s.send(watcher, 'watch');
  s.runUntilIdle();
  return { s, target, watcher, got };
}

describe('signals: peer gone, then the actor itself exits', () => {
  it('the watcher gets one trapped EXIT and one DOWN, with the peer-gone reason', () => {
    const { s, target, watcher, got } = watched();
    s.inbound.peerGone((p: Pid) => p === target, 'home gone');
    s.runUntilIdle();
    s.exit(target, 'kill');
    s.runUntilIdle();

    expect(s.isAlive(target)).toBe(false);
    expect(got).toHaveLength(2);
    expect(got).toContainEqual({ type: 'EXIT', from: target, reason: 'home gone' });
    expect(got).toContainEqual(expect.objectContaining({ type: 'DOWN', pid: target, reason: 'home gone' }));
    expect(s.processInfo(watcher)!.monitors).toEqual([]);
    expect(s.processInfo(watcher)!.links).toEqual([]);
  });

  it('without a peer-gone, the exit fires the link and the monitor once, with the exit reason', () => {
    const { s, target, got } = watched();
    s.exit(target, 'boom');
    s.runUntilIdle();
    expect(got).toHaveLength(2);
    expect(got).toContainEqual({ type: 'EXIT', from: target, reason: 'boom' });
    expect(got).toContainEqual(expect.objectContaining({ type: 'DOWN', pid: target, reason: 'boom' }));
  });
});
