import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { NoProcError, NotRegisteredError, BadArgError } from '../../src/core/errors.ts';
import { makeScheduler, spawnRecorder } from './helpers.ts';

describe('registry: register, whereis, unregister', () => {
  it('maps a name to a pid until unregistered', () => {
    const { s } = makeScheduler();
    const { pid } = spawnRecorder(s);
    expect(s.whereis('svc')).toBeUndefined();
    s.register('svc', pid);
    expect(s.whereis('svc')).toBe(pid);
    expect(s.processInfo(pid)!.registeredName).toBe('svc');
    s.unregister('svc');
    expect(s.whereis('svc')).toBeUndefined();
    expect(s.processInfo(pid)!.registeredName).toBeNull();
    expect(() => s.unregister('svc')).toThrow(NotRegisteredError);
  });

  it('an actor registers itself with ctx.register and looks names up with ctx.whereis', () => {
    const { s } = makeScheduler();
    const seen: unknown[] = [];
    const pid = s.spawn({
      handle(_m: unknown, st: unknown, ctx: Context) {
        ctx.register('me');
        seen.push(ctx.whereis('me'));
        ctx.unregister('me');
        seen.push(ctx.whereis('me'));
        return st;
      },
    });
    s.send(pid, 'go');
    s.runUntilIdle();
    expect(seen).toEqual([pid, undefined]);
  });

  it('the name option registers at spawn; the name is freed when the process exits', () => {
    const { s } = makeScheduler();
    const pid = s.spawn({ handle: (_m: unknown, st: unknown) => st }, [], { name: 'boot' });
    expect(s.whereis('boot')).toBe(pid);
    s.exit(pid, 'kill');
    s.runUntilIdle();
    expect(s.whereis('boot')).toBeUndefined();
    expect(s.registry.registered()).toEqual([]);
  });

  it('refuses a dead pid and a bad name', () => {
    const { s } = makeScheduler();
    const { pid } = spawnRecorder(s);
    s.exit(pid, 'kill');
    s.runUntilIdle();
    expect(() => s.register('x', pid)).toThrow(NoProcError);
    const live = spawnRecorder(s).pid;
    expect(() => s.register('', live)).toThrow(BadArgError);
    expect(() => s.register(42 as unknown as string, live)).toThrow(BadArgError);
  });
});
