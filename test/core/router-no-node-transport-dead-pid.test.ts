import { describe, expect, it } from 'vitest';
import { Pid } from '../../src/core/pid.ts';
import { makeScheduler } from './helpers.ts';
import { spawnWatcher } from './router-helpers.ts';

describe('router: without a node transport a pid of another node is a dead pid', () => {
  const remote = new Pid(1, 7, 0);

  it('a send to it is dropped', () => {
    const { s } = makeScheduler();
    s.send(remote, 'lost');
    expect(s.counters.messagesOut).toBe(1);
    expect(s.counters.messagesDropped).toBe(1);
  });

  it("a link gets an exit signal 'noproc' and a monitor a DOWN 'noproc'", () => {
    const { s } = makeScheduler();
    const { me, got, ref } = spawnWatcher(s, remote);
    expect(got).toEqual([
      { type: 'EXIT', from: remote, reason: 'noproc' },
      { type: 'DOWN', ref: ref(), pid: remote, reason: 'noproc' },
    ]);
    expect(s.processInfo(me)!.links).toEqual([]);
  });
});
