import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { NotInActorError } from '../../src/core/errors.ts';
import { makeScheduler, spawnRecorder } from './helpers.ts';

describe('context: used outside its actor', () => {
  it('every ctx method raises NotInActorError once the actor is not running', () => {
    const { s } = makeScheduler();
    const other = spawnRecorder(s).pid;
    let saved: Context | undefined;
    const pid = s.spawn({ handle: (_m: unknown, st: unknown, ctx: Context) => ((saved = ctx), st) });
    s.send(pid, 'go');
    s.runUntilIdle();
    const ctx = saved!;
    const ref = s.makeRef();
    const uses: Array<[string, () => unknown]> = [
      ['self', () => ctx.self],
      ['send', () => ctx.send(other, 1)],
      ['spawn', () => ctx.spawn({ handle: () => 0 })],
      ['spawnLink', () => ctx.spawnLink({ handle: () => 0 })],
      ['spawnMonitor', () => ctx.spawnMonitor({ handle: () => 0 })],
      ['link', () => ctx.link(other)],
      ['unlink', () => ctx.unlink(other)],
      ['monitor', () => ctx.monitor(other)],
      ['demonitor', () => ctx.demonitor(ref)],
      ['exit/1', () => ctx.exit('x')],
      ['exit/2', () => ctx.exit(other, 'x')],
      ['trapExit', () => ctx.trapExit(true)],
      ['setPriority', () => ctx.setPriority('high')],
      ['register', () => ctx.register('n')],
      ['unregister', () => ctx.unregister('n')],
      ['whereis', () => ctx.whereis('n')],
      ['sendAfter', () => ctx.sendAfter(1, other, 1)],
      ['cancelTimer', () => ctx.cancelTimer(ref)],
      ['receive', () => ctx.receive()],
      ['sleep', () => ctx.sleep(1)],
      ['bumpReductions', () => ctx.bumpReductions(1)],
      ['reply', () => ctx.reply({ pid: other, ref }, 1)],
      ['makeRef', () => ctx.makeRef()],
      ['now', () => ctx.now()],
      ['processInfo', () => ctx.processInfo(other)],
      ['isAlive', () => ctx.isAlive(other)],
    ];
    for (const [name, use] of uses) expect(use, name).toThrow(NotInActorError);
    s.runUntilIdle();
    // Nothing was sent, spawned or linked on anyone's behalf.
    expect(s.processInfo(other)!.messageQueueLen).toBe(0);
    expect(s.size).toBe(2);
    expect(s.pendingTimers).toBe(0);
    expect(s.isAlive(other)).toBe(true);
  });

  it('a ctx kept across an await in an actor throws instead of acting as someone else', async () => {
    const { s } = makeScheduler();
    const sink = spawnRecorder(s);
    let failure: unknown;
    const pid = s.spawn({
      handle(_m: unknown, st: unknown, ctx: Context) {
        void Promise.resolve().then(() => {
          try {
            ctx.send(sink.pid, 'late');
          } catch (e) {
            failure = e;
          }
        });
        return st;
      },
    });
    s.send(pid, 'go');
    s.runUntilIdle();
    await Promise.resolve();
    await Promise.resolve();
    expect(failure).toBeInstanceOf(NotInActorError);
    s.runUntilIdle();
    expect(sink.log).toEqual([]);
  });
});
