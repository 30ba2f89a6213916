import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { makeScheduler } from './helpers.ts';

const Server = { handle: (_m: unknown, st: unknown) => st };

describe('registry: the name is freed before links and monitors fire', () => {
  it("a monitor's DOWN handler can register the name again at once", () => {
    const { s } = makeScheduler();
    const first = s.spawn(Server, [], { name: 'server' });
    const replacements: Pid[] = [];
    const errors: unknown[] = [];
    const watcher = s.spawn({
      handle(m: { type?: string } | string, st: unknown, ctx: Context) {
        if (m === 'watch') ctx.monitor('server');
        else if (typeof m === 'object' && m.type === 'DOWN') {
          try {
            replacements.push(ctx.spawn(Server, [], { name: 'server' }));
          } catch (e) {
            errors.push(e);
          }
        }
        return st;
      },
    });
    s.send(watcher, 'watch');
    s.runUntilIdle();
    s.exit(first, 'crash');
    s.runUntilIdle();
    expect(errors).toEqual([]);
    expect(replacements.length).toBe(1);
    expect(s.whereis('server')).toBe(replacements[0]);
  });

  it('a trapping linked supervisor can re-register the name when it gets the EXIT', () => {
    const { s } = makeScheduler();
    const log: string[] = [];
    const sup = s.spawn(function* (ctx: Context) {
      ctx.trapExit(true);
      const child = ctx.spawnLink(Server, [], { name: 'worker' });
      ctx.send(child, 'hello');
      yield ctx.receive({ type: 'EXIT' });
      log.push(`free:${ctx.whereis('worker') === undefined}`);
      ctx.register('worker');
      log.push(`mine:${ctx.whereis('worker') === ctx.self}`);
      yield ctx.receive('never');
    });
    s.runUntilIdle();
    s.exit(s.whereis('worker')!, 'crash');
    s.runUntilIdle();
    expect(log).toEqual(['free:true', 'mine:true']);
    expect(s.whereis('worker')).toBe(sup);
  });

  it('the name is already free while the process is exiting (before its slot is released)', () => {
    const { s } = makeScheduler();
    const pid = s.spawn(Server, [], { name: 'n' });
    s.exit(pid, 'x');
    expect(s.whereis('n')).toBeUndefined();
    expect(s.processInfo(pid)!.status).toBe('exiting');
    s.runUntilIdle();
    expect(s.processInfo(pid)).toBeUndefined();
  });
});
