import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { makeScheduler, spawnRecorder } from './helpers.ts';

function withTerminate(calls: unknown[][]) {
  return {
    init: () => ({ n: 0 }),
    handle(m: string, st: { n: number }, ctx: Context) {
      if (m === 'crash') throw new Error('crashed');
      if (m === 'stop') ctx.exit('stopped');
      return { n: st.n + 1 };
    },
    terminate(reason: unknown, st: { n: number }) {
      calls.push([reason, st.n]);
    },
  };
}

describe('terminate callback', () => {
  it('is called with the exit reason and the last state', () => {
    const { s } = makeScheduler();
    const calls: unknown[][] = [];
    const a = s.spawn(withTerminate(calls));
    s.send(a, 'x');
    s.send(a, 'x');
    s.send(a, 'stop');
    s.runUntilIdle();
    const b = s.spawn(withTerminate(calls));
    s.send(b, 'crash');
    s.runUntilIdle();
    const c = s.spawn(withTerminate(calls));
    s.runUntilIdle();
    s.exit(c, 'shutdown');
    s.runUntilIdle();
    expect(calls).toEqual([
      ['stopped', 2],
      [expect.objectContaining({ kind: 'error', message: 'crashed' }), 0],
      ['shutdown', 0],
    ]);
  });

  it('is not called when the actor is killed', () => {
    const { s } = makeScheduler();
    const calls: unknown[][] = [];
    const a = s.spawn(withTerminate(calls));
    s.runUntilIdle();
    s.exit(a, 'kill');
    s.runUntilIdle();
    expect(calls).toEqual([]);
    expect(s.isAlive(a)).toBe(false);
  });

  it('is not called when init failed', () => {
    const { s } = makeScheduler();
    const calls: unknown[] = [];
    s.spawn({
      init() {
        throw new Error('init failed');
      },
      handle: (_m: unknown, st: unknown) => st,
      terminate: (r: unknown) => calls.push(r),
    });
    s.runUntilIdle();
    expect(calls).toEqual([]);
  });

  it('can still send: its messages are delivered, and an exception in it does not change the reason', () => {
    const { s } = makeScheduler();
    const sink = spawnRecorder(s);
    const reasons: unknown[] = [];
    s.onExit = (_p, r) => reasons.push(r);
    const a = s.spawn({
      handle: (_m: unknown, st: unknown) => st,
      terminate(reason: unknown, _st: unknown, ctx: Context) {
        ctx.send(sink.pid, ['bye', reason]);
        throw new Error('terminate failed');
      },
    });
    s.exit(a, 'done');
    s.runUntilIdle();
    expect(sink.log).toEqual([['bye', 'done']]);
    expect(reasons).toEqual(['done']);
  });
});
