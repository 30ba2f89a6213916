import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Ref } from '../../src/core/pid.ts';
import { makeScheduler } from './helpers.ts';

describe('monitor: monitors stack', () => {
  it('two monitors on the same process give two DOWN messages, one per ref', () => {
    const { s } = makeScheduler();
    const target = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    const downs: Array<{ ref: Ref }> = [];
    const refs: Ref[] = [];
    const watcher = s.spawn({
      handle(m: unknown, st: unknown, ctx: Context) {
        if (m === 'watch') refs.push(ctx.monitor(target), ctx.monitor(target));
        else downs.push(m as { ref: Ref });
        return st;
      },
    });
    s.send(watcher, 'watch');
    s.runUntilIdle();
    expect(refs[0]).not.toBe(refs[1]);
    s.exit(target, 'bye');
    s.runUntilIdle();
    expect(downs.map((d) => d.ref)).toEqual(refs);
  });

  it('demonitor of one of two monitors leaves the other', () => {
    const { s } = makeScheduler();
    const target = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    const downs: Array<{ ref: Ref }> = [];
    let keep: Ref | undefined;
    const watcher = s.spawn({
      handle(m: unknown, st: unknown, ctx: Context) {
        if (m === 'watch') {
          const drop = ctx.monitor(target);
          keep = ctx.monitor(target);
          expect(ctx.demonitor(drop)).toBe(true);
          expect(ctx.demonitor(drop)).toBe(false);
        } else downs.push(m as { ref: Ref });
        return st;
      },
    });
    s.send(watcher, 'watch');
    s.runUntilIdle();
    s.exit(target, 'bye');
    s.runUntilIdle();
    expect(downs.map((d) => d.ref)).toEqual([keep]);
  });
});
