import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { UnsendableError, SwitchboardError } from '../../src/core/errors.ts';
import { makeScheduler, recordExits, spawnRecorder } from './helpers.ts';

class Point {
  constructor(public x: number, public y: number) {}
}

function sendError(msg: unknown): UnsendableError {
  const { s } = makeScheduler();
  const { pid, log } = spawnRecorder(s);
  let caught: unknown;
  try {
    s.send(pid, msg);
  } catch (e) {
    caught = e;
  }
  s.runUntilIdle();
  expect(log).toEqual([]); // nothing was delivered
  expect(caught).toBeInstanceOf(UnsendableError);
  expect(caught).toBeInstanceOf(SwitchboardError);
  expect((caught as UnsendableError).code).toBe('ERR_SB_UNSENDABLE');
  return caught as UnsendableError;
}

describe('send: unsendable values', () => {
  it('refuses a function, naming its path', () => {
    expect(sendError({ a: { cb: () => 1 } }).path).toBe('msg.a.cb');
    expect(sendError(() => 1).path).toBe('msg');
  });

  it('refuses a symbol, naming its path', () => {
    expect(sendError([1, [2, Symbol('s')]]).path).toBe('msg[1][1]');
  });

  it('refuses an instance of an unregistered class, naming the class and the path', () => {
    const e = sendError({ pts: [new Point(1, 2)] });
    expect(e.path).toBe('msg.pts[0]');
    expect(e.message).toContain('Point');
  });

  it('refuses a cyclic value, naming the path where the cycle closes', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = { back: a };
    const e = sendError(a);
    expect(e.path).toBe('msg.self.back');
    expect(e.message).toBe('cannot send a cycle (a reference back to msg) at msg.self.back');
  });

  it('refuses values inside a Map and a Set', () => {
    expect(sendError(new Map([['k', { f: () => 0 }]])).path).toBe('msg.get("k").f');
    expect(sendError(new Set([Symbol('x')])).path).toBe('msg.values()[0]');
  });

  it('an unsendable message sent by an actor crashes that actor, not the scheduler', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const sink = spawnRecorder(s);
    const bad = s.spawn({
      handle(_m: unknown, st: unknown, ctx: Context) {
        ctx.send(sink.pid, { f: () => 1 });
        return st;
      },
    });
    s.send(bad, 'go');
    s.send(sink.pid, 'still running');
    s.runUntilIdle();
    expect(exits.get(bad.toString())).toMatchObject({ kind: 'error', name: 'UnsendableError' });
    expect(sink.log).toEqual(['still running']);
  });
});
