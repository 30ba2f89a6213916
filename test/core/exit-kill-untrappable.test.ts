import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { makeScheduler, recordExits, spawnRecorder } from './helpers.ts';

describe("exit signals: exit(pid, 'kill')", () => {
  it("kills even a trapping process, with reason 'killed'", () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const got: unknown[] = [];
    const target = s.spawn({ handle: (m: unknown, st: unknown) => (got.push(m), st) }, [], { trapExit: true });
    s.exit(target, 'kill');
    s.runUntilIdle();
    expect(got).toEqual([]);
    expect(exits.get(target.toString())).toBe('killed');
  });

  it("linked processes see 'killed', not 'kill': a trapping one gets EXIT killed, a non-trapping one dies killed", () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const sink = spawnRecorder(s);
    const victim = s.spawn({ handle: (_m: unknown, st: unknown) => st });
    const trapper = s.spawn({
      handle(m: unknown, st: unknown, ctx: Context) {
        if (m === 'link') {
          ctx.trapExit(true);
          ctx.link(victim);
        } else ctx.send(sink.pid, m);
        return st;
      },
    });
    const plain = s.spawn({ handle: (m: Pid, st: unknown, ctx: Context) => (ctx.link(m), st) });
    s.send(trapper, 'link');
    s.send(plain, victim);
    s.runUntilIdle();
    s.exit(victim, 'kill');
    s.runUntilIdle();
    expect(sink.log).toEqual([{ type: 'EXIT', from: victim, reason: 'killed' }]);
    expect(exits.get(plain.toString())).toBe('killed');
    expect(s.isAlive(trapper)).toBe(true);
  });

  it('an actor killing itself stops at once', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    let after = false;
    const pid = s.spawn({
      handle(_m: unknown, st: unknown, ctx: Context) {
        ctx.exit(ctx.self, 'kill');
        after = true;
        return st;
      },
    }, [], { trapExit: true });
    s.send(pid, 'go');
    s.runUntilIdle();
    expect(after).toBe(false);
    expect(exits.get(pid.toString())).toBe('killed');
  });
});
