import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { makeScheduler } from './helpers.ts';
import { kSendReductions } from '../../src/core/scheduler.ts';

const Idle = { handle: (_m: unknown, st: unknown) => st };

describe('reductions: what costs', () => {
  it('handling a message costs 1', () => {
    const { s } = makeScheduler();
    const pid = s.spawn(Idle);
    for (let i = 0; i < 7; i++) s.send(pid, i);
    s.runUntilIdle();
    expect(s.processInfo(pid)!.reductions).toBe(7);
  });

  it('each send costs kSendReductions (4) more', () => {
    expect(kSendReductions).toBe(4);
    const { s } = makeScheduler();
    const sink = s.spawn(Idle);
    const pid = s.spawn({
      handle(_m: unknown, st: unknown, ctx: Context) {
        for (let i = 0; i < 5; i++) ctx.send(sink, i);
        return st;
      },
    });
    s.send(pid, 'go');
    s.runUntilIdle();
    expect(s.processInfo(pid)!.reductions).toBe(1 + 5 * kSendReductions);
    expect(s.processInfo(pid)!.messagesOut).toBe(5);
    expect(s.processInfo(sink)!.messagesIn).toBe(5);
  });

  it('a spawn costs 10', () => {
    const { s } = makeScheduler();
    const pid = s.spawn({
      handle(_m: unknown, st: unknown, ctx: Context) {
        ctx.spawn(Idle);
        ctx.spawn(Idle);
        return st;
      },
    });
    s.send(pid, 'go');
    s.runUntilIdle();
    expect(s.processInfo(pid)!.reductions).toBe(1 + 20);
  });

  it('ctx.bumpReductions(n) adds n', () => {
    const { s } = makeScheduler();
    const pid = s.spawn({
      handle(m: number, st: unknown, ctx: Context) {
        ctx.bumpReductions(m);
        return st;
      },
    });
    s.send(pid, 250);
    s.runUntilIdle();
    expect(s.processInfo(pid)!.reductions).toBe(251);
    expect(s.counters.reductions).toBeGreaterThanOrEqual(251);
  });

  it('a process-style actor pays 1 per resume', () => {
    const { s } = makeScheduler();
    const pid = s.spawn(function* (ctx: Context) {
      for (;;) yield ctx.receive();
    });
    s.runUntilIdle(); // first step: runs to the first receive
    expect(s.processInfo(pid)!.reductions).toBe(1);
    s.send(pid, 'a');
    s.send(pid, 'b');
    s.runUntilIdle();
    expect(s.processInfo(pid)!.reductions).toBe(3);
  });
});
