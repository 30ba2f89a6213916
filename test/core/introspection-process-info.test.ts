import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Pid, Ref } from '../../src/core/pid.ts';
import { makeScheduler } from './helpers.ts';

describe('introspection: processInfo', () => {
  it('reports status, queue length, reductions, memory, links, monitors, behaviour and name', () => {
    const { s } = makeScheduler();
    const peer = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    let ref: Ref | undefined;
    const pid = s.spawn(
      {
        init: () => 0,
        handle(m: string, st: number, ctx: Context) {
          if (m === 'setup') {
            ctx.link(peer);
            ref = ctx.monitor(peer);
          }
          return st + 1;
        },
      },
      [],
      { name: 'probe', priority: 'low' },
    );
    expect(s.processInfo(pid)!.status).toBe('runnable');
    s.send(pid, 'setup');
    s.runUntilIdle();
    s.suspend(pid);
    s.send(pid, 'a');
    s.send(pid, 'b');
    const info = s.processInfo(pid)!;
    expect(info).toMatchObject({
      pid,
      status: 'runnable',
      messageQueueLen: 2,
      links: [peer],
      monitors: [ref],
      monitoredBy: [],
      trapExit: false,
      priority: 'low',
      behaviour: 'closure(handler)',
      instrumented: false,
      registeredName: 'probe',
      inReceive: false,
      dropped: 0,
      messagesIn: 3,
    });
    expect(info.reductions).toBe(2); // init + one message
    expect(info.memory).toBeGreaterThan(0);
    expect(s.processInfo(peer)!.monitoredBy).toEqual([pid]);
    s.runUntilIdle();
    expect(s.processInfo(pid)!.status).toBe('waiting');
  });

  it('reports a process-style actor waiting in receive, and undefined for a dead pid', () => {
    const { s } = makeScheduler();
    const pid: Pid = s.spawn(function* (ctx: Context) {
      yield ctx.receive();
    });
    s.runUntilIdle();
    expect(s.processInfo(pid)).toMatchObject({ status: 'waiting', inReceive: true, behaviour: 'closure(process)' });
    s.send(pid, 'done');
    s.runUntilIdle();
    expect(s.processInfo(pid)).toBeUndefined();
  });

  it('is available from inside an actor through ctx.processInfo', () => {
    const { s } = makeScheduler();
    const statuses: string[] = [];
    const pid = s.spawn({ handle: (_m: unknown, st: unknown, ctx: Context) => (statuses.push(ctx.processInfo(ctx.self)!.status), st) });
    s.send(pid, 1);
    s.runUntilIdle();
    expect(statuses).toEqual(['running']);
  });
});
