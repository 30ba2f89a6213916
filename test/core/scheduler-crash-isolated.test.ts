import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { makeScheduler, recordExits, spawnRecorder } from './helpers.ts';

describe('scheduler: an exception ends only the actor that threw', () => {
  it("ends it with {kind:'error', name, message, stack} and keeps running the others", () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const other = spawnRecorder(s);
    const bad = s.spawn({
      handle(m: string, st: unknown) {
        if (m === 'boom') throw new RangeError('out of range');
        return st;
      },
    });
    s.send(bad, 'ok');
    s.send(bad, 'boom');
    s.send(bad, 'never handled');
    s.send(other.pid, 1);
    expect(() => s.runUntilIdle()).not.toThrow();
    s.send(other.pid, 2);
    s.runUntilIdle();
    expect(other.log).toEqual([1, 2]);
    const reason = exits.get(bad.toString()) as { kind: string; name: string; message: string; stack: string };
    expect(reason).toMatchObject({ kind: 'error', name: 'RangeError', message: 'out of range' });
    expect(reason.stack).toContain('out of range');
    expect(Object.isFrozen(reason)).toBe(true);
  });

  it('a thrown non-Error value is described in the reason', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const bad = s.spawn(function* (ctx: Context) {
      yield ctx.receive();
      throw { custom: 1 };
    });
    s.send(bad, 'x');
    s.runUntilIdle();
    expect(exits.get(bad.toString())).toMatchObject({ kind: 'error', message: '{"custom":1}' });
  });

  it('an exception in init ends the actor the same way', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const bad = s.spawn({
      init() {
        throw new Error('no start');
      },
      handle: (_m: unknown, st: unknown) => st,
    });
    s.runUntilIdle();
    expect(exits.get(bad.toString())).toMatchObject({ kind: 'error', message: 'no start' });
  });
});
