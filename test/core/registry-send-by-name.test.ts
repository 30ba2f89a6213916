import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { NotRegisteredError, SwitchboardError } from '../../src/core/errors.ts';
import { makeScheduler, recordExits, spawnRecorder } from './helpers.ts';

describe('registry: send by name', () => {
  it('delivers to the registered process', () => {
    const { s } = makeScheduler();
    const { pid, log } = spawnRecorder(s);
    s.register('logger', pid);
    s.send('logger', 'one');
    const sender = s.spawn({ handle: (_m: unknown, st: unknown, ctx: Context) => (ctx.send('logger', 'two'), st) });
    s.send(sender, 'go');
    s.runUntilIdle();
    expect(log).toEqual(['one', 'two']);
  });

  it('raises NotRegisteredError for an unknown name', () => {
    const { s } = makeScheduler();
    let caught: unknown;
    try {
      s.send('ghost', 'boo');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NotRegisteredError);
    expect(caught).toBeInstanceOf(SwitchboardError);
    expect((caught as NotRegisteredError).code).toBe('ERR_SB_NOT_REGISTERED');
    expect((caught as NotRegisteredError).registeredName).toBe('ghost');
  });

  it('an actor sending to an unknown name crashes with that error', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const pid = s.spawn({ handle: (_m: unknown, st: unknown, ctx: Context) => (ctx.send('ghost', 1), st) });
    s.send(pid, 'go');
    s.runUntilIdle();
    expect(exits.get(pid.toString())).toMatchObject({ kind: 'error', name: 'NotRegisteredError' });
  });
});
