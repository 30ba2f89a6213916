import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { isExitMessage } from '../../src/core/reason.ts';
import { makeScheduler, spawnRecorder } from './helpers.ts';

describe('exit signals: trapExit', () => {
  it('turns the exit of a linked process into an EXIT message instead of dying', () => {
    const { s } = makeScheduler();
    const got: unknown[] = [];
    let child: Pid | undefined;
    const sup = s.spawn({
      init: () => null,
      handle(m: unknown, st: unknown, ctx: Context) {
        if (m === 'start') {
          expect(ctx.trapExit(true)).toBe(false);
          child = ctx.spawnLink({ handle: (x: string, cs: unknown) => { throw new Error(x); } });
        } else got.push(m);
        return st;
      },
    });
    s.send(sup, 'start');
    s.runUntilIdle();
    expect(s.processInfo(sup)!.trapExit).toBe(true);
    s.send(child!, 'oops');
    s.runUntilIdle();
    expect(s.isAlive(sup)).toBe(true);
    expect(got).toMatchObject([{ type: 'EXIT', from: child, reason: { kind: 'error', message: 'oops' } }]);
    expect(isExitMessage(got[0])).toBe(true);
    expect(s.processInfo(sup)!.links).toEqual([]);
  });

  it("a trapping actor also gets EXIT for a linked 'normal' exit", () => {
    const { s } = makeScheduler();
    const sink = spawnRecorder(s);
    const trapper = s.spawn(function* (ctx: Context) {
      ctx.trapExit(true);
      const kid = ctx.spawnLink(function* () {});
      ctx.send(sink.pid, yield ctx.receive());
      ctx.send(sink.pid, kid);
    });
    s.runUntilIdle();
    const kid = sink.log[1];
    expect(sink.log[0]).toEqual({ type: 'EXIT', from: kid, reason: 'normal' });
    expect(s.isAlive(trapper)).toBe(false);
  });

  it('the trapExit spawn option sets the flag from the start', () => {
    const { s } = makeScheduler();
    const pid = s.spawn({ handle: (_m: unknown, st: unknown) => st }, [], { trapExit: true });
    expect(s.processInfo(pid)!.trapExit).toBe(true);
    s.exit(pid, 'please');
    s.runUntilIdle();
    expect(s.isAlive(pid)).toBe(true);
  });
});
